// The Organization › Calling form's schema, shared by the route handler and the browser form.
import { z } from "zod";

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
  timeZone: z.string().trim().refine(isTimeZone, { message: "Choose a time zone from the list (an IANA name such as Europe/London)" }).optional(),
});
