// The IVR node a call is in right now. The gateway reports each node it enters: a small
// `call-phase` event on the organisation's channel (the live board refreshes on it) and a Redis key
// the board's first load reads, so a board opened mid-call shows the node too.
import type { Redis } from "ioredis";
import { channels } from "../agents/contract";
import { publish } from "../realtime";

export const CALL_PHASE_EVENT = "call-phase";

export interface IvrNodePhase {
  nodeId: string;
  label: string;
  nodeType: string;
  /** ISO time the call entered the node. */
  since: string;
}

const key = (callId: string) => `call-node:${callId}`;
// Longer than any call may last ([calling] max_call_duration is at most a few hours).
const TTL_SECS = 6 * 3600;
/** How long a page waits for the current nodes before showing the stored steps alone. */
const READ_WAIT_MS = 1_000;

/** Records and announces the node a call entered (never throws: the call goes on regardless). */
export async function reportIvrNode(redis: Redis, orgId: string, callId: string, node: IvrNodePhase | null): Promise<void> {
  try {
    if (node) await redis.set(key(callId), JSON.stringify(node), "EX", TTL_SECS);
    else await redis.del(key(callId));
  } catch {
    // The board falls back to the last step in the call log.
  }
  await publish(channels.org(orgId), CALL_PHASE_EVENT, { callId, phase: node ? "ivr" : "left_ivr", node });
}

/** The current node of each call (missing: unknown, e.g. a gateway that predates this). */
export async function currentNodes(redis: Redis, callIds: string[]): Promise<Map<string, IvrNodePhase>> {
  const out = new Map<string, IvrNodePhase>();
  if (callIds.length === 0) return out;
  // Redis away does not hold the page up: the last stored step stands in (see reportIvrNode).
  const none: (string | null)[] = [];
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<(string | null)[]>((resolve) => {
    timer = setTimeout(() => resolve(none), READ_WAIT_MS);
  });
  const values = await Promise.race([redis.mget(callIds.map(key)).catch(() => none), late]);
  clearTimeout(timer);
  callIds.forEach((id, i) => {
    const v = values[i];
    if (v) {
      try {
        out.set(id, JSON.parse(v) as IvrNodePhase);
      } catch {}
    }
  });
  return out;
}
