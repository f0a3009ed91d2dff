import Link from "next/link";
import { ApiForm } from "@/components/api-form";
import { FormField } from "@/components/forms/form-field";
import { PageHeader } from "@/components/page-header";
import { LiveRefresh } from "@/components/realtime/live-refresh";
import { PRESENCE } from "@/components/presence";
import { pageOrg } from "@/lib/auth/pages";
import { listPeople } from "@/lib/people/service";
import { publicRealtimeConfig } from "@/lib/realtime";

export const metadata = { title: "People" };

const ROLE_OPTIONS = [
  { value: "agent", label: "Agent: takes calls, sees their teams' calls" },
  { value: "admin", label: "Admin: manages flows, teams, numbers and people" },
];

export default async function PeoplePage() {
  const { orgId, userId } = await pageOrg("admin");
  const people = await listPeople(orgId);
  return (
    <>
      <LiveRefresh realtime={publicRealtimeConfig()} orgId={orgId} events={["agent.status"]} />
      <PageHeader title="People" description="Everyone who signs in to this organisation. Agents take calls once they are in a team." />
      <ApiForm action="/api/people" schema="person" resetOnSuccess successMessage="Person added." className="card mb-6 grid gap-3 md:grid-cols-2">
        <FormField name="name" label="Name" placeholder="e.g. Ana Souza" required autoComplete="off" />
        <FormField name="email" label="Email" type="email" placeholder="ana@example.com" required autoComplete="off" />
        <FormField name="role" label="Role" type="select" options={ROLE_OPTIONS} defaultValue="agent" />
        <FormField
          name="password"
          label="First password"
          type="password"
          required
          autoComplete="new-password"
          help="Give it to them to sign in with (at least 8 characters). Someone who already has an account keeps their own."
        />
        <div className="md:col-span-2">
          <button type="submit" className="btn-primary">
            Add person
          </button>
        </div>
      </ApiForm>
      <div className="card overflow-x-auto p-0">
        {/* Wide enough for names and emails: on a phone the table scrolls inside its card. */}
        <table className="w-full min-w-[48rem] text-sm">
          <thead className="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-500 dark:bg-slate-800 dark:text-slate-400">
            <tr>
              <th className="px-4 py-2 font-medium">Name</th>
              <th className="px-4 py-2 font-medium">Teams</th>
              <th className="px-4 py-2 font-medium">Availability</th>
              <th className="px-4 py-2 font-medium">Role</th>
              <th className="px-4 py-2 font-medium">Password</th>
              <th className="px-4 py-2 font-medium">
                <span className="sr-only">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
            {people.map((p) => {
              const presence = PRESENCE[p.status];
              return (
                <tr key={p.id} data-testid="person" data-email={p.email}>
                  <td className="max-w-xs min-w-40 px-4 py-2 wrap-anywhere">
                    <span className="font-medium">{p.name}</span>
                    {p.id === userId && <span className="text-slate-500 dark:text-slate-400"> (you)</span>}
                    <span className="block text-xs text-slate-500 dark:text-slate-400">{p.email}</span>
                    {p.id !== userId && !p.shared && (
                      <details className="mt-1">
                        <summary className="cursor-pointer text-xs text-slate-600 dark:text-slate-300">Rename</summary>
                        <ApiForm
                          action={`/api/people/${p.id}`}
                          method="PATCH"
                          schema="personUpdate"
                          closeOnSuccess
                          successMessage="Renamed to {name}."
                          className="mt-2 flex items-start gap-2"
                        >
                          <input name="name" defaultValue={p.name} aria-label={`New name for ${p.name}`} autoComplete="off" className="input w-44" />
                          <button type="submit" className="btn-secondary">
                            Save name
                          </button>
                        </ApiForm>
                      </details>
                    )}
                  </td>
                  <td className="px-4 py-2">
                    {p.teams.length > 0 ? (
                      p.teams.join(", ")
                    ) : (
                      <Link href="/teams" className="text-brand-700 underline dark:text-brand-500">
                        {p.role === "agent" ? "In no team: add to one" : "In no team"}
                      </Link>
                    )}
                  </td>
                  <td className="px-4 py-2">
                    <span className="flex items-center gap-2">
                      <span className={`inline-block h-2.5 w-2.5 rounded-full ${presence.dot}`} aria-hidden />
                      {presence.label}
                    </span>
                  </td>
                  <td className="px-4 py-2">
                    <ApiForm
                      action={`/api/people/${p.id}`}
                      method="PATCH"
                      schema="personUpdate"
                      successMessage={`${p.name}'s role saved.`}
                      className="flex items-center gap-2"
                    >
                      <select name="role" defaultValue={p.role} aria-label={`Role of ${p.name}`} className="input w-28">
                        <option value="agent">Agent</option>
                        <option value="admin">Admin</option>
                      </select>
                      <button type="submit" className="btn-secondary">
                        Save
                      </button>
                    </ApiForm>
                  </td>
                  <td className="px-4 py-2">
                    {p.id === userId ? (
                      <Link href="/profile" className="text-brand-700 underline dark:text-brand-500">
                        Your password
                      </Link>
                    ) : p.shared ? (
                      // Their account also belongs to another organisation: not this one's to change.
                      <span className="text-slate-500 dark:text-slate-400">Changed by them (shared account)</span>
                    ) : (
                      <details>
                        <summary className="cursor-pointer text-slate-600 dark:text-slate-300">Set a password</summary>
                        <ApiForm
                          action={`/api/people/${p.id}/password`}
                          schema="personPassword"
                          resetOnSuccess
                          closeOnSuccess
                          successMessage={`New password set for ${p.name}; they are signed out everywhere.`}
                          className="mt-2 flex items-start gap-2"
                        >
                          <input
                            name="password"
                            type="password"
                            autoComplete="new-password"
                            aria-label={`New password for ${p.name}`}
                            placeholder="At least 8 characters"
                            className="input w-44"
                          />
                          <button type="submit" className="btn-secondary">
                            Set
                          </button>
                        </ApiForm>
                      </details>
                    )}
                  </td>
                  <td className="px-4 py-2 text-right">
                    {p.id !== userId && (
                      <ApiForm
                        action={`/api/people/${p.id}`}
                        method="DELETE"
                        confirm={`Remove ${p.name} from this organisation? They can no longer sign in to it; their calls stay in the log.`}
                        successMessage={`${p.name} removed.`}
                      >
                        <button type="submit" className="btn-danger" aria-label={`Remove ${p.name}`}>
                          Remove
                        </button>
                      </ApiForm>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}
