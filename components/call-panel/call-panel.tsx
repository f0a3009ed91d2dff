"use client";
// The agent's call panel: availability in the sidebar on every admin page, and a card docked
// bottom-right while something rings, a call is live or is being wrapped up. Renders from the one
// store; the controller turns clicks into route calls and feeds their results back as events.
import Link from "next/link";
import { useCallback, useEffect, useId, useRef, useState } from "react";
import type { AgentStatus, LiveCall } from "@/lib/agents/contract";
import { InCall, STATUS_TEXT, WrapUp } from "./active-call";
import { CallPanelController } from "./controller";
import { BellIcon, CloseIcon } from "./icons";
import { useDockRoom } from "./dock-room";
import { callerLabel, clock } from "./format";
import type { RealtimeConfig } from "./realtime";
import { onCallRequest } from "./place-call";
import { phaseOf, ringingOffers } from "./reducer";
import { RingingCard } from "./ringing-card";
import { createPanelStore, usePanelState } from "./store";

export interface CallPanelProps {
  userId: string;
  orgId: string;
  userName: string;
  realtime: RealtimeConfig | null;
  /** Incoming calls ring team members only: without a team, Available changes nothing and the panel says so. */
  inTeam: boolean;
  isAdmin: boolean;
  /** `[calling] agent_lost_secs` in ms: how long the caller waits for a page to rejoin the call. */
  rejoinWindowMs: number;
}

const AVAILABILITY: { value: AgentStatus; label: string; dot: string }[] = [
  { value: "available", label: "Available", dot: "bg-green-500" },
  { value: "away", label: "Away", dot: "bg-amber-400" },
  { value: "offline", label: "Offline", dot: "bg-slate-400" },
];

function useNow(ticking: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!ticking) return;
    setNow(Date.now());
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [ticking]);
  return now;
}

function ErrorNote({ message, onDismiss }: { message: string; onDismiss: () => void }) {
  return (
    <div role="alert" className="flex items-start gap-2 rounded-md bg-red-50 px-2 py-1.5 text-xs text-red-700">
      <p className="flex-1">{message}</p>
      <button type="button" onClick={onDismiss} aria-label="Dismiss" className="shrink-0 rounded p-0.5 hover:bg-red-100">
        <CloseIcon />
      </button>
    </div>
  );
}

/**
 * While a call is live, reloading or leaving the page cuts its audio (a reloaded page rejoins the
 * call; a page left for another site drops the caller 10 s later): the browser asks first. Links
 * inside the app keep the page, so they are not asked about.
 */
