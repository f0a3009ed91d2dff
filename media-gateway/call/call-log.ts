// What a call writes to PostgreSQL as it goes: status changes, IVR path steps, the final record.
// A PostgreSQL blip must not cost the call or its log: every write is retried with backoff (about a
// minute in all) while the call goes on, in order, so the path never interleaves.
import pRetry from "p-retry";
import { db, type Prisma } from "../../lib/db";
import type { DisconnectedBy, PathStep } from "../../lib/ivr";
import type { Logger } from "pino";

/** Backoff for one write: 0.2, 0.4, 0.8 … capped at 5 s, 15 retries ≈ 60 s. */
export const WRITE_RETRY = { retries: 15, minTimeout: 200, factor: 2, maxTimeout: 5_000 };

/** Written already: an attempt whose answer was lost with its connection did land. */
const alreadyWritten = (err: unknown) => (err as { code?: string }).code === "P2002";

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

  status(): Promise<string | null> {
    return db.call.findUnique({ where: { id: this.callId }, select: { status: true } }).then((c) => c?.status ?? null);
  }

  answered(gatewayId: string) {
    return this.enqueue("answered", () =>
      db.call.updateMany({ where: { id: this.callId, endedAt: null }, data: { status: "answered", answeredAt: new Date(), gatewayId } }),
    );
  }

  step(step: PathStep) {
    return this.enqueue("path step", () =>
      db.callStep.create({
        data: {
          callId: this.callId,
          seq: step.seq,
          flowId: step.flowId,
          nodeId: step.nodeId,
          nodeType: step.nodeType,
          label: step.label,
          handle: step.handle,
          digits: step.digits,
          variables: (step.variables || step.error ? { ...step.variables, ...(step.error ? { error: step.error } : {}) } : undefined) as
            | Prisma.InputJsonValue
            | undefined,
          enteredAt: new Date(step.enteredAt),
          leftAt: new Date(step.leftAt),
        },
      }),
    );
  }

  /** An outgoing call was handed to WhatsApp: from now on webhooks find it by WhatsApp's call id. */
  dialled(waCallId: string, gatewayId: string) {
    return this.enqueue("dialled", () => db.call.updateMany({ where: { id: this.callId, endedAt: null }, data: { waCallId, status: "ringing", gatewayId } }));
  }

  /** An agent is on the call. */
  bridged(agentId: string) {
    return this.enqueue("agent", () => db.call.updateMany({ where: { id: this.callId, endedAt: null }, data: { status: "answered", agentId } }));
  }

  held(onHold: boolean) {
    return this.enqueue("hold", () => db.call.updateMany({ where: { id: this.callId, endedAt: null }, data: { status: onHold ? "on_hold" : "answered" } }));
  }

  /** Closes the record unless the webhook already did; keeps the first disconnected_by. */
  finish(opts: { by: DisconnectedBy; error?: string; failed?: boolean; status?: "rejected" | "missed" }) {
    return this.enqueue("final record", async () => {
      const call = await db.call.findUnique({ where: { id: this.callId }, select: { answeredAt: true, endedAt: true, disconnectedBy: true } });
      if (!call) return;
      if (call.endedAt) {
        if (!call.disconnectedBy) await db.call.update({ where: { id: this.callId }, data: { disconnectedBy: opts.by } });
        return;
      }
      const endedAt = new Date();
      await db.call.updateMany({
        where: { id: this.callId, endedAt: null },
        data: {
          status: opts.failed ? "failed" : call.answeredAt ? "completed" : (opts.status ?? "missed"),
          endedAt,
          durationSecs: call.answeredAt ? Math.round((endedAt.getTime() - call.answeredAt.getTime()) / 1000) : 0,
          disconnectedBy: call.disconnectedBy ?? opts.by,
          ...(opts.error ? { error: opts.error } : {}),
        },
      });
    });
  }

  /** Replaces the error of a call already closed (e.g. the reject that followed it failed too). */
  amendError(error: string) {
    return this.enqueue("error", () => db.call.updateMany({ where: { id: this.callId }, data: { error } }));
  }

  flush() {
    return this.chain;
  }
}
