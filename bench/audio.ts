// TTS time for a 20-word prompt and transcode time for a 60 s MP3 (espeak-ng / ffmpeg on this box).
// Run: npx tsx bench/audio.ts
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { toOggOpus, synthesize } from "../lib/audio/tts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rf-bench-audio-"));
const words = "Thank you for calling Ringflow today. Please listen carefully, as our menu options have changed recently. Press one for sales.";
const tts: number[] = [];
for (let i = 0; i < 5; i++) {
  const t0 = performance.now();
  await synthesize(`${words} (${i})`, { audioDir: dir });
  tts.push(performance.now() - t0);
}
const mp3 = path.join(dir, "sixty.mp3");
execFileSync("ffmpeg", [
  "-v",
  "error",
  "-y",
  "-f",
  "lavfi",
  "-i",
  "sine=frequency=440:duration=60",
  "-f",
  "lavfi",
  "-i",
  "anoisesrc=d=60:a=0.05",
  "-filter_complex",
  "amix=inputs=2",
  "-b:a",
  "128k",
  mp3,
]);
const tc: number[] = [];
for (let i = 0; i < 3; i++) {
  const t0 = performance.now();
  await toOggOpus(mp3, path.join(dir, `out${i}.ogg`));
  tc.push(performance.now() - t0);
}
const med = (a: number[]) => a.sort((x, y) => x - y)[Math.floor(a.length / 2)]!.toFixed(0);
process.stdout.write(`TTS (espeak-ng → Opus), ${words.split(/\s+/).length} words: median ${med(tts)} ms of 5\n`);
process.stdout.write(`transcode 60 s MP3 → Opus (loudnorm): median ${med(tc)} ms of 3 (${(60_000 / Number(med(tc))).toFixed(0)}× real time)\n`);
fs.rmSync(dir, { recursive: true, force: true });
