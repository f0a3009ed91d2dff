"use client";
// The drop-off view's controls: a date range (days in the organisation's time zone) and what the
// call log says for it. The canvas draws the numbers on nodes and edges from the same data.
import { useCallback, useEffect, useState } from "react";
import type { Dropoff } from "@/lib/flows/dropoff";
import { apiCall } from "../../api-client";

export type { Dropoff };

/** Loads drop-off numbers while `open`; reloads when the range changes. */
export function useDropoff(flowId: string, open: boolean) {
  const [range, setRange] = useState<{ from?: string; to?: string }>({});
  const [data, setData] = useState<Dropoff | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  const load = useCallback(async () => {
    setLoading(true);
    setError(null);
    try {
      const q = new URLSearchParams(Object.entries(range).filter((e): e is [string, string] => Boolean(e[1])));
      setData(await apiCall<Dropoff>(`/api/flows/${flowId}/dropoff?${q}`));
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setLoading(false);
    }
  }, [flowId, range]);

  useEffect(() => {
    if (open) void load();
  }, [open, load]);

  return { data: open ? data : null, error, loading, range, setRange };
}

export function DropoffBar({ state, onClose }: { state: ReturnType<typeof useDropoff>; onClose: () => void }) {
  const { data, error, loading, setRange } = state;
  return (
    <section aria-label="Drop-off" className="flex flex-wrap items-center gap-3 border-b border-slate-200 dark:border-slate-700 bg-sky-50 px-4 py-2 text-sm">
      <strong className="font-semibold">Drop-off</strong>
      <label className="flex items-center gap-1">
        From
        <input
          type="date"
          className="input w-40 py-1"
          value={data?.from ?? ""}
          onChange={(e) => setRange((r) => ({ ...r, from: e.target.value, to: r.to ?? data?.to }))}
        />
      </label>
      <label className="flex items-center gap-1">
        to
        <input
          type="date"
          className="input w-40 py-1"
          value={data?.to ?? ""}
          onChange={(e) => setRange((r) => ({ ...r, to: e.target.value, from: r.from ?? data?.from }))}
        />
      </label>
      <span role="status" className="text-slate-600 dark:text-slate-300">
        {loading
          ? "Counting calls…"
          : error
            ? null
            : data &&
              `${data.calls.toLocaleString("en-GB")} call${data.calls === 1 ? "" : "s"} entered this flow (${data.timeZone} days). Numbers on the arrows: calls that left by that way.`}
      </span>
      {error && (
        <span role="alert" className="text-red-700 dark:text-red-300">
          {error}
        </span>
      )}
      <button type="button" className="btn-secondary ml-auto py-1" onClick={onClose}>
        Close
      </button>
    </section>
  );
}

/** One node's numbers, with a key that changes only when they do (the canvas reuses unchanged nodes). */
export function dropoffNodeStats(data: Dropoff, nodeId: string) {
  const { reached, ended } = data.nodes[nodeId] ?? { reached: 0, ended: 0 };
  const prefix = `${nodeId}|`;
  const handles = Object.fromEntries(Object.entries(data.handles).flatMap(([k, v]) => (k.startsWith(prefix) ? [[k.slice(prefix.length), v]] : [])));
  return { reached, ended, handles, key: `${data.from}|${data.to}|${reached}|${ended}|${JSON.stringify(handles)}` };
}

/** How a counted edge looks: width by share of the busiest edge, the count (and share of the node's calls) as its label. */
export function dropoffEdgeStyle(data: Dropoff, source: string, handle: string) {
  const count = data.handles[`${source}|${handle}`] ?? 0;
  const max = Math.max(1, ...Object.values(data.handles));
  const reached = data.nodes[source]?.reached ?? 0;
  const share = reached ? Math.round((count / reached) * 100) : 0;
  return {
    label: `${count.toLocaleString("en-GB")}${reached ? ` (${share}%)` : ""}`,
    style: { stroke: count ? "#0284c7" : "#cbd5e1", strokeWidth: 1.5 + (6 * count) / max },
    labelStyle: { fontSize: 12, fontWeight: 600, fill: count ? "#0c4a6e" : "#94a3b8" },
    labelBgStyle: { fill: "#f0f9ff" },
  };
}
