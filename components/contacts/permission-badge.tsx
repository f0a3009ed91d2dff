// A contact's call permission in words: pending / granted until when / denied.
import type { CallPermission } from "@/lib/db";

const TONE: Record<CallPermission, string> = {
  unknown: "bg-slate-100 text-slate-700 ring-slate-500/20",
  requested: "bg-amber-50 text-amber-800 ring-amber-600/20",
  granted: "bg-emerald-50 text-emerald-700 ring-emerald-600/20",
  denied: "bg-red-50 text-red-700 ring-red-600/20",
};

export function permissionText(state: CallPermission, expiresAt: string | Date | null, timeZone = "UTC"): string {
  switch (state) {
    case "granted":
      return expiresAt
        ? `Call permission granted until ${new Date(expiresAt).toLocaleString("en-GB", { timeZone, dateStyle: "medium", timeStyle: "short" })}`
        : "Call permission granted";
    case "requested":
      return "Call permission requested, waiting for a reply";
    case "denied":
      return "Call permission denied";
    default:
      return "No call permission yet";
  }
}

export function PermissionBadge({ state, expiresAt, timeZone }: { state: CallPermission; expiresAt: string | Date | null; timeZone?: string }) {
  return (
    <span
      data-testid="permission-state"
      data-state={state}
      className={`inline-flex whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${TONE[state]}`}
    >
      {permissionText(state, expiresAt, timeZone)}
    </span>
  );
}
