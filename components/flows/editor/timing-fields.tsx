"use client";
// Business hours: time zone, weekly schedule, and dated overrides (holidays or special hours).
import { MAX_RANGES_PER_DAY } from "@/lib/ivr/schedule";
import { Field } from "./fields";

const DAYS = [
  ["mon", "Mon"],
  ["tue", "Tue"],
  ["wed", "Wed"],
  ["thu", "Thu"],
  ["fri", "Fri"],
  ["sat", "Sat"],
  ["sun", "Sun"],
] as const;
type Range = { start: string; end: string };
// Older documents keep one range as `start`/`end`; the first edit rewrites the day as `ranges`.
type Day = { enabled: boolean; start?: string; end?: string; ranges?: Range[] };
type Override = { date: string; closed: boolean; start?: string; end?: string };
const zones = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];

const rangesOf = (d: Day | undefined): Range[] => d?.ranges ?? [{ start: d?.start ?? "09:00", end: d?.end ?? "17:00" }];
const overnight = (r: Range) => r.end !== "24:00" && r.end !== "00:00" && r.end < r.start;

export function TimingFields({ config, onChange }: { config: Record<string, unknown>; onChange: (patch: Record<string, unknown>) => void }) {
  const schedule = (config.schedule as Record<string, Day>) ?? {};
  const overrides = (config.overrides as Override[]) ?? [];
  const setDay = (d: string, enabled: boolean, ranges: Range[]) => onChange({ schedule: { ...schedule, [d]: { enabled, ranges } } });
  return (
    <>
      <Field label="Time zone">
        <input className="input" list="rf-time-zones" value={String(config.timezone ?? "")} onChange={(e) => onChange({ timezone: e.target.value })} />
        <datalist id="rf-time-zones">
          {zones.map((z) => (
            <option key={z} value={z} />
          ))}
        </datalist>
      </Field>
      <fieldset className="space-y-1">
        <legend className="text-xs font-medium text-slate-700">Opening hours</legend>
        {DAYS.map(([d, label]) => {
          const day = schedule[d];
          const enabled = !!day?.enabled;
          const ranges = rangesOf(day);
          const setRange = (i: number, patch: Partial<Range>) =>
            setDay(
              d,
              enabled,
              ranges.map((r, j) => (j === i ? { ...r, ...patch } : r)),
            );
          return (
            <div key={d} className="flex items-start gap-1 text-xs">
              <label className="flex w-12 shrink-0 items-center gap-1 pt-1.5">
                <input type="checkbox" checked={enabled} onChange={(e) => setDay(d, e.target.checked, ranges)} />
                {label}
              </label>
              <div className="min-w-0 flex-1 space-y-1">
                {ranges.map((r, i) => (
                  <div key={i} className="flex items-center gap-1">
                    <input
                      aria-label={`${label} opens${ranges.length > 1 ? ` (range ${i + 1})` : ""}`}
                      type="time"
                      className="input min-w-0 px-1.5 py-1"
                      value={r.start}
                      onChange={(e) => setRange(i, { start: e.target.value })}
                    />
                    <input
                      aria-label={`${label} closes${ranges.length > 1 ? ` (range ${i + 1})` : ""}`}
                      type="time"
                      className="input min-w-0 px-1.5 py-1"
                      value={r.end === "24:00" ? "00:00" : r.end}
                      onChange={(e) => setRange(i, { end: e.target.value })}
                    />
                    {overnight(r) && (
                      <span className="shrink-0 text-slate-500" title="Closes the next day">
                        +1d
                      </span>
                    )}
                    {ranges.length > 1 && (
                      <button
                        type="button"
                        className="shrink-0 px-1 text-slate-500 hover:text-red-600"
                        aria-label={`Remove ${label} range ${i + 1}`}
                        onClick={() =>
                          setDay(
                            d,
                            enabled,
                            ranges.filter((_, j) => j !== i),
                          )
                        }
                      >
                        ×
                      </button>
                    )}
                  </div>
                ))}
                {enabled && ranges.length < MAX_RANGES_PER_DAY && (
                  <button
                    type="button"
                    className="text-brand-700 hover:underline"
                    aria-label={`Add a ${label} range`}
                    onClick={() => setDay(d, enabled, [...ranges, { start: ranges.at(-1)?.end ?? "13:00", end: "18:00" }])}
                  >
                    + range
                  </button>
                )}
              </div>
            </div>
          );
        })}
        <p className="text-xs text-slate-500">A closing time earlier than the opening time runs past midnight (e.g. 22:00–06:00).</p>
      </fieldset>
      <fieldset className="space-y-1">
        <legend className="text-xs font-medium text-slate-700">Holidays and special hours</legend>
        {overrides.map((o, i) => (
          <div key={`${i}-${o.date}`} className="flex items-center gap-1 text-xs">
            <input
              aria-label="Date"
              type="date"
              className="input py-1"
              value={o.date}
              onChange={(e) => onChange({ overrides: overrides.map((x, j) => (j === i ? { ...x, date: e.target.value } : x)) })}
            />
            <label className="flex items-center gap-1">
              <input
                type="checkbox"
                checked={o.closed}
                onChange={(e) =>
                  onChange({
                    overrides: overrides.map((x, j) => (j === i ? { ...x, closed: e.target.checked, start: x.start ?? "10:00", end: x.end ?? "14:00" } : x)),
                  })
                }
              />
              closed
            </label>
            {!o.closed && (
              <>
                <input
                  aria-label="Opens"
                  type="time"
                  className="input py-1"
                  value={o.start ?? "10:00"}
                  onChange={(e) => onChange({ overrides: overrides.map((x, j) => (j === i ? { ...x, start: e.target.value } : x)) })}
                />
                <input
                  aria-label="Closes"
                  type="time"
                  className="input py-1"
                  value={o.end ?? "14:00"}
                  onChange={(e) => onChange({ overrides: overrides.map((x, j) => (j === i ? { ...x, end: e.target.value } : x)) })}
                />
              </>
            )}
            <button
              type="button"
              className="btn-secondary"
              aria-label="Remove date"
              onClick={() => onChange({ overrides: overrides.filter((_, j) => j !== i) })}
            >
              ×
            </button>
          </div>
        ))}
        <button
          type="button"
          className="btn-secondary"
          onClick={() => onChange({ overrides: [...overrides, { date: new Date().toISOString().slice(0, 10), closed: true }] })}
        >
          Add date
        </button>
      </fieldset>
    </>
  );
}
