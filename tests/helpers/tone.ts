// Test tones made with ffmpeg (OGG/Opus, mono 48 kHz, 20 ms packets), and the same tone as an
// uploaded, ready audio asset in the gateway's audio directory, for flows to play.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { config } from "../../lib/config";
import type { PrismaClient } from "../../lib/db";

export function makeToneFile(file: string, frequency: number, seconds: number): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const args = ["-v", "error", "-y", "-f", "lavfi", "-i", `sine=frequency=${frequency}:duration=${seconds}`];
  execFileSync("ffmpeg", [...args, "-ac", "1", "-ar", "48000", "-c:a", "libopus", "-frame_duration", "20", file]);
  return file;
}

export async function toneAsset(db: PrismaClient, orgId: string, opts: { name: string; frequency: number; seconds: number }) {
  const key = `e2e/${opts.name.toLowerCase().replace(/\W+/g, "-")}-${Date.now()}.ogg`;
  const file = makeToneFile(path.resolve(config().calling.audio_dir, key), opts.frequency, opts.seconds);
  const asset = await db.audioAsset.create({
    data: { orgId, kind: "upload", name: opts.name, status: "ready", storageKey: key, durationMs: Math.round(opts.seconds * 1000) },
  });
  return { asset, file };
}
