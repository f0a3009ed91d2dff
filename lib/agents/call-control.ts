// The agent's side of a call, as the route handlers drive it: accept (claim + SDP to the owning
// gateway over Redis request/reply), hold, resume, hang up and wrap-up notes.
import type { OrgContext } from "../auth/session";
import { db, type Prisma } from "../db";
import { AppError, notFound } from "../errors";
import { callOwner, GatewayTimeoutError, request } from "../gateway/dispatch";
import { type GatewayCommand, rejoinReplySchema } from "../gateway/messages";
import { createRedis, redis } from "../gateway/redis";
import { logger } from "../log";
import type { AgentCallState, LiveCall } from "./contract";
import { endOrphanCall } from "./end-orphan-call";
import { callMoved, claimTransfer, endedWhileConnecting, reopenTransfer } from "./transfers";

/** How long a route waits for the gateway (agent SDP answer, hold, resume, hangup). */
const GATEWAY_REPLY_MS = 10_000;

async function askGateway(callId: string, command: GatewayCommand): Promise<unknown> {
  const owner = await callOwner(redis(), callId);
  if (!owner) throw new AppError("conflict", "No media gateway holds this call any more; it has ended");
  const blocking = createRedis();
  try {
    return await request(redis(), blocking, owner, command, GATEWAY_REPLY_MS);
  } catch (err) {
    if (err instanceof GatewayTimeoutError) throw new AppError("gateway_timeout", "The media gateway did not answer in time");
    throw new AppError("upstream_failed", `The media gateway could not do that: ${(err as Error).message}`);
  } finally {
    blocking.disconnect();
  }
}

/** Claims the transfer and hands the agent's offer to the gateway; on failure the caller waits again. */
export async function acceptTransfer(ctx: OrgContext, transferId: string, sdp: string, window?: string): Promise<{ callId: string; sdp: string }> {
  const { callId } = await claimTransfer(ctx.orgId, ctx.userId, transferId);
  // The agent's other windows ring this offer too: it is answered here now.
  void callMoved(ctx.userId, callId, window);
  const call = await db.call.findUniqueOrThrow({ where: { id: callId }, select: { waCallId: true } });
  try {
    const result = (await askGateway(callId, { type: "agent.connect", callId, waCallId: call.waCallId, transferId, agentId: ctx.userId, sdp })) as {
      sdp?: string;
    };
    if (!result?.sdp) throw new AppError("upstream_failed", "The media gateway sent no SDP answer");
    return { callId, sdp: result.sdp };
  } catch (err) {
    logger.warn({ err, callId, transferId }, "agent leg could not be set up; the transfer waits again");
    await reopenTransfer(transferId, ctx.userId).catch((e) => logger.error({ err: e, transferId }, "reopening the transfer failed"));
    // The caller hung up while the leg was being set up: that is why it failed, not the gateway.
    throw (await endedWhileConnecting(transferId).catch(() => null)) ?? err;
  }
}

/** The call, if this member may control it: the agent on it, or an admin. */
async function controllableCall(ctx: OrgContext, callId: string) {
  const call = await db.call.findFirst({ where: { id: callId, orgId: ctx.orgId }, select: { id: true, waCallId: true, agentId: true, endedAt: true } });
  if (!call) throw notFound("Call");
  if (ctx.role !== "admin" && call.agentId !== ctx.userId) throw new AppError("forbidden", "Only the agent on this call can do that");
  return call;
}

export async function controlCall(ctx: OrgContext, callId: string, action: "hold" | "resume" | "hangup"): Promise<{ status: AgentCallState }> {
  const call = await controllableCall(ctx, callId);
  if (call.endedAt) {
    if (action === "hangup") return { status: "ended" };
    throw new AppError("conflict", "The call has already ended");
  }
  const ref = { callId, waCallId: call.waCallId };
  const byAgent = ctx.userId === call.agentId;
  // An admin ending someone else's call (from the live board): logged as the system, naming the admin.
  const reason = action === "hangup" && !byAgent ? await adminReason(ctx.userId) : undefined;
  const command: GatewayCommand =
    action === "hangup"
      ? { type: "call.hangup", ...ref, by: byAgent ? "agent" : "system", reason }
      : { type: action === "hold" ? "call.hold" : "call.resume", ...ref };
  if (action === "hangup" && reason && !(await callOwner(redis(), callId))) {
    // No gateway holds it any more (a stuck call): end it at WhatsApp and close the log here.
    await endOrphanCall(ctx.orgId, callId, reason);
    return { status: "ended" };
  }
  const result = (await askGateway(callId, command)) as { status?: AgentCallState };
  return { status: result?.status ?? (action === "hangup" ? "ended" : action === "hold" ? "on_hold" : "in_call") };
}

