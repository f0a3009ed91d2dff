// Turns an IVR prompt into Opus packets, cached per process within a byte budget (least recently
// used prompts go first), so many organisations' audio cannot grow the gateway without bound.
// Loads in flight are shared, so a prompt is read once however many calls ask. An audio asset is
// checked against its row every ASSET_RECHECK_MS, so a replaced file plays from then on.
//
// The gateway only reads ready OGG/Opus files; it never synthesizes (DESIGN.md gives TTS to the
// workers, and a call must not wait for it). A prompt is an audio asset (uploads, and TTS text the
// publish path rendered), a built-in message shipped pre-rendered, or TTS text found by its content
// hash among the organisation's rendered assets. Audio missing at call time is logged and the
// caller hears the pre-rendered "not available" message instead of silence.
import fs from "node:fs/promises";
import path from "node:path";
import { LRUCache } from "lru-cache";
import { readOggOpus } from "../../lib/audio/ogg";
import { BUILT_IN_PROMPTS_DIR, type BuiltInPrompt, builtInPromptFor } from "../../lib/audio/prompt-audio";
import { config } from "../../lib/config";
import { db } from "../../lib/db";
import { readyTtsAsset } from "../../lib/flows/prompt-audio";
import type { Prompt } from "../../lib/ivr";
import { logger } from "../../lib/log";
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
  return new LRUCache<string, Buffer[]>({
    maxSize: Math.max(1, Math.floor(maxBytes)),
    // An asset's version goes with its packets (evicted, or replaced by a newer file).
    dispose: (_packets, key, reason) => void (reason !== "set" && assetVersions.delete(key)),
    sizeCalculation: (packets) =>
      Math.max(
        1,
        packets.reduce((n, p) => n + p.length, 0),
      ),
  });
}

async function packetsOf(file: string): Promise<Buffer[]> {
  return readOggOpus(await fs.readFile(file)).packets;
}

/** One `fn` in flight per key: everyone who asks meanwhile gets its promise. */
function shared(key: string, fn: () => Promise<Buffer[]>): Promise<Buffer[]> {
  let p = loading.get(key);
  if (!p) {
    p = fn().finally(() => loading.delete(key));
    loading.set(key, p);
  }
  return p;
}

function cached(key: string, load: () => Promise<Buffer[]>): Promise<Buffer[]> {
  const hit = promptCache().get(key);
  if (hit) return Promise.resolve(hit);
  return shared(key, async () => {
    const packets = await load();
    promptCache().set(key, packets);
    return packets;
  });
}

/** A shipped, pre-rendered message (public/audio/prompts). */
export function builtInPrompt(name: BuiltInPrompt): Promise<Buffer[]> {
  const file = path.resolve(BUILT_IN_PROMPTS_DIR, `${name}.ogg`);
  return cached(`file:${file}`, () => packetsOf(file));
}

/**
 * How often a cached audio asset is checked against its row: "Replace file" in the audio library
 * keeps the asset's id, so a gateway would otherwise play the old audio until it restarts.
 */
export const ASSET_RECHECK_MS = 30_000;
/** Per cached asset: the row version (updatedAt) its packets came from, and when that was last checked. */
const assetVersions = new Map<string, { version: number; checkedAt: number }>();
function assetPackets(orgId: string, id: string): Promise<Buffer[]> {
  // Keyed by organisation too: an asset id is only ever resolved inside the org that owns it.
  const key = `asset:${orgId}:${id}`;
  const held = promptCache().get(key);
  const known = assetVersions.get(key);
  if (held && known && Date.now() - known.checkedAt < ASSET_RECHECK_MS) return Promise.resolve(held);
  return shared(key, () => checkAsset(key, orgId, id, held));
}

/** The asset's packets as its row says now; what is held keeps playing while the row or storage cannot be read, or a replacement is on its way. */
async function checkAsset(key: string, orgId: string, id: string, held: Buffer[] | undefined): Promise<Buffer[]> {
  let asset: { status: string; storageKey: string | null; name: string; updatedAt: Date } | null;
  try {
    asset = await db.audioAsset.findFirst({ where: { id, orgId }, select: { status: true, storageKey: true, name: true, updatedAt: true } });
  } catch (err) {
    if (held) return held;
    throw err;
  }
  if (!asset) throw new Error(`Audio asset ${id} does not exist in this organisation`);
  const version = asset.updatedAt.getTime();
  const known = assetVersions.get(key);
  if (held && known?.version === version) {
    known.checkedAt = Date.now();
    return held;
  }
  // A stored file plays whatever the status: while a replacement is uploaded and converted (pending),
  // or after it failed, the previous file is still there (the conversion writes it only on success).
  if (!asset.storageKey) throw new Error(`Audio “${asset.name}” is not ready (${asset.status})`);
  if (held && asset.status !== "ready" && known) {
    known.checkedAt = Date.now(); // the replacement is not ready: looked at again in ASSET_RECHECK_MS
    return held;
  }
  let packets: Buffer[];
  try {
    packets = readOggOpus(await storage().get(asset.storageKey)).packets;
  } catch (err) {
    if (held) return held;
    throw err;
  }
  promptCache().set(key, packets);
  assetVersions.set(key, { version, checkedAt: Date.now() });
  return packets;
}

async function loadPrompt(orgId: string, prompt: Prompt): Promise<Buffer[]> {
  if (prompt.assetId) return assetPackets(orgId, prompt.assetId);
  const text = prompt.text?.trim() ?? "";
  const builtIn = builtInPromptFor(text);
  if (builtIn) return builtInPrompt(builtIn);
  // Rendered audio never changes for its text, so a hit is cached (calls keep their prompts through
  // a database blip); a miss is not, so audio rendered a moment from now is found on the next call.
  return cached(`tts:${orgId}:${text}`, async () => {
    const asset = await readyTtsAsset(orgId, text);
    if (!asset) throw new Error("its TTS audio has not been rendered (publish the flow again to render it)");
    return assetPackets(orgId, asset.id);
  });
}

/** The prompt's packets; audio that cannot be read is logged and replaced by the "not available" message. */
export async function resolvePrompt(orgId: string, prompt: Prompt, log = logger): Promise<Buffer[]> {
  try {
    return await loadPrompt(orgId, prompt);
  } catch (err) {
    log.error({ err, orgId, prompt }, "prompt audio is missing; playing the built-in fallback");
    return builtInPrompt("unavailable");
  }
}

/** The organisation's hold music (Organization › Calling) if it is ready, else `hold_music_file`. */
export async function holdMusic(orgId: string, fallbackFile: string): Promise<Buffer[]> {
  const org = await db.organization.findUnique({ where: { id: orgId }, select: { holdMusicAsset: { select: { id: true, status: true } } } });
  const asset = org?.holdMusicAsset;
  if (asset?.status === "ready") {
    try {
      return await assetPackets(orgId, asset.id);
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
