"use client";
// "Test call": runs the flow with lib/ivr in the browser — the same engine the gateway runs.
import { useState } from "react";
import { type FlowDocument, SimulatedCall, type SimulatedRequest } from "@/lib/ivr";
import type { EditorRefs } from "./properties-panel";

export interface SimView {
  current: string | null;
  visited: Set<string>;
  edges: Set<string>;
}

export function SimulatorPanel({
  document,
  refs,
  onView,
  loadFlow,
}: {
  document: FlowDocument | null;
  refs: EditorRefs;
  onView: (v: SimView | null) => void;
  loadFlow: (flowId: string) => Promise<unknown>;
}) {
  const [call, setCall] = useState<SimulatedCall | null>(null);
  const [, setTick] = useState(0);
  const [start, setStart] = useState(() => new Date(Date.now() - new Date().getTimezoneOffset() * 60_000).toISOString().slice(0, 16));
  const [httpStatus, setHttpStatus] = useState(200);
  const [httpBody, setHttpBody] = useState("{}");
  // The node's timeout is an engine timer: "Wait for timeout" fires it like any other.
  const timeoutOf = (req: SimulatedRequest) => req.timeoutMs;

  function refresh(c: SimulatedCall) {
    setTick((t) => t + 1);
    if (c.gotoFlowId) {
      const id = c.gotoFlowId;
      void loadFlow(id).then((doc) => {
        c.loadFlow(id, doc);
        refresh(c);
      });
    }
    onView({
      current: c.currentNodeId,
      visited: new Set(c.path.map((p) => p.nodeId)),
      edges: new Set(c.path.filter((p) => p.handle).map((p) => `${p.nodeId}|${p.handle}`)),
    });
  }

  const act = (fn: (c: SimulatedCall) => void) => () => {
    if (!call) return;
    fn(call);
    refresh(call);
  };

  function begin() {
    if (!document) return;
    const c = new SimulatedCall(document, { now: new Date(start).getTime() });
    c.start();
    setCall(c);
    refresh(c);
  }

  function end() {
    setCall(null);
    onView(null);
  }

  const promptName = (p: { text?: string | null; assetId?: string | null }) =>
    p.text?.trim() ? `“${p.text.trim()}”` : `audio: ${refs.assets.find((a) => a.id === p.assetId)?.name ?? p.assetId}`;
  const nextTimer = call ? Math.min(...call.timers.values()) : Number.POSITIVE_INFINITY;

  return (
    <section
      aria-label="Simulator"
      className="w-80 shrink-0 space-y-3 overflow-y-auto border-l border-slate-200 dark:border-slate-700 bg-white dark:bg-slate-900 p-4 text-xs"
    >
      <h2 className="text-sm font-semibold">Test call</h2>
      {!call ? (
        <>
          <label className="block">
            <span className="mb-1 block font-medium">Call time (for business hours)</span>
            <input type="datetime-local" className="input" value={start} onChange={(e) => setStart(e.target.value)} />
          </label>
          <button type="button" className="btn-primary w-full" disabled={!document} onClick={begin}>
            Start test call
          </button>
          {!document && <p className="text-amber-700">Fix the errors first: the simulator runs a valid flow.</p>}
        </>
      ) : (
        <>
          <p role="status">
            {call.ended
              ? `Call ended (${call.hangup?.reason ?? call.state.outcome?.kind})`
              : call.transferTeamId
                ? `Transferring to ${refs.teams.find((t) => t.id === call.transferTeamId)?.name ?? "team"}…`
                : `At: ${call.state.document.nodes.find((n) => n.id === call.currentNodeId)?.label ?? "—"}`}
          </p>
          {call.playing && <p className="rounded bg-brand-50 dark:bg-brand-700/20 p-2">♪ {promptName(call.playing.prompt)}</p>}
          <fieldset className="grid grid-cols-3 gap-1" aria-label="Keypad">
            {"123456789*0#".split("").map((k) => (
              <button key={k} type="button" className="btn-secondary" disabled={call.ended} onClick={act((c) => c.press(k))}>
                {k}
              </button>
            ))}
          </fieldset>
          <div className="flex flex-wrap gap-1">
            <button type="button" className="btn-secondary" disabled={!call.playing} onClick={act((c) => c.finishPrompt())}>
              Prompt finished
            </button>
            <button type="button" className="btn-secondary" disabled={!Number.isFinite(nextTimer)} onClick={act((c) => c.advance(nextTimer - c.now))}>
              Wait for timeout
            </button>
            <button type="button" className="btn-secondary" onClick={act((c) => c.advance(1000))}>
              +1 s
            </button>
          </div>
          {call.pendingRequest && (
            <div className="space-y-1 rounded border border-slate-200 dark:border-slate-700 p-2">
              <p className="font-medium">
                HTTP {call.pendingRequest.method} {call.pendingRequest.url}
              </p>
              <p className="text-slate-500 dark:text-slate-400">
                Fails after {timeoutOf(call.pendingRequest) / 1000} s without an answer (“Wait for timeout”).
              </p>
              {call.pendingRequest.body && <pre className="overflow-x-auto bg-slate-50 dark:bg-slate-800/60 p-1">{call.pendingRequest.body}</pre>}
              <input aria-label="Fake status" type="number" className="input" value={httpStatus} onChange={(e) => setHttpStatus(Number(e.target.value))} />
              <textarea aria-label="Fake response body" className="input" value={httpBody} onChange={(e) => setHttpBody(e.target.value)} />
              <div className="flex gap-1">
                <button type="button" className="btn-secondary" onClick={act((c) => c.respond({ status: httpStatus, body: httpBody }))}>
                  Send fake answer
                </button>
                <button type="button" className="btn-secondary" onClick={act((c) => c.respond({ error: "simulated network error" }))}>
                  Fail
                </button>
              </div>
            </div>
          )}
          {call.transferTeamId && call.state.phase === "transferring" && (
            <div className="flex gap-1">
              <button type="button" className="btn-secondary" onClick={act((c) => c.acceptTransfer("simulated-agent"))}>
                Agent accepts
              </button>
              <button type="button" className="btn-secondary" onClick={act((c) => c.transferTimeout())}>
                Nobody answers
              </button>
            </div>
          )}
          <ol aria-label="Path" className="list-decimal space-y-0.5 pl-4">
            {call.path.map((p) => (
              <li key={p.seq}>
                {p.label || p.nodeId} → {p.handle ?? "end"}
                {p.digits ? ` [${p.digits}]` : ""}
                {p.error ? ` (${p.error})` : ""}
              </li>
            ))}
          </ol>
          <div className="flex gap-1">
            <button type="button" className="btn-secondary" disabled={call.ended} onClick={act((c) => c.callerHangsUp())}>
              Caller hangs up
            </button>
            <button type="button" className="btn-secondary" onClick={end}>
              Close
            </button>
          </div>
        </>
      )}
    </section>
  );
}
