// Text → OGG/Opus prompt (mono 48 kHz, 20 ms packets, loudness-normalised). Piper when configured, else espeak-ng,
// so the demo speaks out of the box. Results are cached by content hash in audio_dir/tts.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { config } from "../config";

const run = promisify(execFile);

export function ttsKey(text: string, voice: string): string {
  return `tts/${createHash("sha256").update(`${voice}\n${text}`).digest("hex").slice(0, 32)}.ogg`;
}

/** Converts any audio file ffmpeg reads into our prompt format. */
export async function toOggOpus(input: string, output: string): Promise<void> {
  await run("ffmpeg", ["-v", "error", "-y", "-i", input, "-af", "loudnorm=I=-18:TP=-2:LRA=11", "-ac", "1", "-ar", "48000", "-c:a", "libopus", "-b:a", "32k", "-frame_duration", "20", "-application", "voip", output]);
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
      const child = execFile(cfg.tts.piper_binary!, ["--model", cfg.tts.piper_model!, "--output_file", wav]);
      child.stdin?.end(text);
      await new Promise<void>((resolve, reject) => child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`piper exited with ${code}`)))));
    } else {
      await run("espeak-ng", ["-v", "en", "-s", "160", "-w", wav, text]);
    }
    await toOggOpus(wav, tmp);
    await fs.rename(tmp, target);
    return target;
  } finally {
    await fs.rm(wav, { force: true });
    await fs.rm(tmp, { force: true });
  }
}
