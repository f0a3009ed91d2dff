"use client";
// The call the agent is on (connecting, in call, on hold) and the wrap-up after it ends.
import { useEffect, useId, useRef } from "react";
import { callerLabel, clock, endedText } from "./format";
import { HangUpIcon, MicIcon, MicOffIcon, PauseIcon, PlayIcon } from "./icons";
import type { ActiveCall } from "./reducer";

// An outgoing call is "Calling…" until the contact answers: the agent hears ringback once their phone rings.
export const STATUS_TEXT = { dialing: "Calling…", connecting: "Connecting…", in_call: "In call", on_hold: "On hold" } as const;

const ctl = "inline-flex flex-1 items-center justify-center gap-1.5 rounded-md border px-2 py-1.5 text-sm font-medium disabled:opacity-50";

export function InCall({
  call,
  now,
  onMute,
  onHold,
  onResume,
  onHangUp,
}: {
  call: ActiveCall & { phase: "dialing" | "connecting" | "in_call" | "on_hold" };
  now: number;
  onMute: (muted: boolean) => void;
  onHold: () => void;
  onResume: () => void;
  onHangUp: () => void;
}) {
  const onHoldNow = call.phase === "on_hold";
  const live = call.phase === "in_call" || call.phase === "on_hold";
  // Hold and Resume wait for the last answer (a second click would race it); Hang up never waits for them.
  const busy = call.pending !== null;
  // The Accept or Call button that was focused is gone: keyboard focus continues from the call card.
  const card = useRef<HTMLElement>(null);
  useEffect(() => takeLostFocus(card.current), []);
  return (
    <section
      ref={card}
      tabIndex={-1}
      aria-label="Current call"
      data-testid="active-call"
      className={`space-y-3 rounded-lg border p-3 ${onHoldNow ? "border-amber-400 bg-amber-50 ring-2 ring-amber-300" : "border-slate-200 bg-white"}`}
    >
      <div className="flex items-start justify-between gap-2">
        <div className="min-w-0">
          <p className="truncate font-semibold">{callerLabel(call.caller)}</p>
          <p className="truncate text-xs text-slate-600">
            {call.caller.name && <span className="font-mono">+{call.caller.phone} · </span>}
            {call.team.name}
          </p>
        </div>
        {/* The duration counts from when the call was answered; a 00:00 before that would read as a stuck clock. */}
        {call.startedAt !== null && (
          <span role="timer" aria-label="Call duration" className="font-mono text-sm tabular-nums text-slate-700">
            {clock(now - call.startedAt)}
          </span>
        )}
      </div>
      <p role="status" data-testid="call-status" className={`text-sm font-medium ${onHoldNow ? "text-amber-700" : live ? "text-green-700" : "text-slate-600"}`}>
        {call.rejoining ? "Reconnecting…" : STATUS_TEXT[call.phase]}
      </p>
      <div className="flex gap-2">
        <button
          type="button"
          onClick={() => onMute(!call.muted)}
          disabled={!live}
          aria-pressed={call.muted}
          className={`${ctl} ${call.muted ? "border-slate-700 bg-slate-700 text-white" : "border-slate-300 bg-white text-slate-700 hover:bg-slate-50"}`}
        >
          {call.muted ? <MicOffIcon /> : <MicIcon />}
          {call.muted ? "Unmute" : "Mute"}
        </button>
        {onHoldNow ? (
          <button
            type="button"
            onClick={onResume}
            disabled={busy}
            aria-busy={call.pending === "resume"}
            className={`${ctl} border-amber-400 bg-amber-100 text-amber-900 hover:bg-amber-200`}
          >
            <PlayIcon />
            {call.pending === "resume" ? "Resuming…" : "Resume"}
          </button>
        ) : (
          <button
            type="button"
            onClick={onHold}
            disabled={!live || busy}
            aria-busy={call.pending === "hold"}
            className={`${ctl} border-slate-300 bg-white text-slate-700 hover:bg-slate-50`}
          >
            <PauseIcon />
            {call.pending === "hold" ? "Holding…" : "Hold"}
          </button>
        )}
      </div>
      <button
        type="button"
        onClick={onHangUp}
        disabled={call.pending === "hangup"}
        aria-busy={call.pending === "hangup"}
        className="inline-flex w-full items-center justify-center gap-1.5 rounded-md bg-red-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-red-700 disabled:opacity-60"
      >
        <HangUpIcon />
        {call.pending === "hangup" ? "Hanging up…" : "Hang up"}
      </button>
    </section>
  );
}

/** Focuses `el` when keyboard focus was lost (the focused button unmounted), never away from elsewhere. */
function takeLostFocus(el: HTMLElement | null) {
  if (el && (document.activeElement === null || document.activeElement === document.body)) el.focus();
}

export function WrapUp({ call, notes, onNotes, onFinish }: { call: ActiveCall; notes: string; onNotes: (notes: string) => void; onFinish: () => void }) {
  const notesId = useId();
  // After Hang up (its button is gone), the notes are what comes next.
  const notesBox = useRef<HTMLTextAreaElement>(null);
  useEffect(() => takeLostFocus(notesBox.current), []);
  return (
    <section aria-label="Wrap-up" data-testid="wrap-up" className="space-y-2 rounded-lg border border-slate-200 bg-white p-3">
      <div>
        <p className="font-semibold">Call with {callerLabel(call.caller)} ended</p>
        <p role="status" data-testid="call-status" className="text-sm text-slate-600">
          {endedText(call.ended, call.direction)}
        </p>
      </div>
      <div>
        <label htmlFor={notesId} className="block text-sm font-medium text-slate-700">
          Notes
        </label>
        <textarea
          id={notesId}
          value={notes}
          onChange={(e) => onNotes(e.target.value)}
          rows={3}
          maxLength={10_000}
          ref={notesBox}
          className="input mt-1 resize-y"
          placeholder="What was the call about? Any follow-up?"
        />
      </div>
      {/* One button: with notes it saves them (Done used to save them too, which it did not say). */}
      <button
        type="button"
        onClick={onFinish}
        className="inline-flex w-full items-center justify-center rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-700"
      >
        {notes.trim() ? "Save notes" : "Done"}
      </button>
    </section>
  );
}
