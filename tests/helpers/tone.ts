// A test tone (tools/wa-sim/tone.ts) as an uploaded, ready audio asset in the gateway's audio
// directory, for flows to play.
import path from "node:path";
import { config } from "../../lib/config";
import type { PrismaClient } from "../../lib/db";
import { writeToneFile } from "../../tools/wa-sim/tone";

export async function toneAsset(db: PrismaClient, orgId: string, opts: { name: string; frequency: number; seconds: number }) {
  const key = `e2e/${opts.name.toLowerCase().replace(/\W+/g, "-")}-${Date.now()}.ogg`;
  const file = writeToneFile(path.resolve(config().calling.audio_dir, key), opts.frequency, opts.seconds);
  const asset = await db.audioAsset.create({
    data: { orgId, kind: "upload", name: opts.name, status: "ready", storageKey: key, durationMs: Math.round(opts.seconds * 1000) },
  });
  return { asset, file };
}
