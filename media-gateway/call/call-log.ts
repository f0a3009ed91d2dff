// What a call writes to PostgreSQL as it goes: status changes, IVR path steps, the final record.
// A PostgreSQL blip must not cost the call or its log: every write is retried with backoff (about a
// minute in all) while the call goes on, in order, so the path never interleaves. Each write is one
// statement straight on the pg pool (lib/db/sql: Prisma's client cost about 0.6 ms of CPU per
// statement, and every answered call made five of them).
import { randomUUID } from "node:crypto";
import pRetry from "p-retry";
import { Prisma } from "../../lib/db";
import { sqlExec } from "../../lib/db/sql";
import type { DisconnectedBy, PathStep } from "../../lib/ivr";
import type { Logger } from "pino";

/** Backoff for one write: 0.2, 0.4, 0.8 … capped at 5 s, 15 retries ≈ 60 s. */
export const WRITE_RETRY = { retries: 15, minTimeout: 200, factor: 2, maxTimeout: 5_000 };

/** Written already: an attempt whose answer was lost with its connection did land (a unique violation). */
const alreadyWritten = (err: unknown) => (err as { code?: string }).code === "23505";

export class CallLog {
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    readonly callId: string,
    private readonly log?: Logger,
    private readonly retry = WRITE_RETRY,
  ) {}

  private enqueue<T>(what: string, fn: () => Promise<T>): Promise<T | undefined> {
    const attempt = async () => {
      try {
        return await fn();
      } catch (err) {
        if (alreadyWritten(err)) return undefined;
        throw err;
      }
    };
    const run = () =>
      pRetry(attempt, {
        ...this.retry,
        randomize: true,
        onFailedAttempt: ({ error, attemptNumber, retriesLeft }) =>
          this.log?.warn({ err: error, attemptNumber, retriesLeft, write: what }, "call log write failed; retrying"),
      });
    const next = this.chain.then(run, run);
    this.chain = next.catch(() => {});
    return next;
  }

  /**
   * WhatsApp took our accept: the call is answered. A terminate webhook that overtook this write (the
   * caller hung up at once) has closed it as missed; it was answered, so it becomes completed, timed
   * from now unless Meta's terminate gave a duration.
   */
  answered(gatewayId: string) {
    const answeredAt = new Date();
    return this.enqueue("answered", () =>
      sqlExec(Prisma.sql`UPDATE calls SET answered_at = ${answeredAt}, gateway_id = ${gatewayId},
          status = CASE WHEN ended_at IS NULL THEN 'answered'::"CallStatus" ELSE 'completed'::"CallStatus" END,
          duration_secs = CASE WHEN ended_at IS NULL OR duration_secs > 0 THEN duration_secs
            ELSE greatest(0, round(extract(epoch FROM ended_at - ${answeredAt}::timestamp)))::int END
        WHERE id = ${this.callId} AND (ended_at IS NULL OR (status = 'missed' AND answered_at IS NULL))`),
    );
  }

  step(step: PathStep) {
    const variables = step.variables || step.error ? { ...step.variables, ...(step.error ? { error: step.error } : {}) } : null;
    return this.enqueue("path step", () =>
      sqlExec(Prisma.sql`INSERT INTO call_steps (id, call_id, seq, flow_id, node_id, node_type, label, handle, digits, variables, entered_at, left_at)
        VALUES (${randomUUID()}, ${this.callId}, ${step.seq}, ${step.flowId}, ${step.nodeId}, ${step.nodeType}, ${step.label},
          ${step.handle ?? null}, ${step.digits ?? null}, ${variables === null ? null : JSON.stringify(variables)}::jsonb,
          ${new Date(step.enteredAt)}, ${new Date(step.leftAt)})`),
    );
  }

  /** An outgoing call was handed to WhatsApp: from now on webhooks find it by WhatsApp's call id. */
  dialled(waCallId: string, gatewayId: string) {
    return this.enqueue("dialled", () =>
      sqlExec(Prisma.sql`UPDATE calls SET wa_call_id = ${waCallId}, status = 'ringing', gateway_id = ${gatewayId}
        WHERE id = ${this.callId} AND ended_at IS NULL`),
    );
  }

  /** An agent is on the call. */
  bridged(agentId: string) {
    return this.enqueue("agent", () =>
      sqlExec(Prisma.sql`UPDATE calls SET status = 'answered', agent_id = ${agentId} WHERE id = ${this.callId} AND ended_at IS NULL`),
    );
  }

  held(onHold: boolean) {
    return this.enqueue("hold", () =>
      sqlExec(Prisma.sql`UPDATE calls SET status = ${onHold ? "on_hold" : "answered"}::"CallStatus" WHERE id = ${this.callId} AND ended_at IS NULL`),
    );
  }

  /**
   * Closes the record unless the webhook already did (then only a missing disconnected_by is set);
   * keeps the first disconnected_by. One statement: the right-hand sides read the row as it was.
   */
  finish(opts: { by: DisconnectedBy; error?: string; failed?: boolean; status?: "rejected" | "missed" }) {
    const endedAt = new Date();
    const unanswered = opts.status ?? "missed";
    return this.enqueue("final record", async () => {
      await sqlExec(Prisma.sql`UPDATE calls SET
          disconnected_by = COALESCE(disconnected_by, ${opts.by}::"DisconnectedBy"),
          status = CASE WHEN ended_at IS NOT NULL THEN status
            WHEN ${opts.failed ?? false} THEN 'failed'::"CallStatus"
            WHEN answered_at IS NOT NULL THEN 'completed'::"CallStatus"
            ELSE ${unanswered}::"CallStatus" END,
          duration_secs = CASE WHEN ended_at IS NOT NULL THEN duration_secs
            WHEN answered_at IS NULL THEN 0
            ELSE round(extract(epoch FROM ${endedAt}::timestamp - answered_at))::int END,
          error = CASE WHEN ended_at IS NULL THEN COALESCE(${opts.error ?? null}::text, error) ELSE error END,
          ended_at = COALESCE(ended_at, ${endedAt}::timestamp)
        WHERE id = ${this.callId}`);
    });
  }

  /** Replaces the error of a call already closed (e.g. the reject that followed it failed too). */
  amendError(error: string) {
    return this.enqueue("error", () => sqlExec(Prisma.sql`UPDATE calls SET error = ${error} WHERE id = ${this.callId}`));
  }

  flush() {
    return this.chain;
  }
}
