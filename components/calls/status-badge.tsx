import type { CallStatus } from "@/lib/db";
import { STATUS_TEXT } from "@/lib/calls/present-row";

const TONE: Record<CallStatus, string> = {
  completed: "bg-emerald-50 text-emerald-700 ring-emerald-600/20",
  missed: "bg-amber-50 dark:bg-amber-950/40 text-amber-800 dark:text-amber-200 ring-amber-600/20",
  rejected: "bg-red-50 dark:bg-red-950/40 text-red-700 dark:text-red-300 ring-red-600/20",
  failed: "bg-red-50 dark:bg-red-950/40 text-red-700 dark:text-red-300 ring-red-600/20",
  initiating: "bg-sky-50 text-sky-700 ring-sky-600/20",
  ringing: "bg-sky-50 text-sky-700 ring-sky-600/20",
  answered: "bg-sky-50 text-sky-700 ring-sky-600/20",
  transferring: "bg-sky-50 text-sky-700 ring-sky-600/20",
  on_hold: "bg-sky-50 text-sky-700 ring-sky-600/20",
};

export function StatusBadge({ status }: { status: CallStatus }) {
  return (
    <span className={`inline-flex whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${TONE[status]}`}>
      {STATUS_TEXT[status]}
    </span>
  );
}
