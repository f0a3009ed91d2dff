// An admin ends a call no media gateway holds any more (a stuck row on the live board): terminate
// at WhatsApp and close the log as ended by the system, with the admin's name in the reason.
import { db } from "../db";
import { graphClientFor } from "../whatsapp/account-client";
import { GraphApiError } from "../whatsapp/graph-client";
import { callChanged } from "./transfers";

export async function endOrphanCall(orgId: string, callId: string, reason: string): Promise<void> {
  const call = await db.call.findFirst({ where: { id: callId, orgId, endedAt: null }, select: { accountId: true, waCallId: true, answeredAt: true } });
  if (!call) return;
  let error = reason;
  try {
    await (await graphClientFor(call.accountId)).terminate(call.waCallId);
  } catch (err) {
    error += `; terminate failed: ${err instanceof GraphApiError ? err.summary : (err as Error).message}`;
  }
  const endedAt = new Date();
  await db.call.updateMany({
    where: { id: callId, endedAt: null },
    data: {
      status: call.answeredAt ? "completed" : "failed",
      endedAt,
      durationSecs: call.answeredAt ? Math.round((endedAt.getTime() - call.answeredAt.getTime()) / 1000) : 0,
      disconnectedBy: "system",
      error,
    },
  });
  await db.callTransfer.updateMany({ where: { callId, status: "waiting" }, data: { status: "cancelled", endReason: "call_ended", endedAt } });
  await callChanged(orgId, callId, "ended");
}
