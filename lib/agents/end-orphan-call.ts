// An admin ends a call no media gateway holds any more (a stuck row on the live board): terminate
// at WhatsApp and close the log as ended by the system, with the admin's name in the reason.
import { db } from "../db";
import { terminateAndClose } from "../calls/end-from-outside";
import { callChanged } from "./transfers";

export async function endOrphanCall(orgId: string, callId: string, reason: string): Promise<void> {
  const call = await db.call.findFirst({
    where: { id: callId, orgId, endedAt: null },
    select: { id: true, accountId: true, waCallId: true, answeredAt: true },
  });
  if (!call) return;
  const endedAt = await terminateAndClose(call, reason);
  await db.callTransfer.updateMany({ where: { callId, status: "waiting" }, data: { status: "cancelled", endReason: "call_ended", endedAt } });
  await callChanged(orgId, callId, "ended");
}
