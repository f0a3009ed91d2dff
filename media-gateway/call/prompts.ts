// Turns an IVR prompt (uploaded asset or TTS text) into Opus packets, cached per process within a
// byte budget (least recently used prompts go first), so many organisations' audio cannot grow the
// gateway without bound. Loads in flight are shared, so a prompt is read once however many calls ask.
import fs from "node:fs/promises";
import { LRUCache } from "lru-cache";
import { readOggOpus } from "../../lib/audio/ogg";
import { synthesize } from "../../lib/audio/tts";
import { config } from "../../lib/config";
import { db } from "../../lib/db";
import type { Prompt } from "../../lib/ivr";
import { storage } from "../../lib/storage";

let cache: LRUCache<string, Buffer[]> | undefined;
const loading = new Map<string, Promise<Buffer[]>>();

/** The cache, sized by `[gateway] prompt_cache_mb`. */
export function promptCache(): LRUCache<string, Buffer[]> {
  cache ??= newCache(config().gateway.prompt_cache_mb * 1024 * 1024);
  return cache;
}

/** Starts over with an empty cache of `maxBytes` (tests). */
export function resetPromptCache(maxBytes: number): void {
  cache = newCache(maxBytes);
}

function newCache(maxBytes: number) {
  return new LRUCache<string, Buffer[]>({ maxSize: Math.max(1, Math.floor(maxBytes)), sizeCalculation: (packets) => Math.max(1, packets.reduce((n, p) => n + p.length, 0)) });
}

async function packetsOf(file: string): Promise<Buffer[]> {
  return readOggOpus(await fs.readFile(file)).packets;
}

function cached(key: string, load: () => Promise<Buffer[]>): Promise<Buffer[]> {
  const hit = promptCache().get(key);
  if (hit) return Promise.resolve(hit);
  let p = loading.get(key);
  if (!p) {
    p = load().then(
      (packets) => {
        loading.delete(key);
        promptCache().set(key, packets);
        return packets;
      },
      (err) => {
        loading.delete(key);
        throw err;
      },
    );
    loading.set(key, p);
  }
  return p;
}

export function resolvePrompt(orgId: string, prompt: Prompt): Promise<Buffer[]> {
  if (prompt.assetId) {
    const id = prompt.assetId;
    // Keyed by organisation too: an asset id is only ever resolved inside the org that owns it.
    return cached(`asset:${orgId}:${id}`, async () => {
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
  return fileAudio(fallbackFile);
}

/** A shipped OGG/Opus file (hold music, ringback), read once per process. */
export function fileAudio(file: string): Promise<Buffer[]> {
  return cached(`file:${file}`, () => packetsOf(file));
}
