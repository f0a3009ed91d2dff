// Prompts are equally loud whatever their length: loudnorm measures over 3 s, and a shorter clip
// (a two-word TTS prompt, a short upload, the built-in "not available" message) came out 20–35 dB
// quieter than the rest. Levels are read from the decoded audio with ffmpeg.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loudnessFilter, synthesize } from "../../lib/audio/tts";

/** RMS level in dBFS and length in seconds of an audio file, decoded to 16-bit PCM. */
function level(file: string): { rmsDb: number; secs: number } {
  const pcm = execFileSync("ffmpeg", ["-v", "error", "-i", file, "-ac", "1", "-ar", "48000", "-f", "s16le", "-"], { maxBuffer: 64 * 1024 * 1024 });
  const samples = new Int16Array(pcm.buffer, pcm.byteOffset, pcm.byteLength >> 1);
  let sum = 0;
  for (const s of samples) sum += (s / 32768) ** 2;
  return { rmsDb: 10 * Math.log10(sum / samples.length), secs: samples.length / 48_000 };
}

describe("prompt loudness", () => {
  it("renders a short TTS prompt as loud as a long one, and as long as it is", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "prompt-loudness-"));
    try {
      const short = level(await synthesize("Press one.", { audioDir: dir, voice: "espeak-ng:en" }));
      const long = level(
        await synthesize("Thank you for calling. Please hold while we connect you to the next available agent.", { audioDir: dir, voice: "espeak-ng:en" }),
      );
      expect(long.rmsDb).toBeGreaterThan(-24);
      expect(Math.abs(short.rmsDb - long.rmsDb)).toBeLessThan(6);
      expect(short.secs).toBeLessThan(1.5); // cut back to its own length, not the 3 s it was measured over
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("ships built-in messages within a few dB of each other", () => {
    const dir = path.resolve("public/audio/prompts");
    const levels = fs.readdirSync(dir).map((f) => ({ f, ...level(path.join(dir, f)) }));
    const loudest = Math.max(...levels.map((l) => l.rmsDb));
    for (const l of levels) expect(loudest - l.rmsDb, l.f).toBeLessThan(6);
  });

  it("pads only clips shorter than loudnorm's window", () => {
    expect(loudnessFilter(12)).toBe("loudnorm=I=-18:TP=-2:LRA=11");
    expect(loudnessFilter(null)).toBe("loudnorm=I=-18:TP=-2:LRA=11");
    expect(loudnessFilter(0.8)).toBe("apad=whole_dur=3,loudnorm=I=-18:TP=-2:LRA=11,atrim=end=0.800");
  });
});
