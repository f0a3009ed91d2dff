import { ApiForm } from "@/components/api-form";
import { EmptyState, PageHeader } from "@/components/page-header";
import { pageOrg } from "@/lib/auth/pages";
import { listOrgMembers, listTeams } from "@/lib/teams/service";

export default async function TeamsPage() {
  const { orgId } = await pageOrg("admin");
  const [teams, members] = await Promise.all([listTeams(orgId), listOrgMembers(orgId)]);
  return (
    <>
      <PageHeader title="Teams" description="Calls transferred from an IVR flow ring every online agent of the chosen team." />
      <ApiForm action="/api/teams" resetOnSuccess className="card mb-6 flex flex-wrap items-end gap-3">
        <label className="flex-1 text-sm">
          <span className="mb-1 block font-medium">New team</span>
          <input name="name" required maxLength={80} placeholder="e.g. Support" className="input" />
        </label>
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
                <ApiForm action={`/api/teams/${team.id}`} method="DELETE" confirm={`Delete team ${team.name}?`}>
                  <button type="submit" className="btn-danger">
                    Delete team
                  </button>
                </ApiForm>
              </div>
              {team.members.length === 0 ? (
                <p className="mb-3 text-sm text-slate-500">No members yet.</p>
              ) : (
                <ul className="mb-3 divide-y divide-slate-100">
                  {team.members.map(({ user }) => (
                    <li key={user.id} className="flex items-center justify-between py-2 text-sm">
                      <span>
                        {user.name} <span className="text-slate-500">{user.email}</span>
                      </span>
                      <ApiForm action={`/api/teams/${team.id}/members/${user.id}`} method="DELETE">
                        <button type="submit" className="btn-secondary">
                          Remove
                        </button>
                      </ApiForm>
                    </li>
                  ))}
                </ul>
              )}
              {candidates.length > 0 && (
                <ApiForm action={`/api/teams/${team.id}/members`} className="flex items-end gap-2">
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
