// Audio rendered from flows' prompt text that nothing plays any more is deleted (hourly, by the
// workers). Every draft save renders the prompts' texts (lib/flows/prompt-audio.ts), so an author who
// rewords a greeting five times leaves four renders behind; without this the audio library filled with
// "Prompt: …" files nobody chose. Only renders made for flow text are swept (`fromFlowText`; a person
// who asks the library for the same text keeps it), and only when no flow's draft, published document
// or earlier version plays it (a restored version must still play), it is not the hold music, and it
// has not been used for an hour: a draft saved or published meanwhile has its texts in the draft already,
// and reusing a render marks it used (createTtsAsset), which the delete checks in the same statement.
import { db, Prisma } from "../db";
import { isPromptKey, ttsContentHash } from "./prompt-audio";
import { storage } from "../storage";

/** A render not used for this long, and played by nothing, is deleted. */
export const FLOW_TEXT_AUDIO_GRACE_MS = 60 * 60 * 1000;

/**
 * The audio a flow document plays: asset ids anywhere in it (any `assetId` key), and the content hashes
 * of its prompts' texts (any `…prompt` key's `text`, as lib/audio/prompt-audio.ts finds prompts; the
 * gateway plays a text's render found by that hash), whatever else the document holds.
 */
export function collectAudioRefs(doc: unknown, ids = new Set<string>(), hashes = new Set<string>()) {
  if (!doc || typeof doc !== "object") return { ids, hashes };
  if (Array.isArray(doc)) {
    for (const d of doc) collectAudioRefs(d, ids, hashes);
    return { ids, hashes };
  }
  for (const [k, v] of Object.entries(doc)) {
    if (k === "assetId" && typeof v === "string") ids.add(v);
    const text = isPromptKey(k) && v && typeof v === "object" && "text" in v && typeof v.text === "string" ? v.text.trim() : "";
    if (text) hashes.add(ttsContentHash(text));
    collectAudioRefs(v, ids, hashes);
  }
  return { ids, hashes };
}

/** Deletes the flow-text renders nothing plays (rows and stored files); returns how many went. */
export async function sweepFlowTextAudio(now = Date.now()): Promise<number> {
  const cutoff = new Date(now - FLOW_TEXT_AUDIO_GRACE_MS);
  const candidates = await db.audioAsset.findMany({
    where: { fromFlowText: true, updatedAt: { lt: cutoff } },
    select: { id: true, orgId: true, contentHash: true },
  });
  const byOrg = new Map<string, typeof candidates>();
  for (const a of candidates) byOrg.set(a.orgId, [...(byOrg.get(a.orgId) ?? []), a]);
  let deleted = 0;
  for (const [orgId, assets] of byOrg) {
    const [flows, org] = await Promise.all([
      db.ivrFlow.findMany({
        where: { orgId },
        select: { draftDocument: true, publishedDocument: true, versions: { select: { document: true } } },
      }),
      db.organization.findUnique({ where: { id: orgId }, select: { holdMusicAssetId: true } }),
    ]);
    const ids = new Set<string>();
    const hashes = new Set<string>();
    for (const f of flows) for (const doc of [f.draftDocument, f.publishedDocument, ...f.versions.map((v) => v.document)]) collectAudioRefs(doc, ids, hashes);
    if (org?.holdMusicAssetId) ids.add(org.holdMusicAssetId);
    const unused = assets.filter((a) => !ids.has(a.id) && !(a.contentHash && hashes.has(a.contentHash))).map((a) => a.id);
    if (unused.length === 0) continue;
    // Checked again as it deletes: claimed by a person or reused by a save since the read above, it stays.
    const gone = await db.$queryRaw<{ id: string; storage_key: string | null }[]>(Prisma.sql`
      DELETE FROM audio_assets
      WHERE org_id = ${orgId} AND id IN (${Prisma.join(unused)}) AND from_flow_text AND updated_at < ${cutoff}
      RETURNING id, storage_key`);
    for (const g of gone)
      if (g.storage_key)
        await storage()
          .delete(g.storage_key)
          .catch(() => undefined);
    deleted += gone.length;
  }
  return deleted;
}
