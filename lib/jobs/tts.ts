// Text → spoken prompt (Piper when configured, espeak-ng otherwise), stored as an audio asset.
import { z } from "zod";
import { synthesize } from "../audio/tts";
import { db } from "../db";
import { failAssetWhenFinal, markFailed, storeEncodedPrompt, withTempDir } from "./audio-asset";
import { defineJob, PermanentJobError } from "./job";

export const ttsJob = defineJob({
  name: "audio.tts",
  schema: z.object({ assetId: z.string().min(1) }),
  attempts: 4,
  backoffMs: 2_000,
  async handle({ assetId }, ctx) {
    const { storage, progress } = ctx;
    const asset = await db.audioAsset.findUnique({ where: { id: assetId }, select: { id: true, orgId: true, status: true, sourceText: true } });
    if (!asset) throw new PermanentJobError(`Audio asset ${assetId} no longer exists`);
    if (asset.status === "ready") return;
    const text = asset.sourceText?.trim();
    if (!text) {
      await markFailed(assetId, "There is no text to speak");
      throw new PermanentJobError("There is no text to speak");
    }
    await progress(10);
    await failAssetWhenFinal(assetId, ctx, () =>
      withTempDir(async (dir) => {
        // Synthesis writes the prompt format itself (mono 48 kHz Opus, 20 ms packets, loudness-normalised).
        const spoken = await synthesize(text, { audioDir: dir });
        await progress(60);
        await storeEncodedPrompt(storage, asset, spoken);
      }),
    );
    await progress(100);
  },
});
