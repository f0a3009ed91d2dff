// Who may see which calls: admins see the whole organisation; agents see the calls they took and
// the calls transferred to a team they belong to. Every call read (list, detail, export, recording)
// goes through these, so the rule lives in one place.
import type { OrgContext } from "../auth/session";
import { db, Prisma } from "../db";
import { notFound } from "../errors";

type Viewer = Pick<OrgContext, "orgId" | "userId" | "role">;

/** The `where` that limits a call query to what `viewer` may see (always scoped to the org). */
export function visibleCalls(viewer: Viewer): Prisma.CallWhereInput {
  if (viewer.role === "admin") return { orgId: viewer.orgId };
  return {
    orgId: viewer.orgId,
    OR: [{ agentId: viewer.userId }, { transfers: { some: { team: { members: { some: { userId: viewer.userId } } } } } }],
  };
}

/** The call's id and org if `viewer` may see it; a 404 otherwise (never a 403 that confirms it exists). */
export async function requireVisibleCall(viewer: Viewer, callId: string): Promise<{ id: string; orgId: string }> {
  const call = await db.call.findFirst({ where: { AND: [{ id: callId }, visibleCalls(viewer)] }, select: { id: true, orgId: true } });
  if (!call) throw notFound("Call");
  return call;
}

/**
 * The same rule as `visibleCalls`, as disjoint parts whose union is exactly what `viewer` may see
 * (admins: the organisation; agents: the calls transferred to one of their teams, and the calls
 * they took that were not), each a condition on the call row `c` for lib/calls/list-query's SQL.
 * "Transferred to one of their teams" reads the call's own `team_ids` (the teams of its
 * transfers, kept by lib/agents/transfers), so each part is a test on the call row that an index
 * can answer (GIN on team_ids, B-tree on agent_id) instead of a semi-join into call_transfers per
 * call. Lists read each part on its own and merge them.
 */
export async function visibleCallParts(viewer: Viewer): Promise<Prisma.Sql[]> {
  const org = Prisma.sql`c.org_id = ${viewer.orgId}`;
  if (viewer.role === "admin") return [org];
  const teams = await db.teamMember.findMany({ where: { userId: viewer.userId, team: { orgId: viewer.orgId } }, select: { teamId: true } });
  const own = Prisma.sql`${org} AND c.agent_id = ${viewer.userId}`;
  if (teams.length === 0) return [own];
  const viaTeam = Prisma.sql`c.team_ids && ${teams.map((t) => t.teamId)}::text[]`;
  // `team_ids <> '{}'` is implied by viaTeam; written out, it lets PostgreSQL use the index of
  // transferred calls only (calls_transferred_org_id_status_started_at_id_idx).
  const transferred = Prisma.sql`c.team_ids <> '{}'::text[]`;
  return [Prisma.sql`${org} AND ${transferred} AND ${viaTeam}`, Prisma.sql`${own} AND NOT (${viaTeam})`];
}
