// Text → OGG/Opus prompt (mono 48 kHz, 20 ms packets, loudness-normalised). Piper when configured, else espeak-ng,
// so the demo speaks out of the box. Results are cached by content hash in audio_dir/tts.
import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { config } from "../config";
import { runTool } from "../process/run-tool";

/** Encoding a 10-minute file takes a few seconds here; minutes mean the tool is stuck. */
export const ENCODE_TIMEOUT_MS = 120_000;
const SYNTH_TIMEOUT_MS = 60_000;

/** Bumped when the rendering changes, so files cached on disk by an older pipeline are made again. */
const RENDERING = "2";

export function ttsKey(text: string, voice: string): string {
  return `tts/${createHash("sha256").update(`${RENDERING}\n${voice}\n${text}`).digest("hex").slice(0, 32)}.ogg`;
}

/**
 * ffmpeg's loudnorm measures over a 3 s window: a shorter clip came out 20–35 dB too quiet ("Press
 * one." at -40 dB RMS, the built-in "not available" message at -47 against -19 for the others). A
 * short clip is padded with silence to 3 s for the measurement and cut back to its own length.
 */
const LOUDNORM_WINDOW_SECS = 3;
const LOUDNORM = "loudnorm=I=-18:TP=-2:LRA=11";

/**
 * The decoded length of a clip that may be shorter than loudnorm's window, in seconds; null for a
 * longer one or when it cannot be told (ffmpeg then reports what is wrong with the file). Decoded,
 * not read from the container: an MP3's header overstates it by its encoder padding.
 */
async function shortClipSecs(file: string): Promise<number | null> {
  try {
    const probe = await runTool("ffprobe", ["-v", "error", "-show_entries", "format=duration", "-of", "default=nw=1:nk=1", file], {
      timeoutMs: ENCODE_TIMEOUT_MS,
    });
    if (!(Number(probe.stdout.trim()) < LOUDNORM_WINDOW_SECS + 1)) return null;
    const { stdout } = await runTool("ffmpeg", ["-v", "error", "-i", file, "-f", "null", "-", "-progress", "pipe:1"], { timeoutMs: ENCODE_TIMEOUT_MS });
    // -progress prints a block per update; the last block's time is the whole clip's.
    const us = Number([...stdout.matchAll(/^out_time_us=(\d+)$/gm)].at(-1)?.[1]);
    return Number.isFinite(us) && us > 0 ? us / 1e6 : null;
  } catch {
    return null;
  }
}

/** The loudness filter for a clip of `secs` (null: unknown, normalised as it is). */
export function loudnessFilter(secs: number | null): string {
  if (secs === null || secs >= LOUDNORM_WINDOW_SECS) return LOUDNORM;
  return `apad=whole_dur=${LOUDNORM_WINDOW_SECS},${LOUDNORM},atrim=end=${secs.toFixed(3)}`;
}

/** Converts any audio file ffmpeg reads into our prompt format. */
export async function toOggOpus(input: string, output: string): Promise<void> {
  await runTool(
    "ffmpeg",
    [
      "-v",
      "error",
      "-y",
      "-i",
      input,
      "-af",
      loudnessFilter(await shortClipSecs(input)),
      "-ac",
      "1",
      "-ar",
      "48000",
      "-c:a",
      "libopus",
      "-b:a",
      "32k",
      "-frame_duration",
      "20",
      "-application",
      "voip",
      output,
    ],
    { timeoutMs: ENCODE_TIMEOUT_MS },
  );
}

/** Returns the path of the synthesized prompt, creating it when missing. */
export async function synthesize(text: string, opts: { voice?: string; audioDir?: string } = {}): Promise<string> {
  const cfg = config();
  const voice = opts.voice ?? (cfg.tts.piper_binary && cfg.tts.piper_model ? `piper:${path.basename(cfg.tts.piper_model)}` : "espeak-ng:en");
  const target = path.resolve(opts.audioDir ?? cfg.calling.audio_dir, ttsKey(text, voice));
  try {
    await fs.access(target);
    return target;
  } catch {
    // not cached yet
  }
  await fs.mkdir(path.dirname(target), { recursive: true });
  const wav = `${target}.${process.pid}.wav`;
  const tmp = `${target}.${process.pid}.tmp.ogg`;
  try {
    if (voice.startsWith("piper:")) {
      await runTool(cfg.tts.piper_binary!, ["--model", cfg.tts.piper_model!, "--output_file", wav], { timeoutMs: SYNTH_TIMEOUT_MS, input: text });
    } else {
      await runTool("espeak-ng", ["-v", "en", "-s", "160", "-w", wav, text], { timeoutMs: SYNTH_TIMEOUT_MS });
    }
    await toOggOpus(wav, tmp);
    await fs.rename(tmp, target);
    return target;
  } finally {
    await fs.rm(wav, { force: true });
    await fs.rm(tmp, { force: true });
  }
}
