// Rejecting an incoming call nobody answered: the web tier (no gateway for it), the gateway (it
// cannot take the call) and a call session (answering failed) all end a ringing call this one way.
import type { Logger } from "pino";
import { db, Prisma } from "../db";
import { sqlExec } from "../db/sql";
import { GraphApiError, type GraphClient } from "../whatsapp/graph-client";

export interface RejectIncoming {
  callId: string;
  waCallId: string;
  /** Why, as the call log shows it. */
  reason: string;
  graph: () => Promise<GraphClient>;
  log: Logger;
  /**
   * What a failed log write does. "throw": nothing is rejected and the error propagates (the web
   * tier, so that Meta retries the webhook). "reject": it is logged and the call is rejected anyway
   * (a gateway, which has no one to retry it; a caller left ringing is worse than a log left open).
   */
  onLogError: "throw" | "reject";
  /** "failed" when we meant to answer and could not (the call log counts it as a failure). */
  status?: "rejected" | "failed";
  /**
   * The call is late already: the reject goes out first and the log is written after (at overload
   * the write waits behind every other statement). A terminate that overtakes the write logs the
   * call missed, not rejected; the caller hearing in time matters more.
   */
  rejectFirst?: boolean;
}

/**
 * Closes the call log as rejected, then (`rejectFirst`: before) rejects through the Graph API; returns
 * the error as logged.
 */
export async function rejectIncomingCall(r: RejectIncoming): Promise<string> {
  const keepGoing = (what: string) => (err: unknown) => {
    if (r.onLogError === "throw") throw err;
    r.log.error({ err }, what);
  };
  // The client's lookup (a PostgreSQL read) runs alongside the log write; it is used only after it.
  const graph = r.graph();
  graph.catch(() => {});
  const logWith = (error: string) => logRejected(r.callId, error, r.status).then(() => {}, keepGoing("closing the rejected call's log failed"));
  // Logged before the reject goes out: the terminate webhook that follows must find the call closed as rejected.
  if (!r.rejectFirst) await logWith(r.reason);
  let error = r.reason;
  try {
    await (await graph).reject(r.waCallId);
  } catch (err) {
    error = `${r.reason}. Rejecting through the Graph API failed: ${err instanceof GraphApiError ? err.summary : (err as Error).message}`;
    if (!r.rejectFirst) await db.call.updateMany({ where: { id: r.callId }, data: { error } }).catch(keepGoing("noting the failed reject failed"));
  }
  if (r.rejectFirst) await logWith(error);
  r.log.warn({ reason: error }, "incoming call rejected");
  return error;
}

/** Closes a ringing call's log as rejected (or failed) by us, with the reason; a call closed already is left as it is. */
export function logRejected(callId: string, reason: string, status: "rejected" | "failed" = "rejected") {
  // On the pool directly (db/sql.ts): at overload most calls end this way.
  return sqlExec(Prisma.sql`
    UPDATE calls SET status = ${status}::"CallStatus", ended_at = ${new Date()}, duration_secs = 0, disconnected_by = 'system', error = ${reason}
    WHERE id = ${callId} AND ended_at IS NULL`);
}
