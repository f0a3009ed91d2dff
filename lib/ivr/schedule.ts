// Business hours in an IANA time zone, with per-date overrides (holidays, special hours).
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

const hours = z
  .strictObject({ enabled: z.boolean().default(true), start: time.default("09:00"), end: time.default("17:00") })
  .refine((d) => !d.enabled || minutes(d.end) > minutes(d.start), {
    message: "closing time must be after opening time",
    path: ["end"],
  });

const day = hours.prefault({ enabled: false });

const override = z
  .strictObject({
    date: z.iso.date({ message: "must be a date like 2026-12-25" }),
    closed: z.boolean().default(true),
    start: time.optional(),
    end: time.optional(),
    note: z.string().max(120).optional(),
  })
  .refine((o) => o.closed || (o.start && o.end && minutes(o.end) > minutes(o.start)), {
    message: "special hours need an opening time before the closing time",
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

export function isOpen(schedule: Schedule, nowMs: number): boolean {
  const { date, weekday, minute } = localTime(nowMs, schedule.timezone);
  const special = schedule.overrides.find((o) => o.date === date);
  if (special) return !special.closed && minute >= minutes(special.start!) && minute < minutes(special.end!);
  const day = schedule.schedule[weekday];
  return day.enabled && minute >= minutes(day.start) && minute < minutes(day.end);
}
