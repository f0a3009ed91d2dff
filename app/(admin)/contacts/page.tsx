import Link from "next/link";
import { ApiForm } from "@/components/api-form";
import { PermissionBadge } from "@/components/contacts/permission-badge";
import { EmptyState, PageHeader } from "@/components/page-header";
import { pageOrg } from "@/lib/auth/pages";
import { orgTimeZone } from "@/lib/calls/list-query";
import { formatPhone } from "@/lib/calls/present-row";
import { contactListQuery } from "@/lib/contacts/schema";
import { listContacts } from "@/lib/contacts/service";

export const metadata = { title: "Contacts" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function ContactsPage({ searchParams }: { searchParams: SearchParams }) {
  const ctx = await pageOrg();
  const raw = await searchParams;
  const parsed = contactListQuery.safeParse({ q: typeof raw.q === "string" ? raw.q : undefined, after: typeof raw.after === "string" ? raw.after : undefined });
  const query = parsed.success ? parsed.data : {};
  const [{ contacts, next }, timeZone] = await Promise.all([listContacts(ctx, query), orgTimeZone(ctx.orgId)]);
  const more = (after: string) => `/contacts?${new URLSearchParams({ ...(query.q ? { q: query.q } : {}), after })}`;
  return (
    <>
      <PageHeader
        title="Contacts"
        description="Everyone who called your numbers, and people you added, latest call first. Open one to see every call and to call them."
      />
      <form method="GET" action="/contacts" className="mb-4 flex gap-2">
        <input name="q" defaultValue={query.q ?? ""} placeholder="Search by name or number" aria-label="Search contacts" className="input max-w-sm" />
        <button type="submit" className="btn-secondary">
          Search
        </button>
        {query.q && (
          <Link href="/contacts" className="self-center text-sm text-brand-700 hover:underline">
            Clear
          </Link>
        )}
      </form>
      <section className="card mb-4" aria-label="Add a contact">
        <h2 className="mb-3 text-lg font-semibold">Add a contact</h2>
        <ApiForm action="/api/contacts" resetOnSuccess successMessage="Contact added." className="flex flex-wrap items-end gap-3">
          <label className="text-sm">
            <span className="mb-1 block font-medium">Name</span>
            <input name="name" className="input" placeholder="Ana Souza" autoComplete="off" />
          </label>
          <label className="text-sm">
            <span className="mb-1 block font-medium">WhatsApp number</span>
            <input name="waId" required className="input" placeholder="+55 11 98765 4321" autoComplete="off" />
          </label>
          <button type="submit" className="btn-secondary">
            Add contact
          </button>
        </ApiForm>
      </section>
      {contacts.length === 0 ? (
        <EmptyState title={query.q ? "No contact matches" : "No contacts yet"}>
          {query.q ? "Try part of the name or the number's first digits." : "Contacts appear when people call; you can also add one below."}
        </EmptyState>
      ) : (
        <div className="card overflow-hidden p-0">
          <table className="w-full text-sm">
            <thead className="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th className="px-4 py-2">Name</th>
                <th className="px-4 py-2">WhatsApp number</th>
                <th className="px-4 py-2">Call permission</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {contacts.map((c) => (
                <tr key={c.id}>
                  <td className="px-4 py-2">
                    <Link href={`/contacts/${c.id}`} className="font-medium text-brand-700 hover:underline">
                      {c.name || "Unnamed contact"}
                    </Link>
                  </td>
                  <td className="px-4 py-2 font-mono">{formatPhone(c.waId)}</td>
                  <td className="px-4 py-2">
                    <PermissionBadge state={c.callPermission} expiresAt={c.permissionExpiresAt} timeZone={timeZone} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {(next || query.after) && (
        <nav aria-label="Pages" className="mt-3 flex gap-3 text-sm">
          {query.after && (
            <Link href={query.q ? `/contacts?q=${encodeURIComponent(query.q)}` : "/contacts"} className="text-brand-700 hover:underline">
              First page
            </Link>
          )}
          {next && (
            <Link href={more(next)} className="text-brand-700 hover:underline">
              Next page
            </Link>
          )}
        </nav>
      )}
    </>
  );
}
