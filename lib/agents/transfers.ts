// Transfers to a team: the gateway opens and closes them; agents claim or decline them. The claim
// is one conditional UPDATE in PostgreSQL, so exactly one agent wins however many accept at once.
import { openCallback } from "../callbacks/service";
import { db, type Prisma } from "../db";
import { logger } from "../log";
import { AppError, notFound } from "../errors";
import { publish, publishMany } from "../realtime";
import { availableAgents, getAgentStatus } from "./availability";
import { channels, events, type Offer, type Withdrawn } from "./contract";

const offerSelect = {
  id: true,
  callId: true,
  createdAt: true,
  variables: true,
  team: { select: { id: true, name: true } },
  call: {
    select: {
      callerPhone: true,
      contact: { select: { name: true } },
      steps: { orderBy: { seq: "asc" }, select: { nodeId: true, nodeType: true, label: true, handle: true, digits: true } },
    },
  },
} satisfies Prisma.CallTransferSelect;

type OfferRow = Prisma.CallTransferGetPayload<{ select: typeof offerSelect }>;

function toOffer(t: OfferRow): Offer {
  const { call_id: _callId, ...variables } = (t.variables ?? {}) as Record<string, unknown>;
  return {
    transferId: t.id,
    callId: t.callId,
    team: { id: t.team?.id ?? "", name: t.team?.name ?? "Deleted team" },
    caller: { phone: t.call.callerPhone, name: t.call.contact?.name ?? null },
    waitingSince: t.createdAt.toISOString(),
    path: t.call.steps,
    variables,
  };
}

async function teamMemberIds(teamId: string | null): Promise<string[]> {
  if (!teamId) return [];
  const members = await db.teamMember.findMany({ where: { teamId }, select: { userId: true } });
  return members.map((m) => m.userId);
}

/** Tells everyone who may see the offer (rung or polling) that it is gone. */
async function withdraw(t: { id: string; callId: string; teamId: string | null; offeredTo: string[] }, reason: Withdrawn["reason"], except?: string) {
  const users = new Set([...t.offeredTo, ...(await teamMemberIds(t.teamId))]);
  if (except) users.delete(except);
  const body: Withdrawn = { transferId: t.id, callId: t.callId, reason };
  await publishMany([...users].map(channels.user), events.transferWithdrawn, body);
}

export async function callChanged(orgId: string, callId: string, status: string) {
  await publish(channels.org(orgId), events.callChanged, { callId, status });
}

/** The agent's call is now carried by their page `window` (accepted or rejoined there): their other pages let it go. */
export async function callMoved(agentId: string, callId: string, window: string | undefined) {
  await publish(channels.user(agentId), events.callMoved, { callId, window: window ?? "" });
}

/** The gateway starts ringing a team. Returns who was rung (none: nobody is available). */
export async function openTransfer(opts: {
  orgId: string;
  callId: string;
  teamId: string;
  nodeId: string;
  variables: Record<string, unknown>;
}): Promise<{ transferId: string; offeredTo: string[] }> {
  const team = await db.team.findFirst({ where: { id: opts.teamId, orgId: opts.orgId }, select: { id: true } });
  const offeredTo = team ? await availableAgents(opts.orgId, team.id) : [];
  // The call's `teamIds` gains the team in the same transaction, so the call log's team filter and
  // the team's agents (lib/calls/access) see the call exactly when the transfer exists.
  const [transfer] = await db.$transaction([
    db.callTransfer.create({
      data: { callId: opts.callId, teamId: team?.id ?? null, nodeId: opts.nodeId, offeredTo, variables: opts.variables as Prisma.InputJsonValue },
      select: offerSelect,
    }),
    ...(team ? [db.call.updateMany({ where: { id: opts.callId, NOT: { teamIds: { has: team.id } } }, data: { teamIds: { push: team.id } } })] : []),
  ]);
  await db.call.updateMany({ where: { id: opts.callId, endedAt: null }, data: { status: "transferring" } });
  if (offeredTo.length) await publishMany(offeredTo.map(channels.user), events.transferOffered, toOffer(transfer));
  await callChanged(opts.orgId, opts.callId, "transferring");
  return { transferId: transfer.id, offeredTo };
}

