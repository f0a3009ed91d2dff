// How a call's phase reads on the live board.
import type { BoardPhase } from "@/lib/board/state";

export function clock(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const mmss = `${String(m).padStart(h ? 2 : 1, "0")}:${String(s % 60).padStart(2, "0")}`;
  return h ? `${h}:${mmss}` : mmss;
}

export function phaseText(p: BoardPhase, now: number): string {
  switch (p.kind) {
    case "connecting":
      return p.agent ? `Ringing the contact (${p.agent} calling)` : "Connecting";
    case "ivr":
      return p.label ? `In IVR at ${p.label}` : "In IVR";
    case "waiting":
      return `Waiting for ${p.team} · ${clock(now - Date.parse(p.since))} · #${p.position} in queue`;
    case "agent":
      return `With ${p.agent}`;
    case "on_hold":
      return p.agent ? `On hold (${p.agent})` : "On hold";
  }
}

export const PHASE_STYLE: Record<BoardPhase["kind"], string> = {
  connecting: "bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-300",
  ivr: "bg-indigo-50 text-indigo-700 dark:bg-indigo-950 dark:text-indigo-300",
  waiting: "bg-amber-50 text-amber-800 dark:bg-amber-950 dark:text-amber-300",
  agent: "bg-emerald-50 text-emerald-700 dark:bg-emerald-950 dark:text-emerald-300",
  on_hold: "bg-sky-50 text-sky-700 dark:bg-sky-950 dark:text-sky-300",
};
