// A contact's call permission in words: pending / granted until when / expired / denied.
import type { CallPermission } from "@/lib/db";

/** What the badge shows: the stored state, except that a grant whose end has passed reads as expired. */
export type ShownPermission = CallPermission | "expired";

const TONE: Record<ShownPermission, string> = {
  unknown: "bg-slate-100 text-slate-700 ring-slate-500/20",
  requested: "bg-amber-50 text-amber-800 ring-amber-600/20",
  granted: "bg-emerald-50 text-emerald-700 ring-emerald-600/20",
  expired: "bg-slate-100 text-slate-700 ring-slate-500/20",
  denied: "bg-red-50 text-red-700 ring-red-600/20",
};

const when = (at: string | Date, timeZone: string) => new Date(at).toLocaleString("en-GB", { timeZone, dateStyle: "medium", timeStyle: "short" });

/**
 * The stored state as of `now`: a grant is stored until WhatsApp is asked again (the contact's page
 * asks), so one whose end has passed would still read "granted" in lists.
 */
export function shownPermission(state: CallPermission, expiresAt: string | Date | null, now = Date.now()): ShownPermission {
  return state === "granted" && expiresAt && new Date(expiresAt).getTime() <= now ? "expired" : state;
}

export function permissionText(state: CallPermission, expiresAt: string | Date | null, timeZone = "UTC", now = Date.now()): string {
  switch (shownPermission(state, expiresAt, now)) {
    case "granted":
      return expiresAt ? `Call permission granted until ${when(expiresAt, timeZone)}` : "Call permission granted";
    case "expired":
      return `Call permission expired on ${when(expiresAt!, timeZone)}`;
    case "requested":
      return "Call permission requested, waiting for a reply";
    case "denied":
      return "Call permission denied";
    default:
      return "No call permission yet";
  }
}

export function PermissionBadge({ state, expiresAt, timeZone }: { state: CallPermission; expiresAt: string | Date | null; timeZone?: string }) {
  const shown = shownPermission(state, expiresAt);
  return (
    <span
      data-testid="permission-state"
      data-state={shown}
      className={`inline-flex whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${TONE[shown]}`}
    >
      {permissionText(state, expiresAt, timeZone)}
    </span>
  );
}
