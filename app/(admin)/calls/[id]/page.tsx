import Link from "next/link";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/page-header";
import { LiveRefresh } from "@/components/realtime/live-refresh";
import { events } from "@/lib/agents/contract";
import { pageOrg } from "@/lib/auth/pages";
import { describeTransfer, endedByText } from "@/lib/calls/present";
import { db } from "@/lib/db";
import { publicRealtimeConfig } from "@/lib/realtime";
import { isSafeParam } from "@/lib/validation";

const fmt = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "medium", timeZone: "UTC" });

export default async function CallPage({ params }: { params: Promise<{ id: string }> }) {
  const { orgId } = await pageOrg();
  const { id } = await params;
  if (!isSafeParam(id)) notFound();
  const call = await db.call.findFirst({
    where: { id, orgId },
    select: {
      waCallId: true, direction: true, status: true, callerPhone: true, startedAt: true, answeredAt: true, endedAt: true,
      durationSecs: true, disconnectedBy: true, error: true, gatewayId: true, notes: true, agent: { select: { name: true } },
      contact: { select: { name: true } }, account: { select: { name: true } }, flow: { select: { name: true } },
      steps: { orderBy: { seq: "asc" }, select: { seq: true, nodeType: true, label: true, nodeId: true, handle: true, digits: true, variables: true, enteredAt: true, leftAt: true } },
      transfers: {
        orderBy: { createdAt: "asc" },
        select: { id: true, status: true, endReason: true, createdAt: true, acceptedAt: true, endedAt: true, offeredTo: true, declinedBy: true, acceptedById: true, team: { select: { name: true } } },
      },
    },
  });
  if (!call) notFound();
  const people = new Set(call.transfers.flatMap((t) => [...t.offeredTo, ...t.declinedBy, ...(t.acceptedById ? [t.acceptedById] : [])]));
  const names = new Map(
    (await db.user.findMany({ where: { id: { in: [...people] }, memberships: { some: { orgId } } }, select: { id: true, name: true } })).map((u) => [u.id, u.name]),
  );
  const transfers = call.transfers.map((t) => ({ id: t.id, ...describeTransfer(t, names) }));
  const facts: [string, string][] = [
    ["Caller", `${call.contact?.name ?? ""} +${call.callerPhone}`],
    ["Number", call.account.name],
    ["Direction", call.direction],
    ["Status", call.status.replace("_", " ")],
    ["Started (UTC)", fmt.format(call.startedAt)],
    ["Answered", call.answeredAt ? fmt.format(call.answeredAt) : "—"],
    ["Ended", call.endedAt ? fmt.format(call.endedAt) : "—"],
    ["Duration", call.durationSecs != null ? `${call.durationSecs} s` : "—"],
    ["Agent", call.agent?.name ?? "—"],
    ["Ended by", endedByText(call)],
    ["IVR flow", call.flow?.name ?? "—"],
    ["Media gateway", call.gatewayId ?? "—"],
  ];
  return (
    <>
      <LiveRefresh realtime={publicRealtimeConfig()} orgId={orgId} events={[events.callChanged]} />
      <PageHeader title="Call" description={call.waCallId}>
        <Link href="/calls" className="btn-secondary">All calls</Link>
      </PageHeader>
      {call.error && <p role="alert" className="card mb-4 border-red-200 text-sm text-red-700">{call.error}</p>}
      <dl className="card mb-6 grid grid-cols-2 gap-x-6 gap-y-2 text-sm md:grid-cols-4">
        {facts.map(([k, v]) => (
          <div key={k}>
            <dt className="text-slate-500">{k}</dt>
            <dd className="font-medium">{v}</dd>
          </div>
        ))}
      </dl>
      <h2 className="mb-2 text-lg font-semibold">IVR path</h2>
      {call.steps.length === 0 ? (
        <p className="text-sm text-slate-500">The call did not reach the IVR.</p>
      ) : (
        <ol className="card space-y-2 text-sm" aria-label="IVR path">
          {call.steps.map((s) => {
            const error = (s.variables as { error?: string } | null)?.error;
            return (
              <li key={s.seq} className="flex flex-wrap gap-x-3">
                <span className="w-6 text-slate-400">{s.seq}.</span>
                <span className="font-medium">{s.label || s.nodeId}</span>
                <span className="text-slate-500">{s.nodeType.replace("_", " ")}</span>
                <span>→ {s.handle ?? "end"}</span>
                {s.digits && <span className="rounded bg-slate-100 px-1 font-mono">{s.digits}</span>}
                {error && <span className="text-red-700">{error}</span>}
                <span className="ml-auto text-slate-400" title="When the call left this step, counted from the start of the call">
                  at {(((s.leftAt ?? s.enteredAt).getTime() - call.startedAt.getTime()) / 1000).toFixed(1)} s
                </span>
              </li>
            );
          })}
        </ol>
      )}
      {transfers.length > 0 && (
        <>
          <h2 className="mb-2 mt-6 text-lg font-semibold">Transfer attempts</h2>
          <ul className="card space-y-3 text-sm" aria-label="Transfer attempts">
            {transfers.map((t) => (
              <li key={t.id}>
                <p className="font-medium">
                  {t.team}: {t.outcome} <span className="font-normal text-slate-500">after {t.waitedSecs} s waiting</span>
                </p>
                <p className="text-slate-600">Rang: {t.rang.length ? t.rang.join(", ") : "nobody (no agent was available)"}</p>
                {t.declined.length > 0 && <p className="text-slate-600">Declined: {t.declined.join(", ")}</p>}
              </li>
            ))}
          </ul>
        </>
      )}
      {call.notes && (
        <>
          <h2 className="mb-2 mt-6 text-lg font-semibold">Agent notes</h2>
          <p className="card whitespace-pre-wrap text-sm">{call.notes}</p>
        </>
      )}
    </>
  );
}
