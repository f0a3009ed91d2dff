"use client";
// Business hours: time zone, weekly schedule, and dated overrides (holidays or special hours).
import { Field } from "./fields";

const DAYS = [["mon", "Mon"], ["tue", "Tue"], ["wed", "Wed"], ["thu", "Thu"], ["fri", "Fri"], ["sat", "Sat"], ["sun", "Sun"]] as const;
type Day = { enabled: boolean; start: string; end: string };
type Override = { date: string; closed: boolean; start?: string; end?: string };
const zones = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];

export function TimingFields({ config, onChange }: { config: Record<string, unknown>; onChange: (patch: Record<string, unknown>) => void }) {
  const schedule = (config.schedule as Record<string, Day>) ?? {};
  const overrides = (config.overrides as Override[]) ?? [];
  const setDay = (d: string, patch: Partial<Day>) => onChange({ schedule: { ...schedule, [d]: { enabled: false, start: "09:00", end: "17:00", ...schedule[d], ...patch } } });
  return (
    <>
      <Field label="Time zone">
        <input className="input" list="rf-time-zones" value={String(config.timezone ?? "")} onChange={(e) => onChange({ timezone: e.target.value })} />
        <datalist id="rf-time-zones">{zones.map((z) => <option key={z} value={z} />)}</datalist>
      </Field>
      <fieldset className="space-y-1">
        <legend className="text-xs font-medium text-slate-700">Opening hours</legend>
        {DAYS.map(([d, label]) => (
          <div key={d} className="flex items-center gap-1 text-xs">
            <label className="flex w-14 items-center gap-1"><input type="checkbox" checked={!!schedule[d]?.enabled} onChange={(e) => setDay(d, { enabled: e.target.checked })} />{label}</label>
            <input aria-label={`${label} opens`} type="time" className="input py-1" value={schedule[d]?.start ?? "09:00"} onChange={(e) => setDay(d, { start: e.target.value })} />
            <input aria-label={`${label} closes`} type="time" className="input py-1" value={schedule[d]?.end ?? "17:00"} onChange={(e) => setDay(d, { end: e.target.value })} />
          </div>
        ))}
      </fieldset>
      <fieldset className="space-y-1">
        <legend className="text-xs font-medium text-slate-700">Holidays and special hours</legend>
        {overrides.map((o, i) => (
          <div key={`${i}-${o.date}`} className="flex items-center gap-1 text-xs">
            <input aria-label="Date" type="date" className="input py-1" value={o.date} onChange={(e) => onChange({ overrides: overrides.map((x, j) => (j === i ? { ...x, date: e.target.value } : x)) })} />
            <label className="flex items-center gap-1"><input type="checkbox" checked={o.closed} onChange={(e) => onChange({ overrides: overrides.map((x, j) => (j === i ? { ...x, closed: e.target.checked, start: x.start ?? "10:00", end: x.end ?? "14:00" } : x)) })} />closed</label>
            {!o.closed && (
              <>
                <input aria-label="Opens" type="time" className="input py-1" value={o.start ?? "10:00"} onChange={(e) => onChange({ overrides: overrides.map((x, j) => (j === i ? { ...x, start: e.target.value } : x)) })} />
                <input aria-label="Closes" type="time" className="input py-1" value={o.end ?? "14:00"} onChange={(e) => onChange({ overrides: overrides.map((x, j) => (j === i ? { ...x, end: e.target.value } : x)) })} />
              </>
            )}
            <button type="button" className="btn-secondary" aria-label="Remove date" onClick={() => onChange({ overrides: overrides.filter((_, j) => j !== i) })}>×</button>
          </div>
        ))}
        <button type="button" className="btn-secondary" onClick={() => onChange({ overrides: [...overrides, { date: new Date().toISOString().slice(0, 10), closed: true }] })}>Add date</button>
      </fieldset>
    </>
  );
}
