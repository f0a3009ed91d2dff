// A call logged by the webhook but never handed to a media gateway (Redis was down when the web
// tier tried, or the web process died in between) would stay "ringing" for good: after a deadline
// it is rejected at WhatsApp and its log closed with the reason. Calls a gateway holds are the
// gateway's (answer timeout) or the reaper's (dead gateway) business, never this sweep's.
import { db } from "../db";
import { logger } from "../log";
import { graphClientFor } from "../whatsapp/account-client";
import { GraphApiError } from "../whatsapp/graph-client";

const log = logger.child({ component: "stuck-calls" });
/** WhatsApp stops ringing well before this; a call still unassigned by then will never be answered. */
export const STUCK_AFTER_MS = 60_000;
const BATCH = 100;

export async function endStuckCalls(now = Date.now()): Promise<number> {
  const stuck = await db.call.findMany({
    where: { status: { in: ["ringing", "initiating"] }, gatewayId: null, endedAt: null, startedAt: { lt: new Date(now - STUCK_AFTER_MS) } },
    select: { id: true, accountId: true, waCallId: true, direction: true, startedAt: true },
    orderBy: { startedAt: "asc" },
    take: BATCH,
  });
  for (const call of stuck) {
    const waited = Math.round((now - call.startedAt.getTime()) / 1000);
    let error = `No media gateway took the call within ${waited} s (the hand-off failed); it was ended`;
    try {
      const graph = await graphClientFor(call.accountId);
      await (call.direction === "incoming" ? graph.reject(call.waCallId) : graph.terminate(call.waCallId));
    } catch (err) {
      error += `; ending it at WhatsApp failed: ${err instanceof GraphApiError ? err.summary : (err as Error).message}`;
    }
    await db.call.updateMany({
      where: { id: call.id, endedAt: null, gatewayId: null },
      data: { status: "failed", endedAt: new Date(), durationSecs: 0, disconnectedBy: "system", error },
    });
    log.warn({ callId: call.id, waited }, "ended a call stuck before any gateway took it");
  }
  return stuck.length;
}
