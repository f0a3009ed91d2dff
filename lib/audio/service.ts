// The organisation's audio library: TTS prompts and uploads, processed by the workers.
import { z } from "zod";
import { displayName } from "../validation";
import { config } from "../config";
import { db } from "../db";
import { AppError, notFound } from "../errors";
import { enqueue, enqueueAgain } from "../jobs/registry";
import { transcodeJob } from "../jobs/transcode";
import { ttsJob } from "../jobs/tts";
import { logger } from "../log";
import { storage } from "../storage";
import { FLOW_TEXT_AUDIO_GRACE_MS } from "./flow-text-sweep";
import { TTS_VOICE, ttsContentHash } from "./prompt-audio";

export const ttsInput = z.object({
  name: displayName(),
  text: z.string().trim().min(1, "Type the text to speak").max(2000, "Keep TTS text under 2,000 characters"),
});

export const uploadInput = z.object({
  name: displayName(),
  contentType: z.string().regex(/^(audio|video)\/[\w.+-]+$|^application\/ogg$/, "Choose an audio file (OGG, MP3, WAV, M4A…)"),
  size: z.number().int().positive(),
});

const assetSelect = { id: true, name: true, kind: true, status: true, error: true, durationMs: true, storageKey: true, createdAt: true } as const;

/**
 * Prompts pick audio by name, so two library entries of one name (in any case) cannot be told apart:
 * refused, naming the one that exists. Renders of a flow's prompt text are named from their text and
 * do not count (they are not picked by name).
 */
export async function assertAudioNameFree(orgId: string, name: string, exceptId?: string) {
  const same = await db.audioAsset.findFirst({
    where: { orgId, fromFlowText: false, name: { equals: name.trim(), mode: "insensitive" }, ...(exceptId ? { id: { not: exceptId } } : {}) },
    select: { name: true },
  });
  if (same) throw new AppError("conflict", `The audio library already has “${same.name}”; choose another name`);
}

export async function listAudio(orgId: string) {
  const assets = await db.audioAsset.findMany({ where: { orgId }, orderBy: { createdAt: "desc" }, select: assetSelect });
  return Promise.all(
    assets.map(async ({ storageKey, ...a }) => ({
      ...a,
      playbackUrl: a.status === "ready" && storageKey ? await storage().playbackUrl(storageKey) : null,
    })),
  );
}

/** A ready asset whose file storage no longer has; a storage that cannot answer now is not taken to have lost it. */
async function fileLost(asset: { id: string; status: string; storageKey: string | null }): Promise<boolean> {
  if (asset.status !== "ready" || !asset.storageKey) return false;
  try {
    return !(await storage().exists(asset.storageKey));
  } catch (err) {
    logger.warn({ err, assetId: asset.id }, "could not check that a spoken prompt's file is still stored");
    return false;
  }
}

/**
 * Same text + voice reuses the existing asset (content hash) instead of synthesizing again.
 * `fromFlowText`: rendered for a flow's prompt text (the prompt-audio sweep deletes it once nothing plays
 * it), not added to the library by a person; a person asking for the same text keeps it for good.
 */
export async function createTtsAsset(orgId: string, input: z.infer<typeof ttsInput>, fromFlowText = false) {
  const contentHash = ttsContentHash(input.text);
  const existing = await db.audioAsset.findFirst({
    where: { orgId, contentHash, status: { not: "failed" } },
    select: { ...assetSelect, fromFlowText: true, updatedAt: true },
  });
  if (existing) {
    const { fromFlowText: sweepable, updatedAt, ...asset } = existing;
    // A person's request keeps it for good; a flow's reuse marks it used, so the sweep leaves it alone.
    if (sweepable && (!fromFlowText || updatedAt.getTime() < Date.now() - FLOW_TEXT_AUDIO_GRACE_MS / 2))
      await db.audioAsset.update({ where: { id: asset.id }, data: { fromFlowText } });
    if (await fileLost(asset)) {
      // Its file is gone from storage (a wiped disk, another machine's local storage): spoken again,
      // so a publish waits for it instead of callers hearing the fallback.
      await db.audioAsset.update({ where: { id: asset.id }, data: { status: "pending", error: null } });
      await enqueueAgain(ttsJob, { assetId: asset.id }, `tts-${asset.id}`);
      return { ...asset, status: "pending" as const, error: null, reused: true };
    }
    return { ...asset, reused: true };
  }
  if (!fromFlowText) await assertAudioNameFree(orgId, input.name);
  const asset = await db.audioAsset.create({
    data: { orgId, kind: "tts", name: input.name, sourceText: input.text, voice: TTS_VOICE, contentHash, status: "pending", fromFlowText },
    select: assetSelect,
  });
  await enqueue(ttsJob, { assetId: asset.id }, `tts-${asset.id}`);
  return { ...asset, reused: false };
}

/** Step 1 of an upload: the asset, and a URL the browser PUTs the file to. */
export async function startUpload(orgId: string, input: z.infer<typeof uploadInput>) {
  const max = config().storage.max_upload_mb * 1_048_576;
  if (input.size > max)
    throw new AppError("bad_request", `The file is ${(input.size / 1_048_576).toFixed(1)} MB; the limit is ${config().storage.max_upload_mb} MB`);
  await assertAudioNameFree(orgId, input.name);
  const asset = await db.audioAsset.create({ data: { orgId, kind: "upload", name: input.name, status: "pending" }, select: assetSelect });
  const sourceKey = uploadKey(orgId, asset.id);
  return { asset, upload: { method: "PUT", url: await storage().uploadUrl(sourceKey, input.contentType), headers: { "content-type": input.contentType } } };
}

export const uploadKey = (orgId: string, assetId: string) => `orgs/${orgId}/uploads/${assetId}`;

/**
 * Step 2: the file is in storage; the asset (new, or one whose file is being replaced) is an upload
 * being processed from now on, and the transcode is queued. Gateways keep playing a replaced asset's
 * previous file until the new one is ready.
 */
export async function finishUpload(orgId: string, assetId: string) {
  const asset = await db.audioAsset.findFirst({
    where: { id: assetId, orgId },
    select: { id: true, status: true, storageKey: true, kind: true, sourceText: true, contentHash: true, voice: true },
  });
  if (!asset) throw notFound("Audio file");
  const sourceKey = uploadKey(orgId, assetId);
  if (!(await storage().exists(sourceKey))) throw new AppError("bad_request", "The file has not been uploaded yet");
  // Replacing a file that plays: should the new one fail to convert, the asset goes back to what it was.
  const previous =
    asset.status === "ready" && asset.storageKey
      ? { kind: asset.kind, sourceText: asset.sourceText, contentHash: asset.contentHash, voice: asset.voice }
      : undefined;
  await db.audioAsset.update({ where: { id: assetId }, data: { kind: "upload", status: "pending", error: null, contentHash: null, sourceText: null } });
  // Again under the same id: a replaced file is this asset's second transcode.
  await enqueueAgain(transcodeJob, { assetId, sourceKey, previous }, `transcode-${assetId}`);
  return { id: assetId, status: "pending" as const };
}
