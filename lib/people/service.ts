// The organisation's people: who may sign in to it, as an agent (takes calls, sees their teams'
// calls) or an admin (everything). Adding someone creates their account with a first password, or
// lets an account that already exists (another organisation's member) join this one; removing
// someone takes them out of this organisation and its teams, and keeps their calls in the log.
import { setPassword } from "../account/service";
import { effectiveStatus, setAgentStatus } from "../agents/availability";
import type { AgentStatus } from "../agents/contract";
import { hashPassword } from "../crypto/password";
import { db, type Role } from "../db";
import { AppError, notFound } from "../errors";
import type { PersonInput, PersonUpdate } from "./schema";

export interface Person {
  id: string;
  name: string;
  email: string;
  role: Role;
  status: AgentStatus;
  teams: string[];
  /** Also a member of another organisation: only they change their name and password. */
  shared: boolean;
}

export async function listPeople(orgId: string): Promise<Person[]> {
  const members = await db.membership.findMany({
    where: { orgId },
    orderBy: { user: { name: "asc" } },
    select: {
      role: true,
      agentStatus: true,
      lastSeenAt: true,
      user: {
        select: {
          id: true,
          name: true,
          email: true,
          teamMembers: { where: { team: { orgId } }, select: { team: { select: { name: true } } } },
          _count: { select: { memberships: true } },
        },
      },
    },
  });
  const now = Date.now();
  return members.map((m) => ({
    id: m.user.id,
    name: m.user.name,
    email: m.user.email,
    role: m.role,
    status: effectiveStatus(m, now),
    teams: m.user.teamMembers.map((t) => t.team.name).sort((a, b) => a.localeCompare(b)),
    shared: m.user._count.memberships > 1,
  }));
}

/** `existing`: the email already had an account, which keeps its own name and password. */
export async function addPerson(orgId: string, input: PersonInput): Promise<{ id: string; name: string; email: string; role: Role; existing: boolean }> {
  const found = await db.user.findUnique({ where: { email: input.email }, select: { id: true, name: true, email: true } });
  if (found) {
    const member = await db.membership.findUnique({ where: { orgId_userId: { orgId, userId: found.id } }, select: { id: true } });
    if (member) throw new AppError("conflict", `${found.name} (${found.email}) is already in this organisation`);
    await db.membership.create({ data: { orgId, userId: found.id, role: input.role } });
    return { ...found, role: input.role, existing: true };
  }
  const passwordHash = await hashPassword(input.password);
  try {
    const user = await db.user.create({
      data: { email: input.email, name: input.name, passwordHash, memberships: { create: { orgId, role: input.role } } },
      select: { id: true, name: true, email: true },
    });
    return { ...user, role: input.role, existing: false };
  } catch (err) {
    // Two admins adding the same address at once.
    if ((err as { code?: string }).code === "P2002") throw new AppError("conflict", `An account for ${input.email} was just created; add it again to join it`);
    throw err;
  }
}

async function membershipOf(orgId: string, userId: string) {
  const m = await db.membership.findUnique({ where: { orgId_userId: { orgId, userId } }, select: { role: true, user: { select: { name: true } } } });
  if (!m) throw notFound("Person");
  return m;
}

/** Refuses a change that would leave the organisation without an admin to manage it. */
async function keepAnAdmin(orgId: string, userId: string, what: string) {
  const others = await db.membership.count({ where: { orgId, role: "admin", userId: { not: userId } } });
  if (others === 0) throw new AppError("conflict", `${what}: the organisation needs at least one admin. Make someone else an admin first.`);
}

/** Refuses to change the account of someone who also belongs to another organisation. */
async function ownedHere(orgId: string, userId: string, name: string, what: string) {
  const elsewhere = await db.membership.count({ where: { userId, orgId: { not: orgId } } });
  if (elsewhere > 0)
    throw new AppError("conflict", `${name} also belongs to another organisation, so only they can change their ${what} (under Name and password)`);
}

/**
 * Sets someone's role here and/or renames them (a typo when they were added). A name belongs to the
 * account, which every organisation it belongs to shows, so only an account of this organisation
 * alone is renamed by an admin; anyone renames themselves.
 */
export async function updatePerson(orgId: string, userId: string, actorId: string, input: PersonUpdate): Promise<{ id: string; role: Role; name: string }> {
  const m = await membershipOf(orgId, userId);
  const role = input.role ?? m.role;
  if (m.role === "admin" && role !== "admin") await keepAnAdmin(orgId, userId, `${m.user.name} stays an admin`);
  const rename = input.name !== undefined && input.name !== m.user.name;
  if (rename && userId !== actorId) await ownedHere(orgId, userId, m.user.name, "name");
  await db.$transaction([
    db.membership.update({ where: { orgId_userId: { orgId, userId } }, data: { role } }),
    ...(rename ? [db.user.update({ where: { id: userId }, data: { name: input.name } })] : []),
  ]);
  return { id: userId, role, name: input.name ?? m.user.name };
}

/** Takes someone out of this organisation and its teams; their account and their calls stay. */
export async function removePerson(orgId: string, userId: string, actorId: string): Promise<{ removed: true }> {
  const m = await membershipOf(orgId, userId);
  if (userId === actorId) throw new AppError("conflict", "You cannot remove yourself; another admin can");
  if (m.role === "admin") await keepAnAdmin(orgId, userId, `${m.user.name} stays`);
  // Offline first, so the boards and teams pages that show them hear it, and nobody rings them.
  await setAgentStatus(orgId, userId, "offline");
  await db.$transaction([
    db.teamMember.deleteMany({ where: { userId, team: { orgId } } }),
    db.membership.delete({ where: { orgId_userId: { orgId, userId } } }),
  ]);
  return { removed: true };
}

/**
 * For someone who lost their password: sets a new one for an admin to hand over, and signs them out
 * everywhere. Only for an account that belongs to this organisation alone: an account shared with
 * another organisation is not this one's to take over (its owner changes it under Name and password).
 */
export async function resetPersonPassword(orgId: string, userId: string, actorId: string, password: string): Promise<{ id: string; signedOut: true }> {
  const m = await membershipOf(orgId, userId);
  if (userId === actorId) throw new AppError("conflict", "Change your own password under Name and password (it asks for your current one)");
  await ownedHere(orgId, userId, m.user.name, "password");
  if (!(await setPassword(userId, password))) throw notFound("Person");
  // Signed out everywhere, so nobody rings them until they sign in again (boards hear it).
  await setAgentStatus(orgId, userId, "offline");
  return { id: userId, signedOut: true };
}
