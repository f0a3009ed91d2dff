// Call-log times in the organisation's IANA time zone (Organization.timeZone, default UTC): day
// boundaries for the date filter and the way times are written on pages and in exports.
const formatters = new Map<string, Intl.DateTimeFormat>();

/** The zone if the runtime knows it, else UTC (a stored zone the runtime lacks must not break the page). */
export function safeTimeZone(tz: string | null | undefined): string {
  if (!tz) return "UTC";
  try {
    new Intl.DateTimeFormat("en-GB", { timeZone: tz });
    return tz;
  } catch {
    return "UTC";
  }
}

function parts(date: Date, tz: string): Record<string, number> {
  const key = `parts|${tz}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: tz,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(key, f);
  }
  const out: Record<string, number> = {};
  for (const p of f.formatToParts(date)) if (p.type !== "literal") out[p.type] = Number(p.value);
  return out;
}

/** How far `tz`'s wall clock is ahead of UTC at `date`, in ms. */
function offsetAt(date: Date, tz: string): number {
  const p = parts(date, tz);
  const wall = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
  return wall - Math.floor(date.getTime() / 1000) * 1000;
}

/** The instant `tz`'s wall clock reads 00:00 on `ymd` (YYYY-MM-DD); the first instant of that day. */
export function zonedDayStart(ymd: string, tz: string): Date {
  const [y, m, d] = ymd.split("-").map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d);
  // Two rounds settle the offset even when the guess lands across a DST change.
  let t = wall - offsetAt(new Date(wall), tz);
  t = wall - offsetAt(new Date(t), tz);
  return new Date(t);
}

/** The day after `ymd`, as YYYY-MM-DD. */
export function nextDay(ymd: string): string {
  const d = new Date(`${ymd}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** `date` as YYYY-MM-DD in `tz` (export file names, default date inputs). */
export function zonedYmd(date: Date, tz: string): string {
  const p = parts(date, tz);
  return `${p.year}-${String(p.month).padStart(2, "0")}-${String(p.day).padStart(2, "0")}`;
}

function formatter(tz: string, style: "list" | "full" | "csv"): Intl.DateTimeFormat {
  const key = `${style}|${tz}`;
  let f = formatters.get(key);
  if (!f) {
    f =
      style === "csv"
        ? new Intl.DateTimeFormat("sv-SE", {
            timeZone: tz,
            year: "numeric",
            month: "2-digit",
            day: "2-digit",
            hour: "2-digit",
            minute: "2-digit",
            second: "2-digit",
            hourCycle: "h23",
          })
        : new Intl.DateTimeFormat("en-GB", { timeZone: tz, dateStyle: "medium", timeStyle: style === "full" ? "medium" : "short" });
    formatters.set(key, f);
  }
  return f;
}

/** "27 Nov 2026, 14:05" in the list, with seconds on the detail page. */
export function formatInZone(date: Date, tz: string, style: "list" | "full" = "list"): string {
  return formatter(tz, style).format(date);
}

/** "27 Nov 2026, 14:05:09 GMT-3": a moment on its own (no column heading naming the zone). */
export function formatWithZone(date: Date, tz: string): string {
  return `${formatInZone(date, tz, "full")} ${zoneLabel(tz, date)}`;
}

/** "2026-11-27 14:05:09" for CSV (sortable, spreadsheet-friendly). */
export function csvTime(date: Date, tz: string): string {
  return formatter(tz, "csv").format(date);
}

/** A short zone label for column headings, e.g. "GMT-3" or "UTC". */
export function zoneLabel(tz: string, at = new Date()): string {
  if (tz === "UTC") return "UTC";
  const p = new Intl.DateTimeFormat("en-GB", { timeZone: tz, timeZoneName: "shortOffset" }).formatToParts(at);
  return p.find((x) => x.type === "timeZoneName")?.value ?? tz;
}
