// Managing the audio library: rename, replace the file, delete (refused while a flow or the hold
// music uses the asset, naming who uses it).
import { z } from "zod";
import { displayName } from "../validation";
import { config } from "../config";
import { db } from "../db";
import { AppError, notFound } from "../errors";
import { storage } from "../storage";
import { collectAudioRefs } from "./flow-text-sweep";
import { assertAudioNameFree, uploadInput, uploadKey } from "./service";

export const renameInput = z.object({ name: displayName() });
export const replaceInput = uploadInput.omit({ name: true });

async function findAsset(orgId: string, id: string) {
  const asset = await db.audioAsset.findFirst({ where: { id, orgId }, select: { id: true, name: true, storageKey: true } });
  if (!asset) throw notFound("Audio file");
  return asset;
}

/**
 * Names of the flows whose draft or published document plays the asset: by its id, or (a speech file)
 * by a prompt's text, whose render the gateway finds by content hash.
 */
export async function flowsUsing(orgId: string, assetId: string): Promise<string[]> {
  const [flows, asset] = await Promise.all([
    db.ivrFlow.findMany({ where: { orgId }, orderBy: { name: "asc" }, select: { name: true, draftDocument: true, publishedDocument: true } }),
    db.audioAsset.findFirst({ where: { id: assetId, orgId, kind: "tts" }, select: { contentHash: true } }),
  ]);
  return flows
    .filter((f) => {
      const { ids, hashes } = collectAudioRefs([f.draftDocument, f.publishedDocument]);
      return ids.has(assetId) || (asset?.contentHash != null && hashes.has(asset.contentHash));
    })
    .map((f) => f.name);
}

export async function renameAsset(orgId: string, id: string, input: z.infer<typeof renameInput>) {
  await findAsset(orgId, id);
  await assertAudioNameFree(orgId, input.name, id);
  return db.audioAsset.update({ where: { id }, data: { name: input.name }, select: { id: true, name: true } });
}

/** Why the asset cannot be deleted (a flow or the hold music plays it), or null. */
async function deleteRefusal(orgId: string, asset: { id: string; name: string }): Promise<string | null> {
  const users = await flowsUsing(orgId, asset.id);
  if (users.length)
    return `“${asset.name}” is used by ${users.map((n) => `“${n}”`).join(", ")}. Choose other audio in ${users.length > 1 ? "those flows" : "that flow"} first.`;
  const holdMusic = await db.organization.findFirst({ where: { id: orgId, holdMusicAssetId: asset.id }, select: { id: true } });
  return holdMusic ? `“${asset.name}” is the organisation's hold music. Choose other hold music first.` : null;
}

/** Whether the asset can be deleted now, and why not: asked before the library confirms a delete. */
export async function deletability(orgId: string, id: string): Promise<{ canDelete: boolean; reason: string | null }> {
  const reason = await deleteRefusal(orgId, await findAsset(orgId, id));
  return { canDelete: reason === null, reason };
}

export async function deleteAsset(orgId: string, id: string) {
  const asset = await findAsset(orgId, id);
  const refusal = await deleteRefusal(orgId, asset);
  if (refusal) throw new AppError("conflict", refusal);
  await db.audioAsset.delete({ where: { id } });
  for (const key of [asset.storageKey, uploadKey(orgId, id)])
    if (key)
      await storage()
        .delete(key)
        .catch(() => undefined);
}

/**
 * Replacing keeps the asset (and every flow that plays it); the new file is transcoded like an upload.
 * Nothing changes here: the asset becomes an upload in progress only once the file is in storage
 * (finishUpload), so a replacement abandoned before that keeps the asset as it was (its speech text too).
 */
export async function startReplace(orgId: string, id: string, input: z.infer<typeof replaceInput>) {
  await findAsset(orgId, id);
  const max = config().storage.max_upload_mb * 1_048_576;
  if (input.size > max)
    throw new AppError("bad_request", `The file is ${(input.size / 1_048_576).toFixed(1)} MB; the limit is ${config().storage.max_upload_mb} MB`);
  return { upload: { method: "PUT", url: await storage().uploadUrl(uploadKey(orgId, id), input.contentType), headers: { "content-type": input.contentType } } };
}
