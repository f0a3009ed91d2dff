// How a call-log row reads: duration, phone, status and direction in words (page, API and CSV).
import type { CallDirection, CallStatus } from "../db";

export function formatDuration(secs: number | null | undefined): string {
  if (secs == null) return "—";
  const h = Math.floor(secs / 3600);
  const m = Math.floor((secs % 3600) / 60);
  const s = secs % 60;
  if (h) return `${h}h ${String(m).padStart(2, "0")}m`;
  return m ? `${m}m ${String(s).padStart(2, "0")}s` : `${s}s`;
}

export function formatPhone(digits: string): string {
  return `+${digits}`;
}

/** A number's display phone as the admin typed it ("+44 20 7946 0000"), or digits given their "+". */
export function formatDisplayPhone(display: string): string {
  return /^\d+$/.test(display) ? `+${display}` : display;
}

export const STATUS_TEXT: Record<CallStatus, string> = {
  initiating: "Starting",
  ringing: "Ringing",
  // Answered by the IVR: in its menus, or talking with an agent (the Agent column says which).
  answered: "In progress",
  transferring: "Waiting for an agent",
  on_hold: "On hold",
  completed: "Completed",
  missed: "Missed",
  rejected: "Rejected",
  failed: "Failed",
};

export const DIRECTION_TEXT: Record<CallDirection, string> = { incoming: "Incoming", outgoing: "Outgoing" };
