import Link from "next/link";
import { ApiForm } from "@/components/api-form";
import { CallButton } from "@/components/contacts/call-button";
import { PermissionBadge } from "@/components/contacts/permission-badge";
import { EmptyState, PageHeader } from "@/components/page-header";
import { LiveRefresh } from "@/components/realtime/live-refresh";
import { events } from "@/lib/agents/contract";
import { pageOrg } from "@/lib/auth/pages";
import { listCallbacks } from "@/lib/callbacks/service";
import { orgTimeZone } from "@/lib/calls/list-query";
import { formatPhone, STATUS_TEXT } from "@/lib/calls/present-row";
import { formatInZone } from "@/lib/calls/time-zone";
import { publicRealtimeConfig } from "@/lib/realtime";

export const metadata = { title: "Callbacks" };

export default async function CallbacksPage() {
  const ctx = await pageOrg();
  const [tasks, timeZone] = await Promise.all([listCallbacks(ctx, "open"), orgTimeZone(ctx.orgId)]);
  return (
    <>
      <LiveRefresh realtime={publicRealtimeConfig()} orgId={ctx.orgId} events={[events.callChanged]} />
      <PageHeader
        title="Callbacks"
        description="Callers who did not reach anyone: the transfer timed out, nobody was available, or they hung up while waiting. Oldest first."
      />
      {tasks.length === 0 ? (
        <EmptyState title="Nobody is waiting for a call back">Missed calls appear here.</EmptyState>
      ) : (
        <ul className="space-y-3">
          {tasks.map((t) => (
            <li key={t.id} className="card flex flex-wrap items-center gap-4" data-testid="callback-task">
              {/* At least 16rem for the words: on a narrow screen the badge and buttons wrap below them. */}
              <div className="min-w-0 flex-1 basis-64">
                <Link href={`/contacts/${t.contact.id}`} className="font-semibold text-brand-700 hover:underline">
                  {t.contact.name || formatPhone(t.contact.waId)}
                </Link>
                {t.contact.name && <span className="ml-2 font-mono text-sm text-slate-500">{formatPhone(t.contact.waId)}</span>}
                <p className="text-sm text-slate-600">
                  {t.reasonText} · missed {formatInZone(t.missedCall.startedAt, timeZone)}
                </p>
                {t.attempts.length > 0 && (
                  <p className="text-xs text-slate-500">
                    Tried {t.attempts.length}×: last {STATUS_TEXT[t.attempts[0]!.status].toLowerCase()} at {formatInZone(t.attempts[0]!.startedAt, timeZone)}
                  </p>
                )}
              </div>
              <PermissionBadge state={t.contact.callPermission} expiresAt={null} />
              <CallButton
                contactId={t.contact.id}
                accountId={t.accountId}
                callbackTaskId={t.id}
                contact={{ phone: t.contact.waId, name: t.contact.name }}
                label="Call back"
              />
              <ApiForm action={`/api/callbacks/${t.id}/cancel`} confirm="Close this callback without calling?">
                <button type="submit" className="btn-secondary">
                  Close
                </button>
              </ApiForm>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
