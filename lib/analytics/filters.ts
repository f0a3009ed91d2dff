// The analytics filter as it appears in the URL (page and GET /api/analytics share it): a range
// of the organisation's local days plus account, flow and team.
import { z } from "zod";
import { callFilterFields } from "../calls/filters";
import { zonedYmd } from "../calls/time-zone";

const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === "" || v === null ? undefined : v), schema.optional());

export const analyticsFiltersSchema = z
  .object({
    from: callFilterFields.from,
    to: callFilterFields.to,
    account: callFilterFields.account,
    flow: callFilterFields.flow,
    team: callFilterFields.team,
    /** Calls per hour or per day; by default hours for ranges up to 3 days. */
    grain: optional(z.enum(["hour", "day"])),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, { message: "must not be after `to`", path: ["from"] });
export type AnalyticsFilters = z.infer<typeof analyticsFiltersSchema>;

export interface ResolvedFilters {
  from: string;
  to: string;
  account?: string;
  flow?: string;
  team?: string;
  grain: "hour" | "day";
}

export const DEFAULT_RANGE_DAYS = 30;
export const MAX_RANGE_DAYS = 800;

const dayNumber = (ymd: string) => Date.parse(`${ymd}T00:00:00Z`) / 86_400_000;

/** Fills the default range (the last 30 local days) and grain; ranges are capped at ~2 years. */
export function resolveFilters(f: AnalyticsFilters, tz: string, now = new Date()): ResolvedFilters {
  const to = f.to ?? zonedYmd(now, tz);
  let from = f.from ?? new Date((dayNumber(to) - (DEFAULT_RANGE_DAYS - 1)) * 86_400_000).toISOString().slice(0, 10);
  if (dayNumber(to) - dayNumber(from) >= MAX_RANGE_DAYS) from = new Date((dayNumber(to) - (MAX_RANGE_DAYS - 1)) * 86_400_000).toISOString().slice(0, 10);
  const days = dayNumber(to) - dayNumber(from) + 1;
  return { from, to, account: f.account, flow: f.flow, team: f.team, grain: f.grain ?? (days <= 3 ? "hour" : "day") };
}

/** For pages: each field on its own, so one bad value drops that filter instead of the page. */
export function parseAnalyticsParams(raw: Record<string, string | string[] | undefined>): { filters: AnalyticsFilters; ignored: string[] } {
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const out: Record<string, unknown> = {};
  const ignored: string[] = [];
  const shape = analyticsFiltersSchema.shape;
  for (const [key, schema] of Object.entries(shape)) {
    const r = (schema as z.ZodType).safeParse(first(raw[key]));
    if (r.success) {
      if (r.data !== undefined) out[key] = r.data;
    } else ignored.push(key);
  }
  if (typeof out.from === "string" && typeof out.to === "string" && out.from > out.to) {
    delete out.from;
    ignored.push("from");
  }
  return { filters: out as AnalyticsFilters, ignored };
}
