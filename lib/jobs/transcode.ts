// An uploaded file (OGG, MP3, WAV, M4A…) → loudness-normalised prompt audio.
import fs from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { db } from "../db";
import { failAssetWhenFinal, storeAsPrompt, withTempDir } from "./audio-asset";
import { defineJob, PermanentJobError } from "./job";

export const transcodeJob = defineJob({
  name: "audio.transcode",
  schema: z.object({
    assetId: z.string().min(1),
    sourceKey: z.string().min(1),
    /** A replacement of a file that plays: what the asset was, restored (with its file) if this one fails. */
    previous: z
      .object({ kind: z.enum(["upload", "tts"]), sourceText: z.string().nullable(), contentHash: z.string().nullable(), voice: z.string().nullable() })
      .optional(),
  }),
  attempts: 5,
  backoffMs: 1_000,
  async handle({ assetId, sourceKey, previous }, ctx) {
    const { storage, progress } = ctx;
    const asset = await db.audioAsset.findUnique({ where: { id: assetId }, select: { id: true, orgId: true, status: true } });
    if (!asset) throw new PermanentJobError(`Audio asset ${assetId} no longer exists`);
    if (asset.status === "ready") return;
    await failAssetWhenFinal(
      assetId,
      ctx,
      () =>
        withTempDir(async (dir) => {
          const source = path.join(dir, "source");
          await fs.writeFile(source, await storage.get(sourceKey));
          await progress(30);
          await storeAsPrompt(storage, asset, source, dir);
        }),
      // The previous file was never overwritten (the new one is stored only once converted): it plays on.
      previous &&
        ((reason) =>
          db.audioAsset.updateMany({
            where: { id: assetId },
            data: { ...previous, status: "ready", error: `The replacement file could not be used: ${reason}. The previous audio is kept.` },
          })),
    );
    await progress(100);
  },
});
