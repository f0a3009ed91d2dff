// The call-log filter, as it appears in the URL: one zod schema shared by the Calls page, the JSON
// API (GET /api/calls) and the CSV export, so a shared link, the API and the export agree.
import { z } from "zod";
import { CallDirection, CallStatus } from "../generated/prisma/enums";

const id = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, "is not a valid id");
const day = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date (YYYY-MM-DD)")
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), "is not a real date");

/** Empty form fields arrive as "": they mean "no filter", not "match the empty string". */
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === "" || v === null ? undefined : v), schema.optional());

/**
 * Not a status of its own: a call that waited for a team and that no agent took reads "Completed"
 * (the IVR answered it) with "No agent answered" beside it (lib/calls/present `noAgentAnswered`).
 * The status filter finds those calls by this value.
 */
export const NO_AGENT_ANSWERED = "no_agent_answered";

export const callFilterFields = {
  status: optional(z.enum([...(Object.values(CallStatus) as [CallStatus, ...CallStatus[]]), NO_AGENT_ANSWERED])),
  direction: optional(z.enum(Object.values(CallDirection) as [CallDirection, ...CallDirection[]])),
  account: optional(id),
  flow: optional(id),
  agent: optional(id),
  team: optional(id),
  /** First day included, in the organisation's time zone. */
  from: optional(day),
  /** Last day included, in the organisation's time zone. */
  to: optional(day),
  /** Phone digits (prefix of the number) or the start of the contact's name. */
  q: optional(z.string().trim().min(1).max(100)),
};

export const callFiltersSchema = z.object(callFilterFields);
export type CallFilters = z.infer<typeof callFiltersSchema>;

const cursor = optional(
  z
    .string()
    .max(200)
    .regex(/^[A-Za-z0-9_-]+$/, "is not a valid page cursor"),
);

/** The list: filters plus a keyset cursor, `after` (older than) or `before` (newer than). */
export const callListSchema = callFiltersSchema.extend({
  after: cursor,
  before: cursor,
  limit: optional(z.coerce.number().int().min(1).max(200)),
});
export type CallListQuery = z.infer<typeof callListSchema>;

export const FILTER_KEYS = Object.keys(callFilterFields) as (keyof CallFilters)[];

/**
 * For pages: parses each field on its own so one bad value (an old link, a hand-edited URL) drops
 * that filter with a message instead of failing the whole page.
 */
export function parseCallListParams(raw: Record<string, string | string[] | undefined>): { query: CallListQuery; ignored: string[] } {
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const query: Record<string, unknown> = {};
  const ignored: string[] = [];
  for (const [key, schema] of Object.entries(callListSchema.shape)) {
    const r = (schema as z.ZodType).safeParse(first(raw[key]));
    if (r.success) {
      if (r.data !== undefined) query[key] = r.data;
    } else ignored.push(key);
  }
  return { query: query as CallListQuery, ignored };
}

/** The query string for `filters` (empty values left out), plus extra keys such as a cursor. */
export function filterSearchParams(filters: CallFilters, extra: Record<string, string | undefined> = {}): URLSearchParams {
  const sp = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const v = filters[key];
    if (v !== undefined && v !== "") sp.set(key, String(v));
  }
  for (const [k, v] of Object.entries(extra)) if (v) sp.set(k, v);
  return sp;
}

export function pickFilters(q: CallListQuery): CallFilters {
  return Object.fromEntries(FILTER_KEYS.filter((k) => q[k] !== undefined).map((k) => [k, q[k]])) as CallFilters;
}
