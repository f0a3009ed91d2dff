import { ApiForm } from "@/components/api-form";
import { FormField } from "@/components/forms/form-field";
import { EmptyState, PageHeader } from "@/components/page-header";
import { LiveRefresh } from "@/components/realtime/live-refresh";
import { SupervisorToggle } from "@/components/teams/supervisor-toggle";
import { memberPresence } from "@/lib/agents/availability";
import { PRESENCE } from "@/components/presence";
import { pageOrg } from "@/lib/auth/pages";
import { publicRealtimeConfig } from "@/lib/realtime";
import { listOrgMembers, listTeams } from "@/lib/teams/service";

export const metadata = { title: "Teams" };

export default async function TeamsPage() {
  const { orgId } = await pageOrg("admin");
  const [teams, members, presence] = await Promise.all([listTeams(orgId), listOrgMembers(orgId), memberPresence(orgId)]);
  return (
    <>
      <LiveRefresh realtime={publicRealtimeConfig()} orgId={orgId} events={["agent.status"]} />
      <PageHeader title="Teams" description="Calls transferred from an IVR flow ring every available agent of the chosen team." />
      <ApiForm action="/api/teams" schema="team" resetOnSuccess successMessage="Team added." className="card mb-6 flex flex-wrap items-end gap-3">
        <FormField name="name" label="New team" placeholder="e.g. Support" required className="flex-1" />
        <button type="submit" className="btn-primary">
          Add team
        </button>
      </ApiForm>
      {teams.length === 0 && <EmptyState title="No teams yet">Create a team, then add agents to it.</EmptyState>}
      <div className="space-y-4">
        {teams.map((team) => {
          const memberIds = new Set(team.members.map((m) => m.user.id));
          const candidates = members.filter((m) => !memberIds.has(m.user.id));
          return (
            <section key={team.id} className="card" aria-label={`Team ${team.name}`}>
              <div className="mb-3 flex items-center justify-between">
                <h2 className="text-lg font-semibold">{team.name}</h2>
                <ApiForm action={`/api/teams/${team.id}`} method="DELETE" confirm={`Delete team ${team.name}?`} successMessage={`Team ${team.name} deleted.`}>
                  <button type="submit" className="btn-danger">
                    Delete team
                  </button>
                </ApiForm>
              </div>
              <ApiForm
                action={`/api/teams/${team.id}`}
                method="PATCH"
                schema="team"
                successMessage="Team renamed to {name}."
                className="mb-3 flex flex-wrap items-end gap-2 text-sm"
              >
                <FormField name="name" label="Team name" defaultValue={team.name} required className="w-64" />
                <button type="submit" className="btn-secondary">
                  Rename
                </button>
              </ApiForm>
              <ApiForm
                action={`/api/teams/${team.id}`}
                method="PATCH"
                successMessage="Service level target saved."
                className="mb-3 flex flex-wrap items-end gap-2 text-sm"
              >
                <span className="pb-2 font-medium">Service level:</span>
                <label className="flex items-center gap-1">
                  <input
                    name="slPercent"
                    type="number"
                    min={1}
                    max={100}
                    required
                    defaultValue={team.slPercent}
                    className="input w-20"
                    aria-label={`${team.name} service level percent`}
                  />
                  % answered within
                </label>
                <label className="flex items-center gap-1">
                  <input
                    name="slSeconds"
                    type="number"
                    min={1}
                    max={120}
                    required
                    defaultValue={team.slSeconds}
                    className="input w-20"
                    aria-label={`${team.name} service level seconds`}
                  />
                  seconds
                </label>
                <button type="submit" className="btn-secondary">
                  Save target
                </button>
              </ApiForm>
              {team.members.length === 0 ? (
                <p className="mb-3 text-sm text-slate-500 dark:text-slate-400">No members yet.</p>
              ) : (
                <ul className="mb-3 divide-y divide-slate-100 dark:divide-slate-800">
                  {team.members.map(({ user, supervisor }) => {
                    const p = PRESENCE[presence.get(user.id) ?? "offline"];
                    return (
                      <li key={user.id} className="flex items-center justify-between gap-3 py-2 text-sm">
                        <span className="flex min-w-0 items-center gap-2 wrap-anywhere">
                          <span className={`inline-block h-2.5 w-2.5 rounded-full ${p.dot}`} aria-hidden />
                          {user.name} <span className="text-slate-500 dark:text-slate-400">{user.email}</span>
                          <span className="text-xs text-slate-500 dark:text-slate-400" data-testid="presence">
                            {p.label}
                          </span>
                        </span>
                        <span className="flex items-center gap-3">
                          <SupervisorToggle teamId={team.id} userId={user.id} name={user.name} initial={supervisor} />
                          <ApiForm
                            action={`/api/teams/${team.id}/members/${user.id}`}
                            method="DELETE"
                            successMessage={`${user.name} removed from ${team.name}.`}
                          >
                            <button type="submit" className="btn-secondary" aria-label={`Remove ${user.name} from ${team.name}`}>
                              Remove
                            </button>
                          </ApiForm>
                        </span>
                      </li>
                    );
                  })}
                </ul>
              )}
              {candidates.length > 0 && (
                <ApiForm
                  action={`/api/teams/${team.id}/members`}
                  schema="teamMember"
                  successMessage={`Member added to ${team.name}.`}
                  className="flex items-end gap-2"
                >
                  <select name="userId" aria-label={`Add member to ${team.name}`} className="input max-w-xs">
                    {candidates.map((m) => (
                      <option key={m.user.id} value={m.user.id}>
                        {m.user.name} ({m.role})
                      </option>
                    ))}
                  </select>
                  <button type="submit" className="btn-secondary">
                    Add member
                  </button>
                </ApiForm>
              )}
            </section>
          );
        })}
      </div>
    </>
  );
}