/**
 * Ends a waiting transfer without an agent; false when it was no longer waiting (an agent claimed
 * it). `evenIfClaimed` also ends a claim whose agent never connected (the call is ending anyway).
 */
export async function closeTransfer(transferId: string, status: "timed_out" | "cancelled", endReason: string, evenIfClaimed = false): Promise<boolean> {
  const { count } = await db.callTransfer.updateMany({
    where: { id: transferId, status: evenIfClaimed ? { in: ["waiting", "accepted"] } : "waiting" },
    data: { status, endReason, endedAt: new Date() },
  });
  if (count === 0) return false;
  const t = await db.callTransfer.findUniqueOrThrow({
    where: { id: transferId },
    select: { id: true, callId: true, teamId: true, offeredTo: true, acceptedById: true },
  });
  // A claim whose agent never connected: that agent did not take the call after all (the log and the
  // callback task must not name them). The claim sets the call's agent only while it holds.
  if (t.acceptedById) await db.call.updateMany({ where: { id: t.callId, agentId: t.acceptedById }, data: { agentId: null } });
  await withdraw(t, status === "timed_out" ? "timed_out" : "cancelled");
  // The caller never reached anyone: the team gets a task to call them back.
  if (status === "timed_out" || endReason === "caller_hung_up") {
    await openCallback(t.callId, endReason).catch((err) => logger.error({ err, callId: t.callId }, "could not open a callback task"));
  }
  return true;
}

/** The claimed agent's leg could not be set up: the caller waits again and the team rings again. */
export async function reopenTransfer(transferId: string, failedAgentId: string): Promise<void> {
  // The agent never spoke on this call, whether or not it is still going.
  await db.call.updateMany({ where: { agentId: failedAgentId, transfers: { some: { id: transferId } } }, data: { agentId: null } });
  // A call that ended meanwhile is not reopened: the gateway closes its transfer as cancelled.
  const { count } = await db.callTransfer.updateMany({
    where: { id: transferId, status: "accepted", acceptedById: failedAgentId, call: { endedAt: null } },
    data: { status: "waiting", acceptedById: null, acceptedAt: null },
  });
  if (count === 0) return;
  const t = await db.callTransfer.findUniqueOrThrow({
    where: { id: transferId },
    select: { ...offerSelect, teamId: true, offeredTo: true, call: { select: { ...offerSelect.call.select, orgId: true } } },
  });
  const ring = t.teamId ? await availableAgents(t.call.orgId, t.teamId) : [];
  if (ring.length) {
    // Keep who was rung before: the call log lists everyone this caller waited for.
    await db.callTransfer.update({ where: { id: transferId }, data: { offeredTo: [...new Set([...t.offeredTo, ...ring])] } });
    await publishMany(ring.map(channels.user), events.transferOffered, toOffer(t));
  }
}

/**
 * Who could still take a waiting transfer: its team's available agents (fresh heartbeat; on a call
 * or not, as one who is will be free when it ends) who have not declined it. `declined` says that
 * some available agent did (so "nobody left" reads as "everyone declined" rather than "nobody
 * available"). Null once it no longer waits.
 */
export async function stillAnswerable(transferId: string): Promise<{ agents: number; declined: boolean } | null> {
  const t = await db.callTransfer.findUnique({
    where: { id: transferId },
    select: { status: true, teamId: true, declinedBy: true, call: { select: { orgId: true } } },
  });
  if (t?.status !== "waiting" || !t.teamId) return null;
  const available = await availableAgents(t.call.orgId, t.teamId, { evenOnACall: true });
  const left = available.filter((id) => !t.declinedBy.includes(id));
  return { agents: left.length, declined: left.length < available.length };
}

