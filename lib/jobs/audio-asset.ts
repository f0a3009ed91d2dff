// Shared steps of the audio jobs: encode to our prompt format, store, and mark the asset.
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { toOggOpus } from "../audio/tts";
import { db } from "../db";
import { readOggOpus } from "../audio/ogg";
import { runTool, ToolTimeoutError } from "../process/run-tool";
import type { ObjectStorage } from "../storage/types";
import { type JobContext, PermanentJobError } from "./job";

const PROBE_TIMEOUT_MS = 30_000;
export const MAX_AUDIO_SECONDS = 600;

export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "ringflow-audio-"));
  try {
    return await fn(dir);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** Seconds of audio ffprobe finds, or a PermanentJobError saying why the file is unusable. */
export async function probeDuration(file: string): Promise<number> {
  try {
    const { stdout } = await runTool("ffprobe", ["-v", "error", "-show_entries", "format=duration:stream=codec_type", "-of", "json", file], {
      timeoutMs: PROBE_TIMEOUT_MS,
    });
    const info = JSON.parse(stdout) as { format?: { duration?: string }; streams?: { codec_type: string }[] };
    if (!info.streams?.some((s) => s.codec_type === "audio")) throw new PermanentJobError("The file has no audio track");
    const secs = Number(info.format?.duration);
    if (!Number.isFinite(secs) || secs <= 0) throw new PermanentJobError("The audio has no measurable duration (corrupt file?)");
    if (secs > MAX_AUDIO_SECONDS) throw new PermanentJobError(`The audio is ${Math.round(secs)} s long; the limit is ${MAX_AUDIO_SECONDS} s`);
    return secs;
  } catch (err) {
    if (err instanceof PermanentJobError) throw err;
    if (err instanceof ToolTimeoutError)
      throw new PermanentJobError(`ffprobe could not read the file within ${PROBE_TIMEOUT_MS / 1000} s (corrupt or unusual file?)`);
    throw new PermanentJobError("This is not an audio file ffmpeg can read (corrupt or unsupported format)");
  }
}

/** Encodes `input` to mono 48 kHz OGG/Opus (20 ms packets), stores it and marks the asset ready. */
export async function storeAsPrompt(storage: ObjectStorage, asset: { id: string; orgId: string }, input: string, dir: string) {
  await probeDuration(input);
  const out = path.join(dir, "out.ogg");
  await toOggOpus(input, out);
  await storeEncodedPrompt(storage, asset, out);
}

/**
 * Stores a file already in the prompt format (toOggOpus's output, as TTS synthesis makes it) and marks
 * the asset ready. Encoding it again would only cost another decode, loudness pass and Opus encode.
 */
export async function storeEncodedPrompt(storage: ObjectStorage, asset: { id: string; orgId: string }, file: string) {
  const bytes = await fs.readFile(file);
  const packets = readOggOpus(bytes).packets.length;
  const key = `orgs/${asset.orgId}/audio/${asset.id}.ogg`;
  await storage.put(key, bytes, "audio/ogg");
  await db.audioAsset.update({ where: { id: asset.id }, data: { status: "ready", storageKey: key, durationMs: packets * 20, error: null } });
}

export async function markFailed(assetId: string, message: string) {
  await db.audioAsset.updateMany({ where: { id: assetId }, data: { status: "failed", error: message } });
}

/**
 * Runs an asset job's work; when it fails for good (an error retrying cannot fix, or the last
 * attempt), the asset says why instead of showing "Processing…" forever.
 */
export async function failAssetWhenFinal(
  assetId: string,
  ctx: Pick<JobContext, "attempt" | "attempts">,
  work: () => Promise<void>,
  /** Instead of marking the asset failed (a replacement restores the file it replaced). */
  fail: (reason: string) => Promise<unknown> = (reason) => markFailed(assetId, reason),
): Promise<void> {
  try {
    await work();
  } catch (err) {
    const permanent = err instanceof PermanentJobError;
    if (permanent || (ctx.attempt ?? 1) >= (ctx.attempts ?? 1)) {
      await fail(permanent ? err.message : `Gave up after ${ctx.attempts} attempts: ${(err as Error).message}`);
    }
    throw err;
  }
}
