"use client";
// The Analytics page's panels, drawn from one report (lib/analytics/queries.ts) with recharts.
import { useState } from "react";
import { Bar, BarChart, CartesianGrid, Cell, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { AnalyticsReport } from "@/lib/analytics/queries";
import { OUTCOME_LABELS, OUTCOMES } from "@/lib/analytics/outcome";
import { handleWords } from "@/lib/calls/path-words";
import { DIRECTION_TEXT } from "@/lib/calls/present-row";
import { ChartCard } from "./chart-card";
import { OUTCOME_COLORS, PALETTE, pct, secs } from "./format";
import { Heatmap } from "./heatmap";
import { ServiceLevelPanel } from "./service-level";

const axis = { fontSize: 11, fill: "currentColor" };
const tooltipStyle = { contentStyle: { fontSize: 12, color: "#0f172a" } };

function Kpi({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div className="card p-4 dark:border-slate-700 dark:bg-slate-900">
      <p className="text-xs uppercase tracking-wide text-slate-500 dark:text-slate-400">{label}</p>
      <p className="mt-1 text-2xl font-semibold tabular-nums dark:text-slate-100" data-testid={testId}>
        {value}
      </p>
    </div>
  );
}

function VolumePanel({ report }: { report: AnalyticsReport }) {
  const [direction, setDirection] = useState<"all" | "incoming" | "outgoing">("all");
  const byT = new Map<string, Record<string, number | string>>();
  for (const v of report.volume) {
    if (direction !== "all" && v.direction !== direction) continue;
    const row = byT.get(v.t) ?? byT.set(v.t, { t: v.t }).get(v.t)!;
    row[v.outcome] = ((row[v.outcome] as number) ?? 0) + v.calls;
  }
  const data = [...byT.values()];
  const per = report.filters.grain === "hour" ? "hour" : "day";
  return (
    <ChartCard
      id="volume"
      title={`Calls per ${per}`}
      description="By outcome; choose a direction below."
      table={{
        columns: [per, "direction", "outcome", "calls"],
        rows: report.volume.map((v) => [v.t, DIRECTION_TEXT[v.direction], OUTCOME_LABELS[v.outcome], v.calls]),
      }}
    >
      <div className="mb-2 flex gap-3 text-xs" role="radiogroup" aria-label="Direction">
        {(["all", "incoming", "outgoing"] as const).map((d) => (
          <label key={d} className="flex items-center gap-1 dark:text-slate-300">
            <input type="radio" name="volume-direction" checked={direction === d} onChange={() => setDirection(d)} />
            {d === "all" ? "All" : d === "incoming" ? "Incoming" : "Outgoing"}
          </label>
        ))}
      </div>
      <div className="text-slate-600 dark:text-slate-300">
        <ResponsiveContainer width="100%" height={260}>
          <BarChart data={data}>
            <CartesianGrid strokeDasharray="3 3" stroke="#94a3b855" />
            <XAxis dataKey="t" tick={axis} tickFormatter={(t: string) => (per === "hour" ? t.slice(5) : t.slice(5))} />
            <YAxis tick={axis} allowDecimals={false} />
            <Tooltip {...tooltipStyle} />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            {OUTCOMES.map((o) => (
              <Bar key={o} dataKey={o} name={OUTCOME_LABELS[o]} stackId="a" fill={OUTCOME_COLORS[o]} isAnimationActive={false} />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </div>
    </ChartCard>
  );
}

/** Horizontal bars; `colors`: one per bar (else all `color`); `counts`: whole numbers on the axis. */
function HBar({
  data,
  dataKey,
  name,
  color,
  colors,
  counts,
}: {
  data: object[];
  dataKey: string;
  name: string;
  color: string;
  colors?: string[];
  counts?: boolean;
}) {
  return (
    <div className="text-slate-600 dark:text-slate-300">
      <ResponsiveContainer width="100%" height={Math.max(120, 28 * data.length + 40)}>
        <BarChart data={data} layout="vertical" margin={{ left: 20 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#94a3b855" />
          <XAxis type="number" tick={axis} allowDecimals={!counts} />
          <YAxis type="category" dataKey="name" tick={axis} width={150} />
          <Tooltip {...tooltipStyle} />
          <Bar dataKey={dataKey} name={name} fill={color} isAnimationActive={false}>
            {colors?.map((c, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: one cell per bar, in the data's order
              <Cell key={i} fill={c} />
            ))}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

export function AnalyticsCharts({ report }: { report: AnalyticsReport }) {
  const s = report.summary;
  const exits = report.topExits.map((e) => ({ name: `${e.label}${e.handle ? ` → ${handleWords(null, e.handle)}` : " (ended)"}`, calls: e.calls }));
  const codes = [...new Set(report.errorCodes.map((e) => e.code || "no code"))];
  const errByDay = new Map<string, Record<string, number | string>>();
  for (const e of report.errorCodes) {
    const row = errByDay.get(e.day) ?? errByDay.set(e.day, { day: e.day }).get(e.day)!;
    row[e.code || "no code"] = e.calls;
  }
  const round = (x: number) => Math.round(x * 10) / 10;
  return (
    <div className="space-y-4">
      <div className="grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-6">
        <Kpi label="Calls" value={s.total.toLocaleString("en")} testId="kpi-total" />
        <Kpi label="Answer rate" value={pct(s.answerRate)} testId="kpi-answer-rate" />
        <Kpi label="Abandonment" value={pct(s.abandonmentRate)} testId="kpi-abandonment" />
        <Kpi label="Avg wait" value={secs(s.avgWaitSecs)} testId="kpi-avg-wait" />
        <Kpi label="p90 wait" value={secs(s.p90WaitSecs)} testId="kpi-p90-wait" />
        <Kpi label="Avg handle" value={secs(s.avgHandleSecs)} testId="kpi-avg-handle" />
      </div>
      <VolumePanel report={report} />
      <div className="grid gap-4 xl:grid-cols-2">
        <ChartCard
          id="outcomes"
          title="Outcomes"
          description="Answer and abandonment rates count calls that waited for a team."
          table={{ columns: ["outcome", "calls"], rows: OUTCOMES.map((o) => [OUTCOME_LABELS[o], s.byOutcome[o]]) }}
          noCalls={s.total === 0}
        >
          <HBar
            data={OUTCOMES.map((o) => ({ name: OUTCOME_LABELS[o], calls: s.byOutcome[o] }))}
            dataKey="calls"
            name="Calls"
            color={PALETTE[1]!}
            colors={OUTCOMES.map((o) => OUTCOME_COLORS[o] ?? PALETTE[1]!)}
            counts
          />
        </ChartCard>
        <Heatmap cells={report.heatmap} />
        <ChartCard
          id="handle-agents"
          title="Average handle time per agent"
          table={{ columns: ["agent", "calls", "avg handle (s)"], rows: report.handleByAgent.map((a) => [a.name, a.calls, round(a.avgHandleSecs)]) }}
        >
          <HBar
            data={report.handleByAgent.slice(0, 15).map((a) => ({ name: a.name, secs: round(a.avgHandleSecs) }))}
            dataKey="secs"
            name="Seconds"
            color={PALETTE[0]!}
          />
        </ChartCard>
        <ChartCard
          id="handle-teams"
          title="Average handle time per team"
          table={{ columns: ["team", "calls", "avg handle (s)"], rows: report.handleByTeam.map((a) => [a.name, a.calls, round(a.avgHandleSecs)]) }}
        >
          <HBar data={report.handleByTeam.map((a) => ({ name: a.name, secs: round(a.avgHandleSecs) }))} dataKey="secs" name="Seconds" color={PALETTE[4]!} />
        </ChartCard>
        <ChartCard
          id="exits"
          title="Top IVR exits"
          description="The node (and the output) each call's IVR path ended on."
          table={{
            columns: ["node", "label", "left by", "handle", "calls"],
            rows: report.topExits.map((e) => [e.nodeId, e.label, e.handle ? handleWords(null, e.handle) : "(ended)", e.handle, e.calls]),
          }}
        >
          <HBar data={exits} dataKey="calls" name="Calls" color={PALETTE[5]!} counts />
        </ChartCard>
        <ChartCard
          id="errors"
          title="Meta error codes"
          description="Failed calls per day by the error code Meta returned."
          table={{ columns: ["day", "code", "calls"], rows: report.errorCodes.map((e) => [e.day, e.code || "no code", e.calls]) }}
        >
          <div className="text-slate-600 dark:text-slate-300">
            <ResponsiveContainer width="100%" height={240}>
              <BarChart data={[...errByDay.values()]}>
                <CartesianGrid strokeDasharray="3 3" stroke="#94a3b855" />
                <XAxis dataKey="day" tick={axis} tickFormatter={(t: string) => t.slice(5)} />
                <YAxis tick={axis} allowDecimals={false} />
                <Tooltip {...tooltipStyle} />
                <Legend wrapperStyle={{ fontSize: 12 }} />
                {codes.map((c, i) => (
                  <Bar
                    key={c}
                    dataKey={c}
                    name={c === "no code" ? "No code" : `#${c}`}
                    stackId="e"
                    fill={PALETTE[(i + 3) % PALETTE.length]}
                    isAnimationActive={false}
                  />
                ))}
              </BarChart>
            </ResponsiveContainer>
          </div>
        </ChartCard>
      </div>
      <ServiceLevelPanel teams={report.serviceLevel} />
    </div>
  );
}
