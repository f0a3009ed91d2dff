// Placing a business-initiated call, as POST /api/calls drives it: check the contact's permission
// with Meta, log the call, hand the agent's offer to a gateway (admission as for incoming calls)
// and wait for its answer, or for Meta's refusal of `connect` as a clear error.
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { OrgContext } from "../auth/session";
import { accountInOrg, contactInOrg, lookupPermission } from "../contacts/permission";
import { db } from "../db";
import { AppError } from "../errors";
import { assignCall, awaitReply, GatewayTimeoutError, newReplyKey } from "../gateway/dispatch";
import { outgoingReplySchema } from "../gateway/messages";
import { agentOfferSdp } from "../agents/contract";
import { createRedis, redis } from "../gateway/redis";
import { callChanged } from "../agents/transfers";
import { describeRefusal } from "../whatsapp/meta-refusal";

/** Answering the agent, gathering our WhatsApp offer and Meta's `connect` reply, with room to spare. */
const GATEWAY_REPLY_MS = 25_000;

export const placeCallInput = z.strictObject({
  contactId: z.string().min(1).max(64),
  accountId: z.string().min(1).max(64),
  sdp: agentOfferSdp,
  /** Set when the call returns a missed call from the Callbacks list. */
  callbackTaskId: z.string().min(1).max(64).optional(),
});
export type PlaceCallInput = z.infer<typeof placeCallInput>;

export async function placeCall(ctx: OrgContext, input: PlaceCallInput): Promise<{ callId: string; sdp: string }> {
  const contact = await contactInOrg(ctx.orgId, input.contactId);
  const account = await accountInOrg(ctx.orgId, input.accountId);
  const org = await db.organization.findUniqueOrThrow({ where: { id: ctx.orgId }, select: { callingEnabled: true } });
  if (!org.callingEnabled) throw new AppError("conflict", "Calling is disabled for this organisation");
  // One call at a time: an agent still on a call (say, after reloading the page) would leave its caller talking to nobody.
  const onCall = await db.call.findFirst({
    where: { orgId: ctx.orgId, agentId: ctx.userId, endedAt: null, status: { in: ["initiating", "ringing", "answered", "on_hold"] } },
    select: { callerPhone: true, contact: { select: { name: true } } },
  });
  if (onCall) throw new AppError("conflict", `You are still on a call with ${onCall.contact?.name ?? `+${onCall.callerPhone}`}; end it before placing another`);
  if (input.callbackTaskId) {
    const task = await db.callbackTask.findFirst({ where: { id: input.callbackTaskId, orgId: ctx.orgId, contactId: contact.id }, select: { id: true } });
    if (!task) throw new AppError("not_found", "Callback task was not found");
  }
  const permission = await lookupPermission(ctx.orgId, contact.id, account.id);
  if (permission.state !== "granted") {
    const why =
      permission.state === "requested"
        ? "has not answered the permission request yet"
        : permission.state === "denied"
          ? "declined to be called"
          : "has not given permission to be called";
    throw new AppError("permission_required", `${contact.name ?? `+${contact.waId}`} ${why}. Ask for permission first.`, { permission: permission.state });
  }

  const placeholder = `pending.${randomUUID()}`;
  const call = await db.call.create({
    data: {
      orgId: ctx.orgId,
      accountId: account.id,
      waCallId: placeholder,
      direction: "outgoing",
      status: "initiating",
      contactId: contact.id,
      callerPhone: contact.waId,
      agentId: ctx.userId,
      callbackTaskId: input.callbackTaskId,
    },
    select: { id: true },
  });
  void callChanged(ctx.orgId, call.id, "initiating");
  // Up the contacts list: the contact's latest call.
  await db.contact.update({ where: { id: contact.id }, data: { lastActivityAt: new Date() } });
  const fail = (error: string) =>
    db.call.updateMany({
      where: { id: call.id, endedAt: null },
      data: { status: "failed", endedAt: new Date(), durationSecs: 0, disconnectedBy: "system", error },
    });

  const replyKey = newReplyKey();
  const assigned = await assignCall(
    redis(),
    {
      type: "call.outgoing",
      callId: call.id,
      waCallId: placeholder,
      orgId: ctx.orgId,
      accountId: account.id,
      agentId: ctx.userId,
      to: contact.waId,
      sdp: input.sdp,
      receivedAt: Date.now(),
    },
    replyKey,
  );
  if (!assigned.ok) {
    await fail(assigned.reason);
    throw new AppError("conflict", assigned.reason);
  }
  const blocking = createRedis();
  let raw: unknown;
  try {
    raw = await awaitReply(blocking, replyKey, assigned.gatewayId, GATEWAY_REPLY_MS);
  } catch (err) {
    if (err instanceof GatewayTimeoutError) {
      await fail("The media gateway did not answer in time");
      throw new AppError("gateway_timeout", "The media gateway did not answer in time");
    }
    await fail(`The media gateway could not place the call: ${(err as Error).message}`);
    throw new AppError("upstream_failed", `The media gateway could not place the call: ${(err as Error).message}`);
  } finally {
    blocking.disconnect();
  }
  const reply = outgoingReplySchema.parse(raw);
  if ("refused" in reply) {
    const r = describeRefusal(reply.refused.code, reply.refused.message);
    throw new AppError("whatsapp_refused", r.sentence, { callId: call.id, metaCode: r.code, metaMessage: r.metaMessage });
  }
  return { callId: call.id, sdp: reply.sdp };
}
