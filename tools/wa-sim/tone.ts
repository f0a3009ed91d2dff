// A sine tone as 20 ms Opus packets (ffmpeg), for simulated callers and agents that "talk".
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { readOggOpus } from "../../lib/audio/ogg";

const cache = new Map<string, Buffer[]>();

export function tonePackets(frequency: number, seconds = 1): Buffer[] {
  const key = `${frequency}:${seconds}`;
  let packets = cache.get(key);
  if (!packets) {
    const file = path.join(os.tmpdir(), `ringflow-tone-${frequency}-${seconds}-${process.pid}.ogg`);
    execFileSync("ffmpeg", [
      "-v",
      "error",
      "-y",
      "-f",
      "lavfi",
      "-i",
      `sine=frequency=${frequency}:duration=${seconds}`,
      "-ac",
      "1",
      "-ar",
      "48000",
      "-c:a",
      "libopus",
      "-b:a",
      "24k",
      "-frame_duration",
      "20",
      file,
    ]);
    packets = readOggOpus(fs.readFileSync(file)).packets;
    fs.rmSync(file, { force: true });
    cache.set(key, packets);
  }
  return packets;
}
