// Signed URLs for the local storage backend (S3 deployments use presigned S3 URLs instead).
import { NextResponse } from "next/server";
import { errorResponse } from "@/lib/api/handler";
import { authSecret, config } from "@/lib/config";
import { AppError } from "@/lib/errors";
import { storage } from "@/lib/storage";
import { parseByteRange, rangeHeaders } from "@/lib/storage/byte-range";
import { LocalStorage } from "@/lib/storage/local";
import { StorageError, safeDownloadName } from "@/lib/storage/types";
import { isSafeParam } from "@/lib/validation";

export const dynamic = "force-dynamic";

type Args = { params: Promise<{ key: string[] }> };

/** Storage failures in the one error shape: a missing object is 404, an invalid key or upload 400. */
function storageFailure(err: unknown, missing: "not_found" | "bad_request"): unknown {
  if (!(err instanceof StorageError) || err.retryable) return err;
  return err.message.startsWith("No stored object")
    ? new AppError(missing, "The file was not found")
    : new AppError("bad_request", err.message.startsWith("Invalid storage key") ? "Invalid file address" : err.message);
}

async function authorised(req: Request, args: Args, method: "GET" | "PUT") {
  const parts = (await args.params).key;
  if (!parts.every((p) => isSafeParam(p))) throw new AppError("not_found", "The file was not found");
  const key = parts.join("/");
  const url = new URL(req.url);
  const store = storage();
  if (!(store instanceof LocalStorage)) throw new AppError("not_found", "Files are served by the object store");
  const ok = LocalStorage.verify(authSecret(), method, key, Number(url.searchParams.get("expires")), url.searchParams.get("sig") ?? "");
  if (!ok) throw new AppError("forbidden", "This link is invalid or has expired");
  return { key, store };
}

export async function GET(req: Request, args: Args) {
  try {
    const { key, store } = await authorised(req, args, "GET");
    const body = await store.get(key);
    const download = safeDownloadName(new URL(req.url).searchParams.get("download") ?? "");
    // Ranges let the audio element show the recording's length and seek in it.
    const range = parseByteRange(req.headers.get("range"), body.length);
    const { status, headers } = rangeHeaders(range, body.length);
    const part = range === null ? body : range === "unsatisfiable" ? null : body.subarray(range.start, range.end + 1);
    return new Response(part && new Uint8Array(part), {
      status,
      headers: {
        ...headers,
        "content-type": "audio/ogg",
        "cache-control": "private, max-age=300",
        ...(download ? { "content-disposition": `attachment; filename="${download}"` } : {}),
      },
    });
  } catch (err) {
    return errorResponse(storageFailure(err, "not_found"));
  }
}

export async function PUT(req: Request, args: Args) {
  try {
    const { key, store } = await authorised(req, args, "PUT");
    if (!req.body) throw new AppError("bad_request", "The upload is empty");
    const bytes = await store.putStream(key, req.body, config().storage.max_upload_mb * 1_048_576);
    return NextResponse.json({ ok: true, bytes });
  } catch (err) {
    return errorResponse(storageFailure(err, "bad_request"));
  }
}
