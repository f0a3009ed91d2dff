// A callers' process's link to the bench that started it (IPC): each webhook goes to the parent,
// which runs the web tier's code on it and answers "delivered"; the parent passes back each Graph
// API request the business made for a call, so a ringing caller learns of pre_accept or reject the
// moment the fake Graph API sees it (no polling delay). Used by bench/setup-callers.ts and
// bench/capacity-callers.ts.
import type { RecordedRequest } from "../tools/wa-sim/fake-graph";

/** Epoch milliseconds with sub-millisecond resolution, comparable across processes on one machine. */
export const epochMs = () => performance.timeOrigin + performance.now();

export type LinkToParent = { type: "webhook"; id: number; callId: string; raw: string; signature: string; sentAt: number };
export type LinkFromParent = { type: "delivered"; id: number; error?: string } | { type: "graph"; request: RecordedRequest };

export function callerLink(send: (m: LinkToParent) => void) {
  const deliveries = new Map<number, { resolve: () => void; reject: (err: Error) => void }>();
  const requests = new Map<string, RecordedRequest[]>();
  const waiters = new Map<string, () => void>();
  let nextId = 0;
  return {
    /** Takes the link's messages from the parent; false for any other message. */
    receive(m: { type: string }): boolean {
      const msg = m as LinkFromParent;
      if (msg.type === "delivered") {
        const d = deliveries.get(msg.id);
        deliveries.delete(msg.id);
        if (msg.error) d?.reject(new Error(msg.error));
        else d?.resolve();
        return true;
      }
      if (msg.type === "graph") {
        const callId = msg.request.callId;
        if (callId) {
          requests.set(callId, [...(requests.get(callId) ?? []), msg.request]);
          waiters.get(callId)?.();
        }
        return true;
      }
      return false;
    },
    /** A caller's `deliver`: the webhook goes to the parent, settled when its web tier code has run. */
    deliver: (callId: () => string) => (raw: Buffer, signature: string) =>
      new Promise<void>((resolve, reject) => {
        const id = nextId++;
        deliveries.set(id, { resolve, reject });
        send({ type: "webhook", id, callId: callId(), raw: raw.toString("base64"), signature, sentAt: epochMs() });
      }),
    /** A caller's `graphRequests`: what the business sent for the call once it pre-accepts or rejects. */
    graphRequests: async (callId: string) => {
      const decided = () => requests.get(callId)?.some((r) => r.action === "pre_accept" || r.action === "reject");
      if (!decided()) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 1_000);
          waiters.set(callId, () => {
            clearTimeout(timer);
            resolve();
          });
        });
        waiters.delete(callId);
      }
      const seen = requests.get(callId) ?? [];
      if (seen.some((r) => r.action === "reject")) throw new Error("rejected by the business");
      return seen;
    },
  };
}