/**
 * What is ringing for this agent now: waiting transfers of their teams they have not declined, and
 * nothing unless they are available (away, offline or a stale heartbeat rings for nobody).
 */
export async function listOffers(orgId: string, userId: string): Promise<Offer[]> {
  if ((await getAgentStatus(orgId, userId)).status !== "available") return [];
  const rows = await db.callTransfer.findMany({
    where: {
      status: "waiting",
      call: { orgId, endedAt: null },
      team: { orgId, members: { some: { userId } } },
      NOT: { declinedBy: { has: userId } },
    },
    orderBy: { createdAt: "asc" },
    select: offerSelect,
  });
  return rows.map(toOffer);
}

/**
 * The transfer as it stands after an agent's leg failed: a 409 `taken` saying why when the call
 * ended meanwhile (the caller hung up as the agent accepted), null while the caller still waits.
 */
export async function endedWhileConnecting(transferId: string): Promise<AppError | null> {
  const t = await db.callTransfer.findUnique({
    where: { id: transferId },
    select: { status: true, endReason: true, call: { select: { endedAt: true, disconnectedBy: true } } },
  });
  if (!t || t.status === "waiting" || (t.status === "accepted" && !t.call?.endedAt)) return null;
  return transferGone(t);
}

/** First accept wins. Returns the call to connect; 409 `taken` for everyone after the winner. */
export async function claimTransfer(orgId: string, userId: string, transferId: string) {
  const now = new Date();
  const { count } = await db.callTransfer.updateMany({
    where: {
      id: transferId,
      status: "waiting",
      call: { orgId, endedAt: null },
      team: { orgId, members: { some: { userId } } },
    },
    data: { status: "accepted", acceptedById: userId, acceptedAt: now },
  });
  const t = await db.callTransfer.findFirst({
    where: { id: transferId, call: { orgId } },
    select: {
      id: true,
      callId: true,
      teamId: true,
      offeredTo: true,
      status: true,
      acceptedById: true,
      endReason: true,
      call: { select: { endedAt: true, disconnectedBy: true } },
      team: { select: { members: { where: { userId }, select: { id: true } } } },
    },
  });
  if (!t) throw notFound("Transfer");
  if (count === 0) {
    if (!t.team?.members.length) throw new AppError("forbidden", "You are not a member of the team this call is for");
    if (t.status === "accepted")
      throw new AppError("taken", t.acceptedById === userId ? "You already answered this call in another window" : "Another agent answered this call first");
    throw transferGone(t);
  }
  // Only while the claim holds: a caller who hung up meanwhile has closed the transfer, and the call
  // then names no agent (closeTransfer clears one set just before it).
  await db.call.updateMany({
    where: { id: t.callId, transfers: { some: { id: transferId, status: "accepted", acceptedById: userId } } },
    data: { agentId: userId },
  });
  await withdraw(t, "taken", userId);
  return { callId: t.callId };
}

/** Why a transfer can no longer be taken (409 `taken`), as the agent's panel says it. */
function transferGone(t: { endReason: string | null; call: { endedAt: Date | null; disconnectedBy: string | null } | null }): AppError {
  const callerLeft = t.endReason === "caller_hung_up" || t.call?.disconnectedBy === "client";
  if (callerLeft) return new AppError("taken", "The caller hung up");
  return new AppError("taken", t.call?.endedAt ? "The call has ended" : "This call is no longer waiting for an agent");
}

/** Silences the offer for this agent only. */
export async function declineTransfer(orgId: string, userId: string, transferId: string): Promise<void> {
  const t = await db.callTransfer.findFirst({
    where: { id: transferId, call: { orgId }, team: { members: { some: { userId } } } },
    select: { declinedBy: true, status: true },
  });
  if (!t) throw notFound("Transfer");
  if (t.status !== "waiting" || t.declinedBy.includes(userId)) return;
  await db.$executeRaw`UPDATE call_transfers SET declined_by = array_append(declined_by, ${userId}) WHERE id = ${transferId} AND NOT (${userId} = ANY(declined_by))`;
}
