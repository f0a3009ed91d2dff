import Link from "next/link";
import { notFound } from "next/navigation";
import { CallError } from "@/components/calls/call-error";
import { IvrTimeline } from "@/components/calls/ivr-timeline";
import { RecordingPanel } from "@/components/calls/recording-panel";
import { StatusBadge } from "@/components/calls/status-badge";
import { TransferAttempts } from "@/components/calls/transfer-attempts";
import { PageHeader } from "@/components/page-header";
import { LiveRefresh } from "@/components/realtime/live-refresh";
import { events } from "@/lib/agents/contract";
import { CALL_PHASE_EVENT, currentNodes } from "@/lib/board/phase";
import { redis } from "@/lib/gateway/redis";
import { pageOrg } from "@/lib/auth/pages";
import { callDetail } from "@/lib/calls/detail";
import { endedByText, noAgentAnswered } from "@/lib/calls/present";
import { DIRECTION_TEXT, formatDisplayPhone, formatDuration, formatPhone } from "@/lib/calls/present-row";
import { formatInZone, zoneLabel } from "@/lib/calls/time-zone";
import { publicRealtimeConfig } from "@/lib/realtime";
import { isSafeParam } from "@/lib/validation";

export default async function CallPage({ params }: { params: Promise<{ id: string }> }) {
  const ctx = await pageOrg();
  const { id } = await params;
  if (!isSafeParam(id)) notFound();
  const call = await callDetail(ctx, id);
  if (!call) notFound();
  // Where a live call's caller is in the IVR now (the gateway's report; steps are stored on leaving).
  const current = call.endedAt ? null : ((await currentNodes(redis(), [call.id])).get(call.id) ?? null);
  const tz = call.timeZone;
  const at = (d: Date | null) => (d ? formatInZone(d, tz, "full") : "—");
  const who = call.contact?.name ?? formatPhone(call.callerPhone);
  const facts: [string, React.ReactNode][] = [
    ["Contact", call.contact?.name ?? "Unknown"],
    ["Phone", formatPhone(call.callerPhone)],
    ["WhatsApp number", `${call.account.name} (${formatDisplayPhone(call.account.displayPhone)})`],
    ["Direction", DIRECTION_TEXT[call.direction]],
    ["Status", <StatusBadge key="s" status={call.status} />],
    [`Started (${zoneLabel(tz, call.startedAt)})`, at(call.startedAt)],
    // Not when an agent took it (see the transfer below): when the IVR picked up, or the contact did.
    [call.direction === "incoming" ? "Answered by the IVR" : "Answered by the contact", at(call.answeredAt)],
    ["Ended", at(call.endedAt)],
    ["Duration", formatDuration(call.durationSecs)],
    ["Agent", call.agent?.name ?? (noAgentAnswered(call) ? "No agent answered" : "—")],
    ["Ended by", endedByText(call)],
    [
      "IVR flow",
      call.flow && ctx.role === "admin" ? (
        <span key="f">
          <Link className="text-brand-700 dark:text-brand-500 hover:underline" href={`/flows/${call.flow.id}`}>
            {call.flow.name}
          </Link>
          {call.flowVersion && (
            <>
              {" · "}
              <Link className="text-brand-700 dark:text-brand-500 hover:underline" href={`/flows/${call.flow.id}/versions/${call.flowVersion}`}>
                version {call.flowVersion}
              </Link>
            </>
          )}
        </span>
      ) : (
        `${call.flow?.name ?? "—"}${call.flow && call.flowVersion ? ` · version ${call.flowVersion}` : ""}`
      ),
    ],
  ];
  return (
    <>
      <LiveRefresh realtime={publicRealtimeConfig()} orgId={ctx.orgId} events={call.endedAt ? [events.callChanged] : [events.callChanged, CALL_PHASE_EVENT]} />
      <PageHeader
        title={`${DIRECTION_TEXT[call.direction]} call · ${who}`}
        description={`WhatsApp call ${call.waCallId}${call.gatewayId ? ` · media gateway ${call.gatewayId}` : ""}`}
      >
        <Link href="/calls" className="btn-secondary">
          All calls
        </Link>
      </PageHeader>
      <CallError error={call.error} />
      <dl className="card mb-6 grid grid-cols-2 gap-x-6 gap-y-3 p-5 text-sm md:grid-cols-4" aria-label="Call facts">
        {facts.map(([k, v]) => (
          <div key={k}>
            <dt className="text-slate-500 dark:text-slate-400">{k}</dt>
            <dd className="font-medium">{v}</dd>
          </div>
        ))}
      </dl>
      <h2 className="mb-2 text-lg font-semibold">Recording</h2>
      <div className="mb-6">
        <RecordingPanel callId={call.id} recording={call.recording} timeZone={tz} />
      </div>
      <h2 className="mb-2 text-lg font-semibold">IVR path</h2>
      {call.steps.length === 0 && !current ? (
        <p className="card p-4 text-sm text-slate-500 dark:text-slate-400">
          {call.endedAt ? "The call did not reach the IVR." : "The call has not reached the IVR yet."}
        </p>
      ) : (
        <IvrTimeline steps={call.steps} startedAt={call.startedAt} current={current} />
      )}
      {call.transfers.length > 0 && (
        <>
          <h2 className="mb-2 mt-6 text-lg font-semibold">Transfer attempts</h2>
          <TransferAttempts transfers={call.transfers} />
        </>
      )}
      {call.notes && (
        <>
          <h2 className="mb-2 mt-6 text-lg font-semibold">Agent notes</h2>
          <p className="card whitespace-pre-wrap p-4 text-sm">{call.notes}</p>
        </>
      )}
    </>
  );
}
