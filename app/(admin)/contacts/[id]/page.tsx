import Link from "next/link";
import { notFound } from "next/navigation";
import { ApiForm } from "@/components/api-form";
import { ContactCallBar } from "@/components/contacts/contact-call-bar";
import { ThreadCard } from "@/components/contacts/thread-card";
import { PageHeader } from "@/components/page-header";
import { LiveRefresh } from "@/components/realtime/live-refresh";
import { events } from "@/lib/agents/contract";
import { pageOrg } from "@/lib/auth/pages";
import { orgTimeZone } from "@/lib/calls/list-query";
import { formatPhone } from "@/lib/calls/present-row";
import { contactConversation } from "@/lib/contacts/service";
import { AppError } from "@/lib/errors";
import { publicRealtimeConfig } from "@/lib/realtime";

export const metadata = { title: "Contact" };

export default async function ContactPage({ params }: { params: Promise<{ id: string }> }) {
  const ctx = await pageOrg();
  const { id } = await params;
  const convo = await contactConversation(ctx, id).catch((err) => {
    if (err instanceof AppError && err.status === 404) notFound();
    throw err;
  });
  const timeZone = await orgTimeZone(ctx.orgId);
  const { contact, items, accounts, openCallback } = convo;
  const title = contact.name || formatPhone(contact.waId);
  return (
    <>
      <LiveRefresh realtime={publicRealtimeConfig()} orgId={ctx.orgId} events={[events.callChanged, events.contactChanged]} />
      <p className="mb-2 text-sm">
        <Link href="/contacts" className="text-brand-700 hover:underline">
          ← Contacts
        </Link>
      </p>
      <PageHeader title={title} description={contact.name ? `WhatsApp ${formatPhone(contact.waId)}` : "WhatsApp contact"} />
      <div className="space-y-4">
        {openCallback && (
          <p className="rounded-md border border-sky-200 bg-sky-50 px-3 py-2 text-sm text-sky-900">
            This contact is waiting for a call back; a call placed here closes the task once it connects.
          </p>
        )}
        <ContactCallBar
          contact={{ ...contact, permissionExpiresAt: contact.permissionExpiresAt?.toISOString() ?? null }}
          accounts={accounts}
          callbackTaskId={openCallback?.id}
          timeZone={timeZone}
        />
        <section aria-label="Conversation" className="card">
          <h2 className="mb-3 text-lg font-semibold">Conversation</h2>
          {items.length === 0 ? (
            <p className="text-sm text-slate-500">No calls or permission requests with this contact yet.</p>
          ) : (
            <ol className="space-y-3">
              {items.map((item) => (
                <ThreadCard key={`${item.kind}-${item.id}`} item={item} timeZone={timeZone} />
              ))}
            </ol>
          )}
        </section>
        <details className="card">
          <summary className="cursor-pointer text-sm font-medium">Edit contact</summary>
          <ApiForm action={`/api/contacts/${contact.id}`} method="PATCH" successMessage="Saved." className="mt-3 flex flex-wrap items-end gap-3">
            <label className="text-sm">
              <span className="mb-1 block font-medium">Name</span>
              <input name="name" defaultValue={contact.name ?? ""} className="input" autoComplete="off" />
            </label>
            <label className="text-sm">
              <span className="mb-1 block font-medium">WhatsApp number</span>
              <input name="waId" defaultValue={`+${contact.waId}`} required className="input" autoComplete="off" />
            </label>
            <button type="submit" className="btn-secondary">
              Save
            </button>
          </ApiForm>
        </details>
      </div>
    </>
  );
}
