// Terminate, status updates for outgoing calls, and call-permission replies.
import { channels, events } from "../../agents/contract";
import { notifyOwner } from "../../gateway/dispatch";
import { redis } from "../../gateway/redis";
import { db, Prisma } from "../../db";
import { sqlExec, sqlRows } from "../../db/sql";
import { logger } from "../../log";
import { publish } from "../../realtime";
import type { CallItem, MessageItem } from "../webhook-schema";

const log = logger.child({ component: "call-events" });

type Terminating = Pick<Prisma.CallModel, "id" | "endedAt">;

export async function handleTerminate(accountId: string, item: CallItem) {
  const call =
    (await callToTerminate(accountId, item.id)) ??
    // An outgoing call whose WhatsApp id is not stored yet: by the call id we sent as callback data.
    (item.biz_opaque_callback_data
      ? await db.call.findFirst({
          where: { id: item.biz_opaque_callback_data, accountId, direction: "outgoing" },
          select: { id: true, endedAt: true },
        })
      : null);
  if (!call) {
    log.info({ waCallId: item.id }, "terminate before connect remembered");
    return;
  }
  if (!call.endedAt) {
    const endedAt = item.end_time ? new Date(item.end_time * 1000) : new Date();
    const metaDuration = item.duration ?? (item.start_time && item.end_time ? item.end_time - item.start_time : undefined);
    const failed = item.status === "FAILED";
    const firstError = item.errors?.[0];
    const error = failed ? (firstError ? `(#${firstError.code ?? "?"}) ${firstError.message ?? "Call failed"}` : "WhatsApp reported the call as failed") : null;
    // Answered or not is read from the row as it is now: the gateway's answered write may land between
    // the read above and this update (and if it comes after, it turns the missed call into completed).
    await sqlExec(Prisma.sql`UPDATE calls SET
        status = CASE WHEN ${failed} THEN 'failed'::"CallStatus" WHEN answered_at IS NOT NULL THEN 'completed'::"CallStatus" ELSE 'missed'::"CallStatus" END,
        ended_at = ${endedAt},
        duration_secs = COALESCE(${metaDuration === undefined ? null : Math.max(0, Math.round(metaDuration))}::int,
          CASE WHEN answered_at IS NULL THEN 0 ELSE greatest(0, round(extract(epoch FROM ${endedAt}::timestamp - answered_at)))::int END),
        disconnected_by = COALESCE(disconnected_by, 'client'),
        error = COALESCE(${error}::text, error)
      WHERE id = ${call.id} AND ended_at IS NULL`);
  }
  await notifyOwner(redis(), call.id, { type: "call.terminated", callId: call.id, waCallId: item.id, reason: item.status ?? "COMPLETED" });
}

/**
 * The call a terminate ends, on the pool directly (db/sql.ts): every call gets one, and at overload most
 * find their call closed already. The timestamps are UTC without a zone: read as such.
 */
async function callToTerminate(accountId: string, waCallId: string): Promise<Terminating | null> {
  const [call] = await sqlRows<Terminating>(Prisma.sql`
    SELECT id, ended_at AT TIME ZONE 'UTC' AS "endedAt"
    FROM calls WHERE account_id = ${accountId} AND wa_call_id = ${waCallId}`);
  return call ?? null;
}

/**
 * Our call for WhatsApp's call id; for an outgoing call whose id is not stored yet (a webhook that
 * overtook `connect`'s reply), by the call id we sent as biz_opaque_callback_data.
 */
async function findCall(accountId: string, waCallId: string, opaque?: string) {
  const call = await db.call.findUnique({ where: { accountId_waCallId: { accountId, waCallId } }, select: { id: true } });
  if (call || !opaque) return call;
  return db.call.findFirst({ where: { id: opaque, accountId, direction: "outgoing" }, select: { id: true } });
}

export async function handleStatus(
  accountId: string,
  waCallId: string,
  update: { type: "status"; status: string } | { type: "answer"; sdp?: string },
  opaque?: string,
) {
  const call = await findCall(accountId, waCallId, opaque);
  if (!call) {
    log.warn({ waCallId }, "status for an unknown call ignored");
    return;
  }
  const ref = { callId: call.id, waCallId };
  let delivered = false;
  if (update.type === "answer" && update.sdp) {
    delivered = await notifyOwner(redis(), call.id, { type: "call.answer_sdp", ...ref, sdp: update.sdp });
  } else if (update.type === "status" && ["RINGING", "ACCEPTED", "REJECTED"].includes(update.status)) {
    // Logged here as well as by the gateway: Meta's terminate webhook may overtake the gateway's
    // write, and must then find the call already closed as rejected rather than close it as missed.
    if (update.status === "REJECTED") {
      await db.call.updateMany({
        where: { id: call.id, direction: "outgoing", endedAt: null, answeredAt: null },
        data: { status: "rejected", endedAt: new Date(), durationSecs: 0, disconnectedBy: "client", error: "The contact declined the call" },
      });
    }
    delivered = await notifyOwner(redis(), call.id, { type: "call.status", ...ref, status: update.status as "RINGING" });
  }
  if (!delivered) log.warn({ waCallId, update: update.type }, "no gateway owns the call; update dropped");
}

export async function handlePermissionReply(accountId: string, item: MessageItem) {
  const reply = item.interactive?.call_permission_reply;
  if (!reply) return;
  const account = await db.whatsAppAccount.findUniqueOrThrow({ where: { id: accountId }, select: { orgId: true } });
  const data = {
    callPermission: reply.response === "accept" ? ("granted" as const) : ("denied" as const),
    permissionExpiresAt: reply.is_permanent || !reply.expiration_timestamp ? null : new Date(reply.expiration_timestamp * 1000),
  };
  const contact = await db.contact.upsert({
    where: { orgId_waId: { orgId: account.orgId, waId: item.from } },
    create: { orgId: account.orgId, waId: item.from, ...data },
    update: data,
    select: { id: true },
  });
  // The conversation view shows the reply as its own card.
  await db.contactActivity.create({
    data: {
      orgId: account.orgId,
      contactId: contact.id,
      kind: data.callPermission === "granted" ? "permission_granted" : "permission_denied",
      detail: data.callPermission !== "granted" ? null : data.permissionExpiresAt ? `until ${data.permissionExpiresAt.toISOString()}` : "permanent",
    },
  });
  // An agent looking at the contact sees the reply (and the Call button it allows) without reloading.
  void publish(channels.org(account.orgId), events.contactChanged, { contactId: contact.id });
}
