// Organization › Calling settings: calling on/off, hold music, call recording (with retention)
// and the time zone call logs are shown in.
import type { z } from "zod";
import { config } from "../config";
import { db } from "../db";
import { AppError } from "../errors";
import type { callingSettingsInput } from "./calling-schema";

export { callingSettingsInput, RETENTION_MAX_DAYS, timeZones } from "./calling-schema";

const settingsSelect = {
  callingEnabled: true,
  holdMusicAssetId: true,
  recordingEnabled: true,
  recordingRetentionDays: true,
  timeZone: true,
} as const;

export async function getCallingSettings(orgId: string) {
  const org = await db.organization.findUniqueOrThrow({ where: { id: orgId }, select: { name: true, ...settingsSelect } });
  // Recording needs the server switch too; the settings page says so when it is off.
  return { ...org, serverRecordingEnabled: config().calling.recording_enabled };
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
    data: {
      callingEnabled: input.callingEnabled,
      holdMusicAssetId: input.holdMusicAssetId,
      recordingEnabled: input.recordingEnabled,
      recordingRetentionDays: input.recordingRetentionDays,
      timeZone: input.timeZone,
    },
    select: settingsSelect,
  });
}

/**
 * Ready audio to choose hold music from: not the renders of flows' prompt text ("Prompt: …", spoken
 * sentences no one means as music), unless one is the current choice.
 */
export function listReadyAudio(orgId: string) {
  return db.audioAsset.findMany({
    where: { orgId, status: "ready", OR: [{ fromFlowText: false }, { holdMusicFor: { isNot: null } }] },
    orderBy: { name: "asc" },
    select: { id: true, name: true, durationMs: true },
  });
}
