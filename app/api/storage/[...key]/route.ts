// Signed URLs for the local storage backend (S3 deployments use presigned S3 URLs instead).
import { NextResponse } from "next/server";
import { errorResponse } from "@/lib/api/handler";
import { authSecret, config } from "@/lib/config";
import { AppError } from "@/lib/errors";
import { storage } from "@/lib/storage";
import { LocalStorage } from "@/lib/storage/local";

export const dynamic = "force-dynamic";

type Args = { params: Promise<{ key: string[] }> };

async function authorised(req: Request, args: Args, method: "GET" | "PUT") {
  const key = (await args.params).key.join("/");
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
    return new Response(new Uint8Array(body), { headers: { "content-type": "audio/ogg", "cache-control": "private, max-age=300" } });
  } catch (err) {
    return errorResponse(err);
  }
}

export async function PUT(req: Request, args: Args) {
  try {
    const { key, store } = await authorised(req, args, "PUT");
    if (!req.body) throw new AppError("bad_request", "The upload is empty");
    const bytes = await store.putStream(key, req.body, config().storage.max_upload_mb * 1_048_576);
    return NextResponse.json({ ok: true, bytes });
  } catch (err) {
    return errorResponse(err instanceof Error && err.name === "StorageError" ? new AppError("bad_request", err.message) : err);
  }
}
