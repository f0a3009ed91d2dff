// Call recordings on the call log: the state in words, and playback through a short-lived URL
// (S3 presigned, or the local store's signed route) for members who may see the call.
import { config } from "../config";
import { db, type RecordingStatus } from "../db";
import { AppError } from "../errors";
import { storage } from "../storage";
import { requireVisibleCall } from "./access";
import { formatInZone } from "./time-zone";

type Viewer = Parameters<typeof requireVisibleCall>[0];

export interface RecordingFacts {
  status: RecordingStatus;
  error: string | null;
  expiredAt: Date | null;
  durationMs: number | null;
}

/** What the detail page says when there is no player (null when the recording is ready). */
export function recordingStateText(r: RecordingFacts, tz: string): string | null {
  switch (r.status) {
    case "ready":
      return null;
    case "recording":
      return "Recording in progress";
    case "processing":
      return "Processing the recording";
    case "failed":
      return `Recording failed: ${r.error ?? "no reason given"}`;
    case "expired":
      return r.expiredAt ? `Recording expired on ${formatInZone(r.expiredAt, tz)} (retention)` : "Recording expired (retention)";
  }
}

/** The URL to redirect to for the call's latest ready recording; 404 when not visible or none is ready. */
export async function recordingUrl(viewer: Viewer, callId: string, download: boolean): Promise<string> {
  await requireVisibleCall(viewer, callId);
  const rec = await db.recording.findFirst({
    where: { callId, status: "ready", storageKey: { not: null } },
    orderBy: { createdAt: "desc" },
    select: { storageKey: true, createdAt: true },
  });
  if (!rec?.storageKey) throw new AppError("not_found", "This call has no recording ready to play");
  const ttl = config().storage.recording_url_expiry_secs;
  const filename = `call-${callId}-${rec.createdAt.toISOString().slice(0, 10)}.ogg`;
  return storage().playbackUrl(rec.storageKey, ttl, download ? { downloadAs: filename } : undefined);
}
