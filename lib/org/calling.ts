// Organization › Calling settings.
import { z } from "zod";
import { db } from "../db";
import { AppError } from "../errors";

export const callingSettingsInput = z.object({
  callingEnabled: z.boolean(),
  holdMusicAssetId: z.string().min(1).nullable(),
});

export function getCallingSettings(orgId: string) {
  return db.organization.findUniqueOrThrow({
    where: { id: orgId },
    select: { name: true, callingEnabled: true, holdMusicAssetId: true },
  });
}

export async function updateCallingSettings(orgId: string, input: z.infer<typeof callingSettingsInput>) {
  if (input.holdMusicAssetId) {
    const asset = await db.audioAsset.findFirst({
      where: { id: input.holdMusicAssetId, orgId },
      select: { status: true },
    });
    if (!asset) throw new AppError("bad_request", "That audio file does not belong to this organisation");
    if (asset.status !== "ready") throw new AppError("bad_request", "Hold music must be a processed (ready) audio file");
  }
  return db.organization.update({
    where: { id: orgId },
    data: { callingEnabled: input.callingEnabled, holdMusicAssetId: input.holdMusicAssetId },
    select: { callingEnabled: true, holdMusicAssetId: true },
  });
}

export function listReadyAudio(orgId: string) {
  return db.audioAsset.findMany({
    where: { orgId, status: "ready" },
    orderBy: { name: "asc" },
    select: { id: true, name: true, durationMs: true },
  });
}
