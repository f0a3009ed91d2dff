"use client";
// The live board: starts from the server's state, reloads it (GET /api/board) whenever the
// organisation's realtime channel reports a phase, call or availability change, and ticks durations
// locally every second. It also reloads every STALE_CHECK_MS: an agent whose browser went away stops
// sending heartbeats, and nothing is published when a heartbeat goes stale.
import { useCallback, useEffect, useRef, useState } from "react";
import { channels, events } from "@/lib/agents/contract";
import type { BoardState } from "@/lib/board/state";
import { formatDisplayPhone } from "@/lib/calls/present-row";
import { onChannelEvent, type RealtimeConfig } from "../realtime/client";
import { clock, PHASE_STYLE, phaseText } from "./phase-text";

const BOARD_EVENTS = ["call-phase", events.callChanged, "agent.status"];
const STALE_CHECK_MS = 10_000;
const PRESENCE: Record<string, string> = { available: "bg-emerald-500", away: "bg-amber-400", offline: "bg-slate-300 dark:bg-slate-600" };
const th = "px-3 py-2 text-left text-xs font-medium uppercase tracking-wide text-slate-500 dark:text-slate-400";
const card = "card p-0 overflow-hidden dark:border-slate-700 dark:bg-slate-900";

export function LiveBoard({ initial, realtime, orgId, canEnd }: { initial: BoardState; realtime: RealtimeConfig | null; orgId: string; canEnd: boolean }) {
  const [state, setState] = useState(initial);
  const skew = useRef(Date.parse(initial.now) - Date.now());
  const [now, setNow] = useState(() => Date.parse(initial.now));
  const [error, setError] = useState<string | null>(null);

  const reload = useCallback(async () => {
    const res = await fetch("/api/board", { cache: "no-store" }).catch(() => null);
    if (!res?.ok) return;
    const next = (await res.json()) as BoardState;
    skew.current = Date.parse(next.now) - Date.now();
    setState(next);
  }, []);

  useEffect(() => {
    if (!realtime) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const soon = () => {
      clearTimeout(timer);
      timer = setTimeout(() => void reload(), 150);
    };
    const offs = BOARD_EVENTS.map((e) => onChannelEvent(realtime, channels.org(orgId), e, soon, soon));
    return () => {
      clearTimeout(timer);
      for (const off of offs) off();
    };
  }, [realtime, orgId, reload]);

  useEffect(() => {
    const t = setInterval(() => setNow(Date.now() + skew.current), 1000);
    return () => clearInterval(t);
  }, []);

  useEffect(() => {
    const t = setInterval(() => void reload(), STALE_CHECK_MS);
    return () => clearInterval(t);
  }, [reload]);

  async function end(callId: string, caller: string) {
    if (!window.confirm(`End the call with ${caller}? The caller is disconnected at once.`)) return;
    setError(null);
    const res = await fetch(`/api/calls/${callId}/hangup`, { method: "POST" }).catch(() => null);
    if (!res?.ok) {
      const body = await res?.json().catch(() => null);
      setError(body?.error?.message ?? "Could not end the call");
    }
    void reload();
  }

  const callsById = new Map(state.calls.map((c) => [c.id, c]));
  return (
    <div className="space-y-6">
      {!realtime && (
        <p role="status" className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-800">
          Realtime is not configured: reload the page to see changes.
        </p>
      )}
      {error && (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">
          {error}
        </p>
      )}
      <section aria-label="Teams" className="grid grid-cols-1 gap-3 md:grid-cols-2 xl:grid-cols-4">
        {state.teams.map((t) => (
          <div key={t.id} className="card p-4 dark:border-slate-700 dark:bg-slate-900" data-testid="board-team" data-team={t.name}>
            <p className="font-medium dark:text-slate-100">{t.name}</p>
            <dl className="mt-2 grid grid-cols-3 gap-2 text-center">
              <div>
                <dt className="text-xs text-slate-500 dark:text-slate-400">Waiting</dt>
                <dd className="text-xl font-semibold tabular-nums dark:text-slate-100" data-testid="team-waiting">
                  {t.waiting}
                </dd>
              </div>
              <div>
                <dt className="text-xs text-slate-500 dark:text-slate-400">Longest</dt>
                <dd className="text-xl font-semibold tabular-nums dark:text-slate-100">{t.longestSince ? clock(now - Date.parse(t.longestSince)) : "—"}</dd>
              </div>
              <div>
                <dt className="text-xs text-slate-500 dark:text-slate-400">Available</dt>
                <dd className="text-xl font-semibold tabular-nums dark:text-slate-100" data-testid="team-available">
                  {t.available}
                </dd>
              </div>
            </dl>
          </div>
        ))}
      </section>
      <section aria-label="Active calls" className={card}>
        <h2 className="border-b border-slate-200 px-4 py-3 font-semibold dark:border-slate-700 dark:text-slate-100">
          Active calls <span className="text-sm font-normal text-slate-500 dark:text-slate-400">({state.calls.length})</span>
        </h2>
        {state.calls.length === 0 ? (
          <p className="px-4 py-6 text-center text-sm text-slate-500 dark:text-slate-400">No calls right now.</p>
        ) : (
          <table className="w-full text-sm">
            <thead className="bg-slate-50 dark:bg-slate-800/60">
              <tr>
                <th className={th}>Caller</th>
                <th className={th}>Number</th>
                <th className={th}>Phase</th>
                <th className={th}>Duration</th>
                {canEnd && <th className={th}>{""}</th>}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 dark:divide-slate-800 dark:text-slate-200">
              {state.calls.map((c) => (
                <tr key={c.id} data-testid="board-call" data-call-id={c.id}>
                  <td className="px-3 py-2">
                    <span className="font-medium">{c.caller.name ?? `+${c.caller.phone}`}</span>
                    {c.caller.name && <span className="block text-xs text-slate-500 dark:text-slate-400">+{c.caller.phone}</span>}
                  </td>
                  <td className="px-3 py-2">
                    {c.number.name}
                    <span className="block text-xs text-slate-500 dark:text-slate-400">{formatDisplayPhone(c.number.phone)}</span>
                  </td>
                  <td className="px-3 py-2">
                    <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${PHASE_STYLE[c.phase.kind]}`} data-testid="phase" data-phase={c.phase.kind}>
                      {phaseText(c.phase, now)}
                    </span>
                  </td>
                  <td className="px-3 py-2 tabular-nums" data-testid="duration">
                    {clock(now - Date.parse(c.startedAt))}
                  </td>
                  {canEnd && (
                    <td className="px-3 py-2 text-right">
                      <button
                        type="button"
                        className="btn-danger px-2 py-1 text-xs dark:border-red-900 dark:bg-slate-900 dark:text-red-400"
                        onClick={() => void end(c.id, c.caller.name ?? c.caller.phone)}
                      >
                        End call
                      </button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section aria-label="Agents" className={card}>
        <h2 className="border-b border-slate-200 px-4 py-3 font-semibold dark:border-slate-700 dark:text-slate-100">Agents</h2>
        <table className="w-full text-sm">
          <thead className="bg-slate-50 dark:bg-slate-800/60">
            <tr>
              <th className={th}>Agent</th>
              <th className={th}>Availability</th>
              <th className={th}>Current call</th>
              <th className={th}>Teams</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 dark:divide-slate-800 dark:text-slate-200">
            {state.agents.map((a) => {
              const call = a.callId ? callsById.get(a.callId) : undefined;
              return (
                <tr key={a.id} data-testid="board-agent" data-agent={a.name}>
                  <td className="px-3 py-2 font-medium">{a.name}</td>
                  <td className="px-3 py-2">
                    <span className="flex items-center gap-2">
                      <span className={`inline-block h-2.5 w-2.5 rounded-full ${PRESENCE[a.status]}`} aria-hidden />
                      <span data-testid="agent-status">{a.status === "available" ? "Available" : a.status === "away" ? "Away" : "Offline"}</span>
                    </span>
                  </td>
                  <td className="px-3 py-2" data-testid="agent-call">
                    {call
                      ? `${call.caller.name ?? `+${call.caller.phone}`} · ${clock(now - Date.parse(a.callSince ?? call.startedAt))}${call.phase.kind === "on_hold" ? " (on hold)" : call.phase.kind === "connecting" ? " (ringing)" : ""}`
                      : "—"}
                  </td>
                  <td className="px-3 py-2 text-slate-500 dark:text-slate-400">{a.teams.join(", ")}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>
    </div>
  );
}
