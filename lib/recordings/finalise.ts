// The finalise job's work: check both directions' files against the bridged time, merge them into
// one stereo OGG/Opus file, upload it, verify the upload, mark the recording ready, and only then
// delete the local files. Safe to run again at any point (the job id is the recording id).
import fs from "node:fs/promises";
import os from "node:os";
import type { Logger } from "pino";
import { oggOpusLength } from "../audio/ogg-duration";
import { db } from "../db";
import { PermanentJobError } from "../jobs/job";
import type { ObjectStorage } from "../storage/types";
import { recordingFiles, removeRecordingFiles, storageKeyFor } from "./files";
import { mergeStereo, probeDurationMs } from "./merge";
import { CLOSED_OUT_NOTE } from "./sweep";

/** The merged file must last as long as the caller and agent were bridged, to within this. */
export const DURATION_TOLERANCE_MS = 100;

const exists = (file: string) =>
  fs.access(file).then(
    () => true,
    () => false,
  );

async function fileLengthMs(file: string): Promise<number> {
  return oggOpusLength(await fs.readFile(file)).durationMs;
}

async function markFailed(id: string, error: string) {
  await db.recording.updateMany({ where: { id, status: { in: ["processing", "failed"] } }, data: { status: "failed", error } });
}

export interface FinaliseOptions {
  storage: ObjectStorage;
  dir: string;
  log?: Logger;
  /** The job's last attempt: a failure now marks the recording failed (its files stay). */
  lastAttempt?: boolean;
}

export async function finaliseRecording(recordingId: string, opts: FinaliseOptions): Promise<void> {
  try {
    await finalise(recordingId, opts);
  } catch (err) {
    // Out of retries on an unexpected error: say so on the recording instead of leaving it "processing".
    if (opts.lastAttempt && !(err instanceof PermanentJobError)) {
      await markFailed(recordingId, `${(err as Error).message}; gave up retrying, files kept in ${os.hostname()}:${opts.dir}`).catch(() => {});
    }
    throw err;
  }
}

async function finalise(recordingId: string, opts: FinaliseOptions): Promise<void> {
  const rec = await db.recording.findUnique({
    where: { id: recordingId },
    select: { id: true, status: true, bridgedMs: true, error: true, callId: true, call: { select: { orgId: true } } },
  });
  if (!rec) throw new PermanentJobError(`Recording ${recordingId} no longer exists`);
  if (rec.status === "ready" || rec.status === "expired") {
    // Uploaded and verified by an earlier run: at most the local files are left to tidy.
    await removeRecordingFiles(opts.dir, rec.id);
    return;
  }
  if (rec.status === "recording") throw new PermanentJobError(`Recording ${rec.id} is still being captured`);
  const fail = async (message: string): Promise<never> => {
    await markFailed(rec.id, message);
    throw new PermanentJobError(message);
  };
  // A recording closed out after a crash says so, and keeps saying so once it is ready.
  const note = rec.error?.startsWith(CLOSED_OUT_NOTE) ? rec.error : null;
  const bridgedMs = rec.bridgedMs;
  if (bridgedMs === null) return fail("The recording has no bridged time to check it against");
  const files = recordingFiles(opts.dir, rec.id);
  const where = `${os.hostname()}:${opts.dir}`;

  if (!(await exists(files.merged))) {
    for (const side of ["caller", "agent"] as const) {
      if (!(await exists(files[side]))) {
        // Retried rather than failed: a workers process on another host (a deployment mistake) must
        // not condemn files that wait on the gateway's host; this host's worker may take the retry.
        throw new Error(`The ${side}'s recording file is not in ${where} (the workers process must run on the gateway's host)`);
      }
      const ms = await fileLengthMs(files[side]);
      // A closed-out recording's sides stop where each was last flushed; the merge pads the shorter.
      if (!note && Math.abs(ms - bridgedMs) > DURATION_TOLERANCE_MS) {
        return fail(`The ${side}'s file holds ${Math.round(ms)} ms of audio but the call was bridged for ${bridgedMs} ms; files kept in ${where}`);
      }
    }
    const longest = Math.max(await fileLengthMs(files.caller), await fileLengthMs(files.agent));
    try {
      await mergeStereo({ caller: files.caller, agent: files.agent, out: files.merged, durationMs: longest });
    } catch (err) {
      return fail(`${(err as Error).message}; files kept in ${where}`);
    }
  }
  const merged = await probeDurationMs(files.merged);
  if (merged.channels !== 2 || Math.abs(merged.durationMs - bridgedMs) > DURATION_TOLERANCE_MS) {
    await fs.rm(files.merged, { force: true });
    return fail(
      `The merged recording lasts ${merged.durationMs} ms on ${merged.channels} channel(s); the call was bridged for ${bridgedMs} ms; files kept in ${where}`,
    );
  }

  const key = storageKeyFor(rec.call.orgId, rec.callId, rec.id);
  const bytes = await fs.readFile(files.merged);
  try {
    await opts.storage.put(key, bytes, "audio/ogg");
    const stored = await opts.storage.size(key);
    if (stored !== bytes.length) throw new Error(`the stored object has ${stored ?? "no"} bytes, expected ${bytes.length}`);
  } catch (err) {
    const message = `Upload failed: ${(err as Error).message}`;
    if (!opts.lastAttempt)
      await db.recording.updateMany({ where: { id: rec.id, status: "processing" }, data: { error: `${note ? `${note} ` : ""}${message}; retrying` } });
    throw new Error(message);
  }
  await db.recording.update({
    where: { id: rec.id },
    data: { status: "ready", storageKey: key, sizeBytes: bytes.length, durationMs: merged.durationMs, error: note },
  });
  opts.log?.info({ recordingId: rec.id, key, sizeBytes: bytes.length, durationMs: merged.durationMs, bridgedMs }, "recording uploaded");
  await removeRecordingFiles(opts.dir, rec.id);
}
