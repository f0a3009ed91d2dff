// Agent availability per membership: the status the agent chose plus a heartbeat. Only members who
// are `available` with a fresh heartbeat and not already on a call ring for transfers.
import { db } from "../db";
import { publish } from "../realtime";
import { type AgentStatus, channels, HEARTBEAT_STALE_MS, PAGE_LEFT_GRACE_MS } from "./contract";

/** Sets the status and counts as a heartbeat (the call panel re-posts it every 20 s). */
export async function setAgentStatus(orgId: string, userId: string, status: AgentStatus): Promise<{ status: AgentStatus }> {
  const before = await db.membership.findUnique({ where: { orgId_userId: { orgId, userId } }, select: { agentStatus: true } });
  await db.membership.update({ where: { orgId_userId: { orgId, userId } }, data: { agentStatus: status, lastSeenAt: new Date() } });
  if (before?.agentStatus !== status) void publish(channels.org(orgId), "agent.status", { userId, status });
  return { status };
}

/**
 * Signing out makes the agent offline in every organisation at once, so no caller waits for a
 * transfer offered to someone who left (the heartbeat alone would take a minute to go stale).
 */
export async function signOutAgent(userId: string): Promise<void> {
  const present = await db.membership.findMany({ where: { userId, agentStatus: { not: "offline" } }, select: { orgId: true } });
  for (const { orgId } of present) await setAgentStatus(orgId, userId, "offline");
}

/**
 * A page of the agent's went away (the call panel's beacon as it unloads): the last heartbeat is
 * moved back so it goes stale in PAGE_LEFT_GRACE_MS, unless a page heartbeats meanwhile (a reload,
 * another window). The chosen status stays, so the agent comes back as they left.
 */
export async function pageLeft(orgId: string, userId: string): Promise<void> {
  const staleSoon = new Date(Date.now() - HEARTBEAT_STALE_MS + PAGE_LEFT_GRACE_MS);
  await db.membership.updateMany({ where: { orgId, userId, lastSeenAt: { gt: staleSoon } }, data: { lastSeenAt: staleSoon } });
}

/** The status others see: a stale heartbeat reads as offline. */
export function effectiveStatus(m: { agentStatus: AgentStatus; lastSeenAt: Date | null }, now = Date.now()): AgentStatus {
  if (m.agentStatus === "offline" || !m.lastSeenAt || now - m.lastSeenAt.getTime() > HEARTBEAT_STALE_MS) return "offline";
  return m.agentStatus;
}

export async function getAgentStatus(orgId: string, userId: string): Promise<{ status: AgentStatus }> {
  const m = await db.membership.findUnique({ where: { orgId_userId: { orgId, userId } }, select: { agentStatus: true, lastSeenAt: true } });
  return { status: m ? effectiveStatus(m) : "offline" };
}

/**
 * A call that keeps its agent busy: bridged to them or on hold, accepted and still connecting
 * (`transferring` with the agent set), or placed by them and not answered yet (initiating, ringing).
 */
export const BUSY_CALL_STATUSES = ["initiating", "ringing", "transferring", "answered", "on_hold"] as const;

/**
 * Members of the team who would ring now: available, heartbeat fresh, not on a call (see
 * BUSY_CALL_STATUSES). `evenOnACall`: also those on a call (present, and free once it ends).
 */
export async function availableAgents(orgId: string, teamId: string, opts: { evenOnACall?: boolean } = {}): Promise<string[]> {
  const members = await db.membership.findMany({
    where: {
      orgId,
      agentStatus: "available",
      lastSeenAt: { gte: new Date(Date.now() - HEARTBEAT_STALE_MS) },
      user: {
        teamMembers: { some: { teamId, team: { orgId } } },
        ...(opts.evenOnACall ? {} : { answeredCalls: { none: { orgId, endedAt: null, status: { in: [...BUSY_CALL_STATUSES] } } } }),
      },
    },
    select: { userId: true },
  });
  return members.map((m) => m.userId);
}

/** Every member of the org with the status others see (for the Teams page). */
export async function memberPresence(orgId: string): Promise<Map<string, AgentStatus>> {
  const members = await db.membership.findMany({ where: { orgId }, select: { userId: true, agentStatus: true, lastSeenAt: true } });
  const now = Date.now();
  return new Map(members.map((m) => [m.userId, effectiveStatus(m, now)]));
}