async function adminReason(userId: string): Promise<string> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { name: true } });
  return `Ended by ${user?.name ?? "an admin"} (admin)`;
}

/** Wrap-up notes; the agent on the call (during or after it) or an admin. */
export async function saveNotes(ctx: OrgContext, callId: string, notes: string): Promise<{ ok: true }> {
  await controllableCall(ctx, callId);
  await db.call.update({ where: { id: callId }, data: { notes: notes.trim() || null } });
  return { ok: true };
}

/** Calls an agent is on: bridged to them, or placed by them and still ringing. */
const agentOnCall = (userId: string) =>
  ({
    agentId: userId,
    endedAt: null,
    OR: [{ status: { in: ["answered", "on_hold"] } }, { direction: "outgoing", status: { in: ["initiating", "ringing"] } }],
  }) satisfies Prisma.CallWhereInput;

/**
 * The call this agent is on now (bridged to them, not ended), or null: what a new page rejoins. A call
 * they accepted whose first page has not connected yet counts too (`in_call`): another window is then
 * told it is in use there, and may take it over.
 */
export async function liveCall(ctx: OrgContext): Promise<{ call: LiveCall | null }> {
  const onCall = agentOnCall(ctx.userId);
  const call = await db.call.findFirst({
    where: { orgId: ctx.orgId, ...onCall, OR: [...onCall.OR, { direction: "incoming", status: "transferring" }] },
    orderBy: { startedAt: "desc" },
    select: {
      id: true,
      direction: true,
      status: true,
      callerPhone: true,
      contact: { select: { name: true } },
      transfers: { where: { acceptedById: ctx.userId }, orderBy: { acceptedAt: "desc" }, take: 1, select: { team: { select: { id: true, name: true } } } },
    },
  });
  // An incoming call names an agent from their accept on (transferring, then answered once bridged).
  if (!call) return { call: null };
  const status = call.status === "on_hold" ? "on_hold" : call.status === "answered" || call.status === "transferring" ? "in_call" : "dialing";
  return {
    call: {
      callId: call.id,
      direction: call.direction,
      status,
      caller: { phone: call.callerPhone, name: call.contact?.name ?? null },
      team: call.transfers[0]?.team ?? null,
    },
  };
}

/**
 * The agent on a bridged call connects again from a new page: the owning gateway answers the new
 * offer and moves the bridge onto it. Without `force`, a call still connected in another window
 * stays there (409 in_use).
 */
export async function rejoinCall(ctx: OrgContext, callId: string, input: { sdp: string; force?: boolean; window?: string }) {
  const call = await db.call.findFirst({
    where: { id: callId, orgId: ctx.orgId },
    select: { waCallId: true, agentId: true, endedAt: true, status: true, direction: true },
  });
  if (!call) throw notFound("Call");
  if (call.agentId !== ctx.userId) throw new AppError("forbidden", "Only the agent on this call can rejoin it");
  if (call.endedAt) throw new AppError("conflict", "The call has already ended");
  const dialing = call.direction === "outgoing" && (call.status === "initiating" || call.status === "ringing");
  // Accepted by this agent and still connecting in their first window: the gateway says the call is in
  // use there, or a take-over waits for that connection.
  const connecting = call.status === "transferring";
  if (call.status !== "answered" && call.status !== "on_hold" && !dialing && !connecting)
    throw new AppError("conflict", "The call is not connected to you yet");
  const reply = rejoinReplySchema.safeParse(
    await askGateway(callId, {
      type: "agent.rejoin",
      callId,
      waCallId: call.waCallId,
      agentId: ctx.userId,
      sdp: input.sdp,
      force: input.force ?? false,
      window: input.window,
    }),
  );
  if (!reply.success) throw new AppError("upstream_failed", "The media gateway sent no SDP answer");
  if ("inUse" in reply.data) throw new AppError("in_use", "This call is connected in another window; move it here to take it over");
  const { sdp: answer, status, bridgedAt } = reply.data;
  return { callId, sdp: answer, status, bridgedAt: bridgedAt === null ? null : new Date(bridgedAt).toISOString() };
}

/**
 * Signing out ends the agent's calls as their own hang-up, in every organisation: the page that
 * carried the audio is going, and the caller should not wait 10 s in silence for the system to notice.
 */
export async function hangUpOnSignOut(userId: string): Promise<void> {
  const calls = await db.call.findMany({ where: agentOnCall(userId), select: { id: true, waCallId: true } });
  await Promise.all(
    calls.map((c) =>
      askGateway(c.id, { type: "call.hangup", callId: c.id, waCallId: c.waCallId, by: "agent" }).catch((err) =>
        logger.warn({ err, callId: c.id }, "could not end the call of an agent who signed out; it ends once their audio stops"),
      ),
    ),
  );
}
