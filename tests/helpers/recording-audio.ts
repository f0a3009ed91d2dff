// Listens to recordings in tests: decodes one channel with ffmpeg and measures what is in it
// (dominant frequency by a Goertzel scan, loudness), so tests assert on what a person would hear.
import { execFileSync } from "node:child_process";

const RATE = 8000;

/** One channel (0 = left) of any file ffmpeg reads, as 8 kHz mono samples in [-1, 1]. */
export function decodeChannel(file: string, channel = 0): Float32Array {
  const pcm = execFileSync("ffmpeg", ["-v", "error", "-i", file, "-af", `pan=mono|c0=c${channel}`, "-ar", String(RATE), "-f", "s16le", "-"], {
    maxBuffer: 256 * 1024 * 1024,
  });
  const out = new Float32Array(pcm.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = pcm.readInt16LE(i * 2) / 32768;
  return out;
}

function goertzelPower(x: Float32Array, freq: number): number {
  const w = (2 * Math.PI * freq) / RATE;
  const c = 2 * Math.cos(w);
  let s1 = 0;
  let s2 = 0;
  for (const v of x) {
    const s0 = v + c * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return s1 * s1 + s2 * s2 - c * s1 * s2;
}

/** The loudest frequency between 100 Hz and 3.5 kHz (5 Hz steps) in seconds [from, to). */
export function dominantFrequency(samples: Float32Array, from = 0, to = samples.length / RATE): number {
  const x = samples.subarray(Math.floor(from * RATE), Math.floor(to * RATE));
  let best = 0;
  let bestPower = -1;
  for (let f = 100; f <= 3500; f += 5) {
    const p = goertzelPower(x, f);
    if (p > bestPower) {
      bestPower = p;
      best = f;
    }
  }
  return best;
}

/** RMS loudness in seconds [from, to). */
export function rms(samples: Float32Array, from = 0, to = samples.length / RATE): number {
  const x = samples.subarray(Math.floor(from * RATE), Math.floor(to * RATE));
  let sum = 0;
  for (const v of x) sum += v * v;
  return Math.sqrt(sum / Math.max(1, x.length));
}

export function probe(file: string): { durationMs: number; channels: number; codec: string } {
  const info = JSON.parse(
    execFileSync("ffprobe", ["-v", "error", "-show_entries", "format=duration:stream=channels,codec_name", "-of", "json", file], { encoding: "utf8" }),
  );
  return { durationMs: Math.round(Number(info.format.duration) * 1000), channels: info.streams[0].channels, codec: info.streams[0].codec_name };
}
