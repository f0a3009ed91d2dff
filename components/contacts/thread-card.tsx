// One item of a contact's conversation: a call (incoming on the left, outgoing on the right, as
// WhatsApp shows the business's side) or a permission request/reply between them.
import Link from "next/link";
import { StatusBadge } from "@/components/calls/status-badge";
import { formatDuration } from "@/lib/calls/present-row";
import { formatInZone } from "@/lib/calls/time-zone";
import type { ThreadItem } from "@/lib/contacts/service";
import type { CallStatus } from "@/lib/db";

const ACTIVITY_TEXT: Record<string, string> = {
  permission_requested: "Call permission requested",
  permission_request_failed: "Call permission request not sent",
  permission_granted: "Contact allowed calls",
  permission_denied: "Contact declined calls",
  missed_call_text: "Missed-call message",
};

/** A reply's expiry is stored as "until <ISO time>"; shown in the organisation's zone. */
function activityDetail(activity: string, detail: string, timeZone: string): string {
  if (activity === "missed_call_text") return `“${detail}”`;
  const until = /^until (.+)$/.exec(detail);
  if (until && !Number.isNaN(Date.parse(until[1]!))) return `until ${formatInZone(new Date(until[1]!), timeZone)}`;
  return detail === "permanent" ? "permanently" : detail;
}

const ENDED_BY: Record<string, string> = { client: "the contact", agent: "the agent", system: "the system" };

export function ThreadCard({ item, timeZone }: { item: ThreadItem; timeZone: string }) {
  const when = formatInZone(new Date(item.at), timeZone);
  if (item.kind === "activity") {
    const tone =
      item.activity === "permission_request_failed" || item.activity === "permission_denied"
        ? "border-red-200 bg-red-50 text-red-800"
        : item.activity === "permission_granted"
          ? "border-emerald-200 bg-emerald-50 text-emerald-800"
          : "border-slate-200 bg-slate-50 text-slate-700";
    return (
      <li className="flex justify-center" data-testid="thread-activity" data-kind={item.activity}>
        <div className={`max-w-md rounded-lg border px-3 py-2 text-center text-xs ${tone}`}>
          <p className="font-medium">
            {ACTIVITY_TEXT[item.activity] ?? item.activity}
            {item.by ? ` by ${item.by}` : ""}
          </p>
          {item.detail && <p className="mt-0.5">{activityDetail(item.activity, item.detail, timeZone)}</p>}
          <p className="mt-0.5 text-[11px] opacity-70">{when}</p>
        </div>
      </li>
    );
  }
  const outgoing = item.direction === "outgoing";
  return (
    <li className={`flex ${outgoing ? "justify-end" : "justify-start"}`} data-testid="thread-call" data-direction={item.direction} data-status={item.status}>
      <article
        className={`w-80 rounded-xl border p-3 text-sm shadow-sm ${outgoing ? "border-emerald-200 bg-emerald-50" : "border-slate-200 bg-white"}`}
        aria-label={`${outgoing ? "Outgoing" : "Incoming"} call, ${when}`}
      >
        <div className="flex items-center justify-between gap-2">
          <p className="font-semibold">
            <span aria-hidden="true">{outgoing ? "↗ " : "↙ "}</span>
            {outgoing ? "Outgoing call" : "Incoming call"}
          </p>
          <StatusBadge status={item.status as CallStatus} />
        </div>
        <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-xs text-slate-600">
          <dt>Duration</dt>
          <dd className="font-mono">{formatDuration(item.durationSecs)}</dd>
          <dt>Agent</dt>
          <dd>{item.agent ?? (item.noAgentAnswered ? "No agent answered" : "—")}</dd>
          {item.disconnectedBy && (
            <>
              <dt>Ended by</dt>
              <dd>{ENDED_BY[item.disconnectedBy] ?? item.disconnectedBy}</dd>
            </>
          )}
        </dl>
        {item.error && <p className="mt-2 rounded-md bg-red-50 px-2 py-1 text-xs text-red-700">{item.error}</p>}
        <div className="mt-2 flex items-center gap-3 text-xs">
          <span className="text-slate-500">{when}</span>
          {item.fromCallback && <span className="rounded bg-sky-100 px-1.5 py-0.5 text-sky-800">Call back</span>}
          <span className="ml-auto flex gap-3">
            {item.recording && (
              <a href={`/api/calls/${item.id}/recording`} target="_blank" rel="noopener" className="text-brand-700 hover:underline">
                Recording
              </a>
            )}
            <Link href={`/calls/${item.id}`} className="text-brand-700 hover:underline">
              Details
            </Link>
          </span>
        </div>
      </article>
    </li>
  );
}
