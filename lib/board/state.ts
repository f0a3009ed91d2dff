// The live board's state, read fresh on each load and after each realtime event: every active
// call of the organisation with its phase, every agent with availability and current call, and
// per team the queue (waiting callers, longest wait) and available agents.
import { BUSY_CALL_STATUSES, effectiveStatus } from "../agents/availability";
import type { AgentStatus } from "../agents/contract";
import type { OrgContext } from "../auth/session";
import { db } from "../db";
import { AppError } from "../errors";
import { redis } from "../gateway/redis";
import { currentNodes } from "./phase";

export type BoardPhase =
  /** Not answered yet; an outgoing call names the agent placing it. */
  | { kind: "connecting"; agent: string | null }
  | { kind: "ivr"; nodeId: string | null; label: string | null }
  | { kind: "waiting"; teamId: string | null; team: string; since: string; position: number }
  | { kind: "agent"; agentId: string; agent: string }
  | { kind: "on_hold"; agentId: string | null; agent: string | null };

export interface BoardCall {
  id: string;
  direction: "incoming" | "outgoing";
  caller: { phone: string; name: string | null };
  /** The business number the call is on. */
  number: { name: string; phone: string };
  startedAt: string;
  phase: BoardPhase;
}

export interface BoardAgent {
  id: string;
  name: string;
  status: AgentStatus;
  callId: string | null;
  /** When the agent took that call (accepted the transfer; an outgoing call: the contact answered). */
  callSince: string | null;
  teams: string[];
}

export interface BoardTeam {
  id: string;
  name: string;
  waiting: number;
  /** ISO time the longest-waiting caller started waiting. */
  longestSince: string | null;
  available: number;
}

export interface BoardState {
  now: string;
  calls: BoardCall[];
  agents: BoardAgent[];
  teams: BoardTeam[];
}

/** Admins, and agents marked supervisor on at least one team, may watch the board. */
export async function requireBoardViewer(ctx: Pick<OrgContext, "orgId" | "userId" | "role">): Promise<void> {
  if (ctx.role === "admin") return;
  const sup = await db.teamMember.findFirst({ where: { userId: ctx.userId, supervisor: true, team: { orgId: ctx.orgId } }, select: { id: true } });
  if (!sup) throw new AppError("forbidden", "Only admins and team supervisors can see the live board");
}

export async function isBoardViewer(ctx: Pick<OrgContext, "orgId" | "userId" | "role">): Promise<boolean> {
  return requireBoardViewer(ctx).then(
    () => true,
    () => false,
  );
}

