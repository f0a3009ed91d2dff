// What a call writes to PostgreSQL as it goes: status changes, IVR path steps, the final record.
import { db, type Prisma } from "../../lib/db";
import type { DisconnectedBy, PathStep } from "../../lib/ivr";

export class CallLog {
  /** Writes happen in order, one after another, so the path never interleaves. */
  private chain: Promise<unknown> = Promise.resolve();

  constructor(readonly callId: string) {}

  private enqueue<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.chain.then(fn, fn);
    this.chain = next.catch(() => {});
    return next;
  }

  status(): Promise<string | null> {
    return db.call.findUnique({ where: { id: this.callId }, select: { status: true } }).then((c) => c?.status ?? null);
  }

  answered(gatewayId: string) {
    return this.enqueue(() =>
      db.call.updateMany({ where: { id: this.callId, endedAt: null }, data: { status: "answered", answeredAt: new Date(), gatewayId } }),
    );
  }

  step(step: PathStep) {
    return this.enqueue(() =>
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
          variables: (step.variables || step.error ? { ...step.variables, ...(step.error ? { error: step.error } : {}) } : undefined) as Prisma.InputJsonValue | undefined,
          enteredAt: new Date(step.enteredAt),
          leftAt: new Date(step.leftAt),
        },
      }),
    );
  }

  /** An agent is on the call. */
  bridged(agentId: string) {
    return this.enqueue(() => db.call.updateMany({ where: { id: this.callId, endedAt: null }, data: { status: "answered", agentId } }));
  }

  held(onHold: boolean) {
    return this.enqueue(() => db.call.updateMany({ where: { id: this.callId, endedAt: null }, data: { status: onHold ? "on_hold" : "answered" } }));
  }

  /** Closes the record unless the webhook already did; keeps the first disconnected_by. */
  finish(opts: { by: DisconnectedBy; error?: string; failed?: boolean }) {
    return this.enqueue(async () => {
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
          status: opts.failed ? "failed" : call.answeredAt ? "completed" : "missed",
          endedAt,
          durationSecs: call.answeredAt ? Math.round((endedAt.getTime() - call.answeredAt.getTime()) / 1000) : 0,
          disconnectedBy: call.disconnectedBy ?? opts.by,
          ...(opts.error ? { error: opts.error } : {}),
        },
      });
    });
  }

  flush() {
    return this.chain;
  }
}
