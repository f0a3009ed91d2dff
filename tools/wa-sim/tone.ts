// A sine tone as 20 ms Opus packets (ffmpeg), for simulated callers and agents that "talk".
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { readOggOpus } from "../../lib/audio/ogg";

const cache = new Map<string, Buffer[]>();

/** Writes a sine tone as OGG/Opus, mono 48 kHz, 20 ms packets (at `bitrate`, e.g. "24k", when given). */
export function writeToneFile(file: string, frequency: number, seconds: number, bitrate?: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const input = ["-v", "error", "-y", "-f", "lavfi", "-i", `sine=frequency=${frequency}:duration=${seconds}`];
  const encode = ["-ac", "1", "-ar", "48000", "-c:a", "libopus", ...(bitrate ? ["-b:a", bitrate] : []), "-frame_duration", "20"];
  execFileSync("ffmpeg", [...input, ...encode, file]);
  return file;
}

export function tonePackets(frequency: number, seconds = 1): Buffer[] {
  const key = `${frequency}:${seconds}`;
  let packets = cache.get(key);
  if (!packets) {
    const file = writeToneFile(path.join(os.tmpdir(), `ringflow-tone-${frequency}-${seconds}-${process.pid}.ogg`), frequency, seconds, "24k");
    packets = readOggOpus(fs.readFileSync(file)).packets;
    fs.rmSync(file, { force: true });
    cache.set(key, packets);
  }
  return packets;
}
