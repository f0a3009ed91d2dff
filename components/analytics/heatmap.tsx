"use client";
// Busiest hours: calls by local weekday × hour as a grid of shaded cells (recharts has no heat map).
import type { HeatCell } from "@/lib/analytics/queries";
import { ChartCard } from "./chart-card";

const DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const HOURS = Array.from({ length: 24 }, (_, h) => h);

export function Heatmap({ cells }: { cells: HeatCell[] }) {
  const at = new Map(cells.map((c) => [`${c.weekday}|${c.hour}`, c.calls]));
  const max = Math.max(1, ...cells.map((c) => c.calls));
  return (
    <ChartCard
      id="heatmap"
      title="Busiest hours"
      description="Calls by weekday and hour, in the organisation's time zone."
      table={{ columns: ["weekday", "hour", "calls"], rows: cells.map((c) => [DAYS[c.weekday - 1], c.hour, c.calls]) }}
    >
      <div className="overflow-x-auto">
        <div className="grid min-w-[520px] gap-px text-[10px]" style={{ gridTemplateColumns: "2.5rem repeat(24, minmax(0, 1fr))" }}>
          <span />
          {HOURS.map((h) => (
            <span key={h} className="text-center text-slate-500 dark:text-slate-400">
              {h % 3 === 0 ? h : ""}
            </span>
          ))}
          {DAYS.map((d, i) => (
            <div key={d} className="contents">
              <span className="pr-1 text-right leading-5 text-slate-500 dark:text-slate-400">{d}</span>
              {HOURS.map((h) => {
                const n = at.get(`${i + 1}|${h}`) ?? 0;
                return (
                  <span
                    key={h}
                    title={`${d} ${String(h).padStart(2, "0")}:00 — ${n} calls`}
                    className="h-5 rounded-sm bg-slate-100 dark:bg-slate-800"
                    style={n ? { backgroundColor: `rgba(16, 185, 129, ${0.12 + 0.88 * (n / max)})` } : undefined}
                  />
                );
              })}
            </div>
          ))}
        </div>
      </div>
    </ChartCard>
  );
}
