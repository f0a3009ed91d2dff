// Organization › Calling settings: calling on/off, hold music, call recording (with retention)
// and the time zone call logs are shown in.
import { z } from "zod";
import { config } from "../config";
import { db } from "../db";
import { AppError } from "../errors";

/** IANA zones this runtime knows, UTC first (ICU lists it only under its aliases). */
export function timeZones(): string[] {
  return ["UTC", ...Intl.supportedValuesOf("timeZone").filter((z) => z !== "UTC")];
}

const isTimeZone = (tz: string) => tz === "UTC" || Intl.supportedValuesOf("timeZone").includes(tz);

export const RETENTION_MAX_DAYS = 3650;

/** Blank (or null) keeps recordings forever; the form sends the field as text. */
const retentionDays = z.preprocess(
  (v) => (v === "" || v === undefined ? null : typeof v === "string" && /^\s*\d+\s*$/.test(v) ? Number(v) : v),
  z
    .number({ error: `Keep recordings for a whole number of days (1–${RETENTION_MAX_DAYS}), or leave it blank to keep them forever` })
    .int(`Keep recordings for a whole number of days (1–${RETENTION_MAX_DAYS})`)
    .min(1, "Keep recordings for at least 1 day, or leave it blank to keep them forever")
    .max(RETENTION_MAX_DAYS, `Recordings can be kept for at most ${RETENTION_MAX_DAYS} days (10 years); leave it blank to keep them forever`)
    .nullable(),
);

// The recording and time-zone fields are optional so older clients that send only the first two keep working.
export const callingSettingsInput = z.object({
  callingEnabled: z.boolean(),
  holdMusicAssetId: z.string().min(1).nullable(),
  recordingEnabled: z.boolean().optional(),
  recordingRetentionDays: retentionDays.optional(),
  timeZone: z
    .string()
    .trim()
    .refine(isTimeZone, { message: "Choose a time zone from the list (an IANA name such as Europe/London)" })
    .optional(),
});

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

export function listReadyAudio(orgId: string) {
  return db.audioAsset.findMany({
    where: { orgId, status: "ready" },
    orderBy: { name: "asc" },
    select: { id: true, name: true, durationMs: true },
  });
}
