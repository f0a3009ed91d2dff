// An uploaded file (OGG, MP3, WAV, M4A…) → loudness-normalised prompt audio.
import fs from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { db } from "../db";
import { failAssetWhenFinal, storeAsPrompt, withTempDir } from "./audio-asset";
import { defineJob, PermanentJobError } from "./job";

export const transcodeJob = defineJob({
  name: "audio.transcode",
  schema: z.object({ assetId: z.string().min(1), sourceKey: z.string().min(1) }),
  attempts: 5,
  backoffMs: 1_000,
  async handle({ assetId, sourceKey }, ctx) {
    const { storage, progress } = ctx;
    const asset = await db.audioAsset.findUnique({ where: { id: assetId }, select: { id: true, orgId: true, status: true } });
    if (!asset) throw new PermanentJobError(`Audio asset ${assetId} no longer exists`);
    if (asset.status === "ready") return;
    await failAssetWhenFinal(assetId, ctx, () =>
      withTempDir(async (dir) => {
        const source = path.join(dir, "source");
        await fs.writeFile(source, await storage.get(sourceKey));
        await progress(30);
        await storeAsPrompt(storage, asset, source, dir);
      }),
    );
    await progress(100);
  },
});