export async function boardState(orgId: string, now = new Date()): Promise<BoardState> {
  const [calls, members, teams] = await Promise.all([
    db.call.findMany({
      where: { orgId, endedAt: null },
      orderBy: { startedAt: "asc" },
      take: 500,
      select: {
        id: true,
        direction: true,
        status: true,
        callerPhone: true,
        startedAt: true,
        answeredAt: true,
        agentId: true,
        contact: { select: { name: true } },
        account: { select: { name: true, displayPhone: true } },
        agent: { select: { name: true } },
        transfers: {
          where: { status: "waiting" },
          orderBy: { createdAt: "desc" },
          take: 1,
          select: { teamId: true, createdAt: true, team: { select: { name: true } } },
        },
        steps: { orderBy: { seq: "desc" }, take: 1, select: { nodeId: true, label: true } },
      },
    }),
    db.membership.findMany({
      where: { orgId },
      orderBy: { user: { name: "asc" } },
      select: {
        userId: true,
        agentStatus: true,
        lastSeenAt: true,
        user: { select: { name: true, teamMembers: { where: { team: { orgId } }, select: { teamId: true } } } },
      },
    }),
    db.team.findMany({ where: { orgId }, orderBy: { name: "asc" }, select: { id: true, name: true, members: { select: { userId: true } } } }),
  ]);
  const [nodes, accepted] = await Promise.all([
    currentNodes(
      redis(),
      calls.map((c) => c.id),
    ),
    db.callTransfer.findMany({
      where: { callId: { in: calls.filter((c) => c.agentId).map((c) => c.id) }, status: "accepted" },
      select: { callId: true, acceptedById: true, acceptedAt: true },
    }),
  ]);
  // Queue position: order of waiting within each team.
  const waitingByTeam = new Map<string, { callId: string; since: Date }[]>();
  for (const c of calls) {
    const t = c.transfers[0];
    if (!t || c.agentId) continue;
    const list = waitingByTeam.get(t.teamId ?? "") ?? waitingByTeam.set(t.teamId ?? "", []).get(t.teamId ?? "")!;
    list.push({ callId: c.id, since: t.createdAt });
  }
  for (const list of waitingByTeam.values()) list.sort((a, b) => a.since.getTime() - b.since.getTime());

  const boardCalls: BoardCall[] = calls.map((c) => {
    const t = c.transfers[0];
    let phase: BoardPhase;
    if (c.status === "on_hold") phase = { kind: "on_hold", agentId: c.agentId, agent: c.agent?.name ?? null };
    else if (c.agentId && c.status === "answered") phase = { kind: "agent", agentId: c.agentId, agent: c.agent?.name ?? "Agent" };
    else if (t) {
      const list = waitingByTeam.get(t.teamId ?? "") ?? [];
      phase = {
        kind: "waiting",
        teamId: t.teamId,
        team: t.team?.name ?? "Deleted team",
        since: t.createdAt.toISOString(),
        position: list.findIndex((w) => w.callId === c.id) + 1,
      };
    } else if (c.status === "ringing" || c.status === "initiating")
      phase = { kind: "connecting", agent: c.direction === "outgoing" ? (c.agent?.name ?? null) : null };
    else {
      const n = nodes.get(c.id);
      const last = c.steps[0];
      phase = { kind: "ivr", nodeId: n?.nodeId ?? last?.nodeId ?? null, label: n?.label ?? last?.label ?? null };
    }
    return {
      id: c.id,
      direction: c.direction,
      caller: { phone: c.callerPhone, name: c.contact?.name ?? null },
      number: { name: c.account.name, phone: c.account.displayPhone },
      startedAt: c.startedAt.toISOString(),
      phase,
    };
  });

  // The agent's time on the call, as their call panel counts it: from the accept (or the contact's
  // answer on an outgoing call), not from the call's start, which includes the IVR and the queue.
  const acceptedAt = new Map<string, Date>();
  for (const t of accepted) {
    const key = `${t.callId}:${t.acceptedById}`;
    const prev = acceptedAt.get(key);
    if (t.acceptedAt && (!prev || t.acceptedAt > prev)) acceptedAt.set(key, t.acceptedAt);
  }
  // Busy as transfers see it (lib/agents/availability): an outgoing call still ringing counts too.
  const busy = new Set<string>(BUSY_CALL_STATUSES);
  const onCall = new Map<string, { callId: string; since: Date }>();
  for (const c of calls) {
    if (!c.agentId || !busy.has(c.status)) continue;
    onCall.set(c.agentId, { callId: c.id, since: acceptedAt.get(`${c.id}:${c.agentId}`) ?? c.answeredAt ?? c.startedAt });
  }
  const agents: BoardAgent[] = members
    .filter((m) => m.user.teamMembers.length > 0)
    .map((m) => ({
      id: m.userId,
      name: m.user.name,
      status: effectiveStatus(m, now.getTime()),
      callId: onCall.get(m.userId)?.callId ?? null,
      callSince: onCall.get(m.userId)?.since.toISOString() ?? null,
      teams: teams.filter((t) => m.user.teamMembers.some((x) => x.teamId === t.id)).map((t) => t.name),
    }));
  const agentById = new Map(agents.map((a) => [a.id, a]));
  const boardTeams: BoardTeam[] = teams.map((t) => {
    const waiting = waitingByTeam.get(t.id) ?? [];
    return {
      id: t.id,
      name: t.name,
      waiting: waiting.length,
      longestSince: waiting[0]?.since.toISOString() ?? null,
      available: t.members.filter((m) => {
        const a = agentById.get(m.userId);
        return a?.status === "available" && !a.callId;
      }).length,
    };
  });
  return { now: now.toISOString(), calls: boardCalls, agents, teams: boardTeams };
}
