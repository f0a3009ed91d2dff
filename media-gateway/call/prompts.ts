// Turns an IVR prompt (uploaded asset or TTS text) into Opus packets, cached per process.
import fs from "node:fs/promises";
import { synthesize } from "../../lib/audio/tts";
import { db } from "../../lib/db";
import { storage } from "../../lib/storage";
import type { Prompt } from "../../lib/ivr";
import { readOggOpus } from "../../lib/audio/ogg";

const cache = new Map<string, Promise<Buffer[]>>();

async function packetsOf(file: string): Promise<Buffer[]> {
  return readOggOpus(await fs.readFile(file)).packets;
}

function cached(key: string, load: () => Promise<Buffer[]>): Promise<Buffer[]> {
  let p = cache.get(key);
  if (!p) {
    p = load();
    cache.set(key, p);
    p.catch(() => cache.delete(key));
  }
  return p;
}

export function resolvePrompt(orgId: string, prompt: Prompt): Promise<Buffer[]> {
  if (prompt.assetId) {
    const id = prompt.assetId;
    return cached(`asset:${id}`, async () => {
      const asset = await db.audioAsset.findFirst({ where: { id, orgId }, select: { status: true, storageKey: true, name: true } });
      if (!asset) throw new Error(`Audio asset ${id} does not exist in this organisation`);
      if (asset.status !== "ready" || !asset.storageKey) throw new Error(`Audio “${asset.name}” is not ready (${asset.status})`);
      return readOggOpus(await storage().get(asset.storageKey)).packets;
    });
  }
  const text = prompt.text?.trim() ?? "";
  return cached(`tts:${text}`, async () => packetsOf(await synthesize(text)));
}

/** The organisation's hold music (Organization › Calling) if it is ready, else `hold_music_file`. */
export async function holdMusic(orgId: string, fallbackFile: string): Promise<Buffer[]> {
  const org = await db.organization.findUnique({ where: { id: orgId }, select: { holdMusicAsset: { select: { id: true, status: true } } } });
  const asset = org?.holdMusicAsset;
  if (asset?.status === "ready") {
    try {
      return await resolvePrompt(orgId, { assetId: asset.id });
    } catch {
      // Unreadable asset: fall back to the shipped music rather than silence.
    }
  }
  return cached(`file:${fallbackFile}`, () => packetsOf(fallbackFile));
}
