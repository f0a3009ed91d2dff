// ffmpeg steps of the finalise job: two mono OGG/Opus files (one per direction, on the same
// timeline) → one stereo OGG/Opus file, caller left and agent right. Every child process runs
// with a timeout and is killed when it passes it.
import fs from "node:fs/promises";
import { runTool, ToolTimeoutError } from "../process/run-tool";

/** ffmpeg decodes and re-encodes far faster than real time; this leaves room on a busy machine. */
function timeoutFor(durationMs: number) {
  return 60_000 + Math.round(durationMs / 10);
}

/** Duration ffprobe reports for a file, in ms (a second opinion next to our granule reading). */
export async function probeDurationMs(file: string): Promise<{ durationMs: number; channels: number }> {
  const { stdout } = await runTool("ffprobe", ["-v", "error", "-show_entries", "format=duration:stream=channels", "-of", "json", file], { timeoutMs: 30_000 });
  const info = JSON.parse(stdout) as { format?: { duration?: string }; streams?: { channels?: number }[] };
  const secs = Number(info.format?.duration);
  if (!Number.isFinite(secs)) throw new Error(`ffprobe found no duration in ${file}`);
  return { durationMs: Math.round(secs * 1000), channels: info.streams?.[0]?.channels ?? 0 };
}

/**
 * Writes the stereo file. Each side is padded with silence to the longer one (they differ by at
 * most a frame after a clean end, by up to a second after a crash), never trimmed.
 */
export async function mergeStereo(opts: { caller: string; agent: string; out: string; durationMs: number }): Promise<void> {
  const tmp = `${opts.out}.tmp.ogg`;
  const pad = `apad=whole_dur=${(opts.durationMs / 1000).toFixed(3)}`;
  const filter = `[0:a]${pad}[l];[1:a]${pad}[r];[l][r]join=inputs=2:channel_layout=stereo:map=0.0-FL|1.0-FR[a]`;
  try {
    await runTool(
      "ffmpeg",
      [
        "-v",
        "error",
        "-nostdin",
        "-y",
        "-i",
        opts.caller,
        "-i",
        opts.agent,
        "-filter_complex",
        filter,
        "-map",
        "[a]",
        "-c:a",
        "libopus",
        "-b:a",
        "48k",
        "-ar",
        "48000",
        "-f",
        "ogg",
        tmp,
      ],
      { timeoutMs: timeoutFor(opts.durationMs), maxBufferBytes: 1024 * 1024 },
    );
  } catch (err) {
    await fs.rm(tmp, { force: true });
    const e = err as { stderr?: string; message: string };
    throw new Error(
      err instanceof ToolTimeoutError
        ? `ffmpeg did not finish merging within ${timeoutFor(opts.durationMs) / 1000} s`
        : `ffmpeg could not merge the recording: ${(e.stderr || e.message).trim().slice(0, 500)}`,
    );
  }
  // Renamed only once complete: a merged file that exists is a whole one.
  await fs.rename(tmp, opts.out);
}
