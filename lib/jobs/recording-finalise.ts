// Recording finalise: merge the call's two directions to stereo, upload, verify, then delete the
// local files. An unreachable S3 is retried for hours (capped backoff from `[workers]`).
import { z } from "zod";
import { config } from "../config";
import { finaliseRecording } from "../recordings/finalise";
import { defineJob } from "./job";

/** Attempts enough to keep retrying at the capped delay for `recording_retry_hours`. */
function retryPolicy() {
  const w = config().workers;
  const first = w.recording_retry_secs;
  const cap = Math.max(first, w.recording_retry_max_secs);
  const ramp = Math.ceil(Math.log2(cap / first)) + 1;
  return { backoffMs: first * 1000, maxBackoffMs: cap * 1000, attempts: ramp + Math.ceil((w.recording_retry_hours * 3600) / cap) };
}

export const recordingFinaliseJob = defineJob({
  name: "recording.finalise",
  queue: "recordings",
  schema: z.object({ recordingId: z.string().min(1) }),
  // Getters: the policy comes from config, read when a job is enqueued rather than at import.
  get attempts() {
    return retryPolicy().attempts;
  },
  get backoffMs() {
    return retryPolicy().backoffMs;
  },
  get maxBackoffMs() {
    return retryPolicy().maxBackoffMs;
  },
  async handle({ recordingId }, { storage, log, attempt, attempts }) {
    await finaliseRecording(recordingId, {
      storage,
      dir: config().calling.recordings_dir,
      log,
      lastAttempt: attempt !== undefined && attempts !== undefined && attempt >= attempts,
    });
  },
});
