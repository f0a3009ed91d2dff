// Teams and their members, always inside one organisation.
import { db } from "../db";
import { AppError, notFound } from "../errors";
import type { TeamUpdate } from "./schema";

export function listTeams(orgId: string) {
  return db.team.findMany({
    where: { orgId },
    orderBy: { name: "asc" },
    select: {
      id: true,
      name: true,
      slPercent: true,
      slSeconds: true,
      members: { select: { supervisor: true, user: { select: { id: true, name: true, email: true } } }, orderBy: { user: { name: "asc" } } },
    },
  });
}

async function ownTeam(orgId: string, teamId: string) {
  const team = await db.team.findFirst({ where: { id: teamId, orgId }, select: { id: true } });
  if (!team) throw notFound("Team");
  return team;
}

/**
 * Runs `fn` (a create or a rename to `name`) unless another team of the organisation has that name in
 * any case ("sales" beside "Sales" would read as the same team in every picker); the unique index
 * catches a race between two such requests.
 */
async function uniqueName<T>(fn: () => Promise<T>, orgId: string, name: string | undefined, exceptId?: string): Promise<T> {
  if (name !== undefined) {
    const same = await db.team.findFirst({
      where: { orgId, name: { equals: name, mode: "insensitive" }, ...(exceptId ? { id: { not: exceptId } } : {}) },
      select: { name: true },
    });
    if (same) throw new AppError("conflict", `A team named "${same.name}" already exists`);
  }
  try {
    return await fn();
  } catch (err) {
    if ((err as { code?: string }).code === "P2002") throw new AppError("conflict", `A team named "${name ?? ""}" already exists`);
    throw err;
  }
}

export function createTeam(orgId: string, name: string) {
  return uniqueName(() => db.team.create({ data: { orgId, name }, select: { id: true, name: true } }), orgId, name);
}

export async function updateTeam(orgId: string, teamId: string, data: TeamUpdate) {
  await ownTeam(orgId, teamId);
  return uniqueName(
    () => db.team.update({ where: { id: teamId }, data, select: { id: true, name: true, slPercent: true, slSeconds: true } }),
    orgId,
    data.name,
    teamId,
  );
}

/** Marks a team member as a supervisor (may watch the live board) or not. */
export async function setTeamSupervisor(orgId: string, teamId: string, userId: string, supervisor: boolean) {
  await ownTeam(orgId, teamId);
  const { count } = await db.teamMember.updateMany({ where: { teamId, userId }, data: { supervisor } });
  if (count === 0) throw notFound("Team member");
  return { supervisor };
}

export async function deleteTeam(orgId: string, teamId: string) {
  await ownTeam(orgId, teamId);
  // Its transfers keep no team (ON DELETE SET NULL); the calls' `teamIds` drop it with them.
  await db.$transaction([
    db.$executeRaw`UPDATE calls SET team_ids = array_remove(team_ids, ${teamId}) WHERE org_id = ${orgId} AND team_ids @> ARRAY[${teamId}]`,
    db.team.delete({ where: { id: teamId } }),
  ]);
}

export async function addTeamMember(orgId: string, teamId: string, userId: string) {
  await ownTeam(orgId, teamId);
  const member = await db.membership.findUnique({ where: { orgId_userId: { orgId, userId } }, select: { id: true } });
  if (!member) throw new AppError("bad_request", "That user is not a member of this organisation");
  await db.teamMember.upsert({ where: { teamId_userId: { teamId, userId } }, create: { teamId, userId }, update: {} });
}

export async function removeTeamMember(orgId: string, teamId: string, userId: string) {
  await ownTeam(orgId, teamId);
  await db.teamMember.deleteMany({ where: { teamId, userId } });
}

export function listOrgMembers(orgId: string) {
  return db.membership.findMany({
    where: { orgId },
    orderBy: { user: { name: "asc" } },
    select: { role: true, user: { select: { id: true, name: true, email: true } } },
  });
}
