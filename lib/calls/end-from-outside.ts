// Ends a call that no media gateway is handling any more (its gateway died, or an admin ends a stuck
// call from the board): terminate at WhatsApp, then close the log as ended by the system with the
// reason, and the terminate failure if there was one. Never reopens a log that is already closed.
import { db } from "../db";
import { graphClientFor } from "../whatsapp/account-client";
import { GraphApiError } from "../whatsapp/graph-client";

export interface OpenCall {
  id: string;
  accountId: string;
  waCallId: string;
  answeredAt: Date | null;
}

export async function terminateAndClose(call: OpenCall, reason: string): Promise<Date> {
  let error = reason;
  try {
    await (await graphClientFor(call.accountId)).terminate(call.waCallId);
  } catch (err) {
    error += `; terminate failed: ${err instanceof GraphApiError ? err.summary : (err as Error).message}`;
  }
  const endedAt = new Date();
  await db.call.updateMany({
    where: { id: call.id, endedAt: null },
    data: {
      status: call.answeredAt ? "completed" : "failed",
      endedAt,
      durationSecs: call.answeredAt ? Math.round((endedAt.getTime() - call.answeredAt.getTime()) / 1000) : 0,
      disconnectedBy: "system",
      error,
    },
  });
  return endedAt;
}
