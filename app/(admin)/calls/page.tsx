import Link from "next/link";
import { EmptyState, PageHeader } from "@/components/page-header";
import { LiveRefresh } from "@/components/realtime/live-refresh";
import { events } from "@/lib/agents/contract";
import { pageOrg } from "@/lib/auth/pages";
import { endedByText } from "@/lib/calls/present";
import { db } from "@/lib/db";
import { publicRealtimeConfig } from "@/lib/realtime";

const fmt = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

export default async function CallsPage() {
  const { orgId } = await pageOrg();
  const calls = await db.call.findMany({
    where: { orgId },
    orderBy: { startedAt: "desc" },
    take: 50,
    select: {
      id: true, direction: true, status: true, callerPhone: true, startedAt: true, durationSecs: true, endedAt: true, disconnectedBy: true, error: true,
      contact: { select: { name: true } }, account: { select: { name: true } }, agent: { select: { name: true } },
    },
  });
  return (
    <>
      <LiveRefresh realtime={publicRealtimeConfig()} orgId={orgId} events={[events.callChanged]} />
      <PageHeader title="Calls" description="Every incoming and outgoing WhatsApp call, newest first." />
      {calls.length === 0 ? (
        <EmptyState title="No calls yet">Calls appear here as soon as someone calls one of your WhatsApp numbers.</EmptyState>
      ) : (
        <table className="card w-full p-0 text-left text-sm">
          <thead className="text-slate-500">
            <tr>
              <th className="p-3">Started (UTC)</th><th className="p-3">Caller</th><th className="p-3">Number</th>
              <th className="p-3">Direction</th><th className="p-3">Status</th><th className="p-3">Duration</th><th className="p-3">Agent</th><th className="p-3">Ended by</th>
            </tr>
          </thead>
          <tbody>
            {calls.map((c) => (
              <tr key={c.id} className="border-t border-slate-100">
                <td className="p-3"><Link className="text-brand-700 hover:underline" href={`/calls/${c.id}`}>{fmt.format(c.startedAt)}</Link></td>
                <td className="p-3">{c.contact?.name ?? ""} +{c.callerPhone}</td>
                <td className="p-3">{c.account.name}</td>
                <td className="p-3">{c.direction}</td>
                <td className="p-3">{c.status.replace("_", " ")}</td>
                <td className="p-3">{c.durationSecs != null ? `${c.durationSecs}s` : "—"}</td>
                <td className="p-3">{c.agent?.name ?? "—"}</td>
                <td className="p-3">{endedByText(c)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
