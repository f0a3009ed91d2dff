// Business hours in an IANA time zone: several opening ranges per weekday (a range may run past
// midnight, e.g. 22:00–06:00), and per-date overrides (holidays, special hours).
//
// Overnight rule: a range belongs to the day it opens on. 22:00–06:00 on Friday is open Friday
// 22:00 until Saturday 06:00, whatever Saturday's own schedule (or a Saturday override) says; an
// override for a date replaces only the ranges that open on that date. Times are wall-clock times
// in the zone, so a range keeps its local opening and closing times across DST changes.
import { z } from "zod";

export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, "must be a time like 09:00");

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const DAY_MINUTES = 24 * 60;

export const MAX_RANGES_PER_DAY = 6;

// Checked only on enabled days (below), so a closed day may keep half-edited times.
const range = z.strictObject({ start: time, end: time });
export type TimeRange = z.infer<typeof range>;

/** The minutes [from, to) a range covers, counted from the opening day's midnight (to > 1440 past midnight). */
function span(r: TimeRange): [number, number] {
  const from = minutes(r.start);
  const to = minutes(r.end);
  return [from, to > from ? to : to + DAY_MINUTES];
}

function overlapProblem(ranges: TimeRange[]): string | null {
  const spans = ranges.map(span).sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < spans.length; i++) if (spans[i]![0] < spans[i - 1]![1]) return "opening ranges overlap";
  return null;
}

/**
 * A weekday: `{ enabled, ranges: [{ start, end }, …] }`. Documents written before split ranges
 * (`{ enabled, start, end }`) still parse and mean one range.
 */
const day = z
  .strictObject({
    enabled: z.boolean().default(true),
    start: time.optional(),
    end: time.optional(),
    ranges: z.array(range).max(MAX_RANGES_PER_DAY, `at most ${MAX_RANGES_PER_DAY} ranges per day`).optional(),
  })
  .transform((d) => ({
    enabled: d.enabled,
    ranges: d.ranges ?? [{ start: d.start ?? "09:00", end: d.end ?? "17:00" }],
  }))
  .superRefine((d, ctx) => {
    if (!d.enabled) return;
    d.ranges.forEach((r, i) => {
      if (minutes(r.start) === minutes(r.end))
        ctx.addIssue({ code: "custom", message: "closing time must differ from opening time", path: ["ranges", i, "end"] });
    });
    if (d.ranges.length === 0) ctx.addIssue({ code: "custom", message: "add an opening range or close the day", path: ["ranges"] });
    const overlap = overlapProblem(d.ranges);
    if (overlap) ctx.addIssue({ code: "custom", message: overlap, path: ["ranges"] });
  })
  .prefault({ enabled: false });
export type DayHours = z.infer<typeof day>;

const override = z
  .strictObject({
    date: z.iso.date({ message: "must be a date like 2026-12-25" }),
    closed: z.boolean().default(true),
    start: time.optional(),
    end: time.optional(),
    note: z.string().max(120).optional(),
  })
  .refine((o) => o.closed || (o.start && o.end && minutes(o.end) !== minutes(o.start)), {
    message: "special hours need an opening and a different closing time",
    path: ["end"],
  });

export const scheduleSchema = z.strictObject({
  timezone: z.string().min(1).refine(isValidTimeZone, { message: "is not a known IANA time zone (e.g. Europe/London)" }),
  schedule: z.strictObject({ mon: day, tue: day, wed: day, thu: day, fri: day, sat: day, sun: day }),
  overrides: z.array(override).max(366).default([]),
});
export type Schedule = z.infer<typeof scheduleSchema>;

/** Local calendar date, weekday and minute of day of `nowMs` in `timezone`. */
export function localTime(nowMs: number, timezone: string): { date: string; weekday: Weekday; minute: number } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", {
      timeZone: timezone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      weekday: "short",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    })
      .formatToParts(new Date(nowMs))
      .map((p) => [p.type, p.value]),
  );
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    weekday: String(parts.weekday).slice(0, 3).toLowerCase() as Weekday,
    minute: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

/** The ranges that open on `date` (a weekday `weekday`): the date's override, else the weekly hours. */
function rangesOpeningOn(schedule: Schedule, date: string, weekday: Weekday): TimeRange[] {
  const special = schedule.overrides.find((o) => o.date === date);
  if (special) return special.closed ? [] : [{ start: special.start!, end: special.end! }];
  const d = schedule.schedule[weekday];
  return d.enabled ? d.ranges : [];
}

function previousDay(date: string, weekday: Weekday): { date: string; weekday: Weekday } {
  const prev = new Date(Date.parse(`${date}T12:00:00Z`) - DAY_MINUTES * 60_000).toISOString().slice(0, 10);
  return { date: prev, weekday: WEEKDAYS[(WEEKDAYS.indexOf(weekday) + 6) % 7]! };
}

export function isOpen(schedule: Schedule, nowMs: number): boolean {
  const { date, weekday, minute } = localTime(nowMs, schedule.timezone);
  if (rangesOpeningOn(schedule, date, weekday).some((r) => minute >= span(r)[0] && minute < span(r)[1])) return true;
  // Yesterday's overnight ranges reach into today.
  const y = previousDay(date, weekday);
  return rangesOpeningOn(schedule, y.date, y.weekday).some((r) => minute + DAY_MINUTES >= span(r)[0] && minute + DAY_MINUTES < span(r)[1]);
}

/** "09:00–12:30, 13:30–18:00" for summaries. */
export function rangesLabel(ranges: TimeRange[]): string {
  return ranges.map((r) => `${r.start}–${r.end}`).join(", ");
}
