// What this tab's panel keeps across a reload (sessionStorage: this tab only, gone with it): the call it
// was on, whether the agent had muted it, and the wrap-up notes being typed. A reloaded page rejoins a
// live call muted as it was, or reopens the wrap-up of a call that ended meanwhile, notes included.
import type { ActiveCall, PanelState } from "./reducer";

const KEY = "ringflow.callPanel.call";
/** Older than this, a saved call is not brought back: the tab was left, not reloaded. */
const KEEP_MS = 30 * 60_000;

export interface SavedCall {
  userId: string;
  savedAt: number;
  call: Pick<ActiveCall, "callId" | "direction" | "caller" | "team" | "phase" | "muted" | "startedAt" | "ended">;
  notes: string;
  /** When the tab unloaded while connected to the call (a reload, or the window closing). */
  leftAt?: number;
}

/** Keeps the panel's call (one with an id), or forgets it once the panel has none. */
export function saveCall(userId: string, state: PanelState, now = Date.now()) {
  try {
    const c = state.activeCall;
    if (!c?.callId) {
      sessionStorage.removeItem(KEY);
      return;
    }
    const { callId, direction, caller, team, phase, muted, startedAt, ended } = c;
    const saved: SavedCall = { userId, savedAt: now, call: { callId, direction, caller, team, phase, muted, startedAt, ended }, notes: state.notes };
    sessionStorage.setItem(KEY, JSON.stringify(saved));
  } catch {
    // Storage can be unavailable (privacy modes, quota): the panel works, a reload just forgets more.
  }
}

/** Notes that this tab is unloading while connected to its saved call. */
export function markLeft(now = Date.now()) {
  try {
    const saved = JSON.parse(sessionStorage.getItem(KEY) ?? "null") as SavedCall | null;
    if (saved) sessionStorage.setItem(KEY, JSON.stringify({ ...saved, leftAt: now }));
  } catch {
    // See saveCall.
  }
}

/** Whether `saved` is a call this tab left connected less than `withinMs` ago: this load is its reload. */
export function leftConnected(saved: SavedCall | null, withinMs: number, now = Date.now()): saved is SavedCall {
  return saved?.leftAt !== undefined && now - saved.leftAt < withinMs && saved.call.phase !== "wrap_up";
}

/** The call this tab was on before it reloaded, for this user, if recent. */
export function savedCall(userId: string, now = Date.now()): SavedCall | null {
  try {
    const saved = JSON.parse(sessionStorage.getItem(KEY) ?? "null") as SavedCall | null;
    if (!saved?.call?.callId || saved.userId !== userId || now - saved.savedAt > KEEP_MS) return null;
    return saved;
  } catch {
    return null;
  }
}