function useLeaveWarning(live: boolean) {
  useEffect(() => {
    if (!live) return;
    const warn = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = "";
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [live]);
}

/** Says the notes were saved, with a link to the call; goes away by itself after a while. */
function Notice({ notice, onDismiss }: { notice: { message: string; callId: string }; onDismiss: () => void }) {
  useEffect(() => {
    const t = setTimeout(onDismiss, NOTICE_MS);
    return () => clearTimeout(t);
  }, [onDismiss]);
  return (
    <div
      role="status"
      data-testid="call-panel-notice"
      className="flex items-start gap-2 rounded-md bg-green-50 px-2 py-1.5 text-xs text-green-800 dark:bg-green-950 dark:text-green-200"
    >
      <p className="flex-1">
        {notice.message}{" "}
        <Link href={`/calls/${notice.callId}`} className="font-medium underline">
          Open the call
        </Link>
      </p>
      <button type="button" onClick={onDismiss} aria-label="Dismiss" className="shrink-0 rounded p-0.5 hover:bg-green-100 dark:hover:bg-green-900">
        <CloseIcon />
      </button>
    </div>
  );
}
const NOTICE_MS = 10_000;

/** This agent's call is connected in another window (this page did not take it from there). */
function Elsewhere({ call, left, onMove, onDismiss }: { call: LiveCall; left: boolean; onMove: () => void; onDismiss: () => void }) {
  return (
    <div
      role="status"
      data-testid="call-elsewhere"
      className="space-y-1.5 rounded-md bg-amber-50 px-2 py-1.5 text-xs text-amber-900 dark:bg-amber-950 dark:text-amber-100"
    >
      <div className="flex items-start gap-2">
        <p className="flex-1">
          {left
            ? `The window that had your call with ${callerLabel(call.caller)} closed. Moving the call here…`
            : `Your call with ${callerLabel(call.caller)} is connected in another window.`}
        </p>
        <button type="button" onClick={onDismiss} aria-label="Dismiss" className="shrink-0 rounded p-0.5 hover:bg-amber-100 dark:hover:bg-amber-900">
          <CloseIcon />
        </button>
      </div>
      <button type="button" onClick={onMove} className="rounded-md border border-amber-400 bg-white px-2 py-1 font-medium text-amber-900 hover:bg-amber-100">
        Move the call here
      </button>
    </div>
  );
}

export function CallPanel({ userId, orgId, userName, realtime, inTeam, isAdmin, rejoinWindowMs }: CallPanelProps) {
  const [store] = useState(() => createPanelStore());
  const state = usePanelState(store);
  const controller = useRef<CallPanelController | null>(null);
  // A server re-render (router.refresh) passes an equal but new config object; only a real change reconnects.
  const realtimeKey = JSON.stringify(realtime);

  useEffect(() => {
    const c = new CallPanelController(store, { userId, orgId, realtime: JSON.parse(realtimeKey) as RealtimeConfig | null, rejoinWindowMs });
    controller.current = c;
    c.start();
    return () => {
      c.stop();
      if (controller.current === c) controller.current = null;
    };
  }, [store, userId, orgId, realtimeKey, rejoinWindowMs]);

  // Call buttons elsewhere on the page (contacts, callbacks) place calls through this panel.
  useEffect(() => onCallRequest((req) => void controller.current?.place(req)), []);

  const phase = phaseOf(state);
  const offers = ringingOffers(state);
  const call = state.activeCall;
  const now = useNow(phase !== "idle");
  const open = phase !== "idle";
  // The agent may fold a live call's card into one line (it covers the page's bottom-right); a call
  // ringing or one ending unfolds it, so neither goes unseen.
  const [folded, setFolded] = useState(false);
  const live = call !== null && call.phase !== "wrap_up";
  const collapsed = folded && live && offers.length === 0 && !state.error;
  useEffect(() => {
    if (!live) setFolded(false);
  }, [live]);
  const dock = useRef<HTMLElement>(null);
  useDockRoom(dock, open);
  // A reload keeps the call and the notes (this tab rejoins, see saved-call.ts); closing the tab would lose them.
  useLeaveWarning(call !== null && (call.phase !== "wrap_up" || state.notes.trim() !== ""));
  const current = AVAILABILITY.find((a) => a.value === state.availability) ?? { value: null, label: "Loading…", dot: "bg-slate-200" };
  const act = (fn: (c: CallPanelController) => unknown) => () => {
    if (controller.current) void fn(controller.current);
  };
  const availabilityId = useId();
  const dismiss = () => store.handle({ type: "error_dismissed" });
  const dismissNotice = useCallback(() => store.handle({ type: "notice_dismissed" }), [store]);

  return (
    <div data-testid="call-panel" data-phase={phase} className="space-y-2">
      <label htmlFor={availabilityId} className="block text-xs font-medium uppercase tracking-wide text-slate-500 dark:text-slate-400">
        Availability
      </label>
      <div className="flex items-center gap-2">
        <span aria-hidden="true" className={`size-2.5 shrink-0 rounded-full ${current.dot}`} />
        <select
          id={availabilityId}
          title={`${userName}: ${current.label}`}
          value={state.availability ?? ""}
          disabled={!state.availability}
          onChange={(e) => controller.current?.setAvailability(e.target.value as AgentStatus)}
          className="min-w-0 flex-1 rounded-md border border-slate-300 bg-white px-2 py-1 text-sm focus:border-brand-500 focus:outline-none dark:border-slate-600 dark:bg-slate-800"
        >
          {!state.availability && <option value="">Loading…</option>}
          {AVAILABILITY.map((a) => (
            <option key={a.value} value={a.value}>
              {a.label}
            </option>
          ))}
        </select>
        <button
          type="button"
          aria-label="Silence new-call alerts"
          aria-pressed={state.notificationsMuted}
          title={state.notificationsMuted ? "New-call sound and notifications are off" : "New-call sound and notifications are on"}
          onClick={() => controller.current?.setNotificationsMuted(!state.notificationsMuted)}
          className={`rounded-md border p-1.5 ${state.notificationsMuted ? "border-slate-400 bg-slate-100 text-slate-500" : "border-slate-300 bg-white text-slate-700 hover:bg-slate-50 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-200"}`}
        >
          <BellIcon off={state.notificationsMuted} />
        </button>
      </div>
      {!inTeam && (
        <p data-testid="no-team" className="text-xs text-slate-500 dark:text-slate-400">
          You are in no team, so no incoming calls ring for you
          {isAdmin ? (
            <>
              {" "}
              (
              <Link href="/teams" className="underline">
                Teams
              </Link>
              )
            </>
          ) : (
            ""
          )}
          . You can still place calls.
        </p>
      )}
      {state.error && !open && <ErrorNote message={state.error} onDismiss={dismiss} />}
      {state.notice && <Notice key={state.notice.callId} notice={state.notice} onDismiss={dismissNotice} />}
      {state.elsewhere && !call && (
        <Elsewhere
          call={state.elsewhere}
          left={state.carrierLeft === state.elsewhere.callId}
          onMove={act((c) => c.moveHere())}
          onDismiss={() => store.handle({ type: "elsewhere_dismissed" })}
        />
      )}

      {open && (
        <aside
          ref={dock}
          aria-label="Calls"
          data-collapsed={collapsed}
          className={`fixed right-4 bottom-4 z-50 flex max-h-[calc(100vh-2rem)] flex-col gap-2 overflow-y-auto rounded-xl border border-slate-200 bg-white text-sm shadow-xl dark:border-slate-700 dark:bg-slate-900 w-80 ${collapsed ? "px-3 py-2" : "p-3"}`}
        >
          {collapsed && call ? (
            <div className="flex items-center gap-2">
              <span aria-hidden="true" className={`size-2 shrink-0 rounded-full ${call.phase === "on_hold" ? "bg-amber-400" : "bg-green-500"}`} />
              <p className="flex min-w-0 flex-1 items-baseline gap-1" data-testid="call-folded">
                <span className="truncate">
                  <span className="font-medium">{callerLabel(call.caller)}</span>
                  {" · "}
                  {call.rejoining ? "Reconnecting…" : STATUS_TEXT[call.phase as keyof typeof STATUS_TEXT]}
                </span>
                {call.startedAt !== null && <span className="shrink-0 font-mono tabular-nums"> · {clock(now - call.startedAt)}</span>}
              </p>
              <button type="button" onClick={() => setFolded(false)} className="btn-secondary shrink-0 px-2 py-1 text-xs">
                Show call
              </button>
            </div>
          ) : (
            <>
              <p className="flex items-center gap-2 text-xs font-medium uppercase tracking-wide text-slate-500">
                <span aria-hidden="true" className={`size-2 rounded-full ${current.dot}`} />
                {call
                  ? call.direction === "outgoing"
                    ? "Your outgoing call"
                    : "Your call"
                  : offers.length > 1
                    ? `${offers.length} calls ringing`
                    : "Incoming call"}
                {live && offers.length === 0 && (
                  <button
                    type="button"
                    onClick={() => setFolded(true)}
                    aria-label="Fold the call card"
                    title="Fold into one line (a new call ringing unfolds it)"
                    className="ml-auto rounded px-1.5 text-base leading-none text-slate-500 normal-case hover:bg-slate-100 dark:hover:bg-slate-800"
                  >
                    –
                  </button>
                )}
              </p>
              {state.error && <ErrorNote message={state.error} onDismiss={dismiss} />}
              {call && call.phase !== "wrap_up" && (
                <InCall
                  call={{ ...call, phase: call.phase }}
                  now={now}
                  onMute={(m) => controller.current?.setMuted(m)}
                  onHold={act((c) => c.control("hold"))}
                  onResume={act((c) => c.control("resume"))}
                  onHangUp={act((c) => c.control("hangup"))}
                />
              )}
              {call && call.phase === "wrap_up" && (
                <WrapUp
                  call={call}
                  notes={state.notes}
                  onNotes={(notes) => store.handle({ type: "notes_changed", notes })}
                  onFinish={act((c) => c.finishWrapUp())}
                />
              )}
              {offers.map((offer) => (
                <RingingCard
                  key={offer.transferId}
                  offer={offer}
                  now={now}
                  canAccept={!call}
                  onAccept={act((c) => c.accept(offer.transferId))}
                  onDecline={act((c) => c.decline(offer.transferId))}
                />
              ))}
            </>
          )}
        </aside>
      )}
    </div>
  );
}
