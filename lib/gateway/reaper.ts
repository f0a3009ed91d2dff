// A gateway that dies loses its media, not its bookkeeping: whoever runs this (every live gateway
// on a timer, or the web tier's cron route) ends the dead gateway's calls at WhatsApp and closes
// their logs with disconnected_by = system.
// A missed heartbeat is not death: Redis itself may have blinked. A gateway is reaped only when its
// heartbeat stays expired for a grace period and its registration is still gone when we look again;
// a gateway never reaps itself; and a reaped gateway is fenced, so if it was alive after all it
// learns that its calls were ended and closes them instead of streaming to nobody.
import type { Redis } from "ioredis";
import { db } from "../db";
import { logger } from "../log";
import { terminateAndClose } from "../calls/end-from-outside";
import { keys, OWNER_TTL_SECS } from "./messages";
import { endStuckCalls } from "./stuck-calls";

const log = logger.child({ component: "reaper" });
const LOCK = "rf:reaper:lock";
/** How long a heartbeat must stay missing before the gateway counts as dead (> two heartbeat periods). */
export const REAP_GRACE_MS = 10_000;

export interface ReapResult {
  gateways: string[];
  calls: number;
  /** Calls that never reached a gateway and were ended (see stuck-calls.ts). */
  stuck: number;
}

export interface ReapOptions {
  /** The gateway running the reaper: it never reaps itself. */
  selfId?: string;
  graceMs?: number;
  now?: number;
}

/** Gateways whose heartbeat has been missing for longer than the grace period, and still is. */
async function confirmedDead(redis: Redis, selfId: string | undefined, graceMs: number, now: number): Promise<string[]> {
  const expired = (await redis.zrangebyscore(keys.registry, "-inf", now - 1)).filter((id) => id !== selfId);
  const dead: string[] = [];
  for (const gatewayId of expired) {
    // First sighting starts the grace period; the mark expires by itself if the gateway comes back.
    await redis.set(keys.suspect(gatewayId), String(now), "PX", graceMs * 6, "NX");
    const since = Number(await redis.get(keys.suspect(gatewayId)));
    if (now - since < graceMs) continue;
    const [score, registration] = await Promise.all([redis.zscore(keys.registry, gatewayId), redis.get(keys.gateway(gatewayId))]);
    if (registration !== null || (score !== null && Number(score) >= Date.now())) {
      await redis.del(keys.suspect(gatewayId));
      continue;
    }
    dead.push(gatewayId);
  }
  return dead;
}

export async function reapDeadGateways(redis: Redis, opts: ReapOptions = {}): Promise<ReapResult> {
  const { selfId, graceMs = REAP_GRACE_MS, now = Date.now() } = opts;
  // One reaper at a time across processes.
  if ((await redis.set(LOCK, String(process.pid), "PX", 30_000, "NX")) !== "OK") return { gateways: [], calls: 0, stuck: 0 };
  try {
    const dead = await confirmedDead(redis, selfId, graceMs, now);
    let calls = 0;
    for (const gatewayId of dead) {
      // Fence first: should the gateway still be alive, its next heartbeat sees this and ends its calls.
      await redis.set(keys.fenced(gatewayId), String(now), "PX", OWNER_TTL_SECS * 1000);
      const open = await db.call.findMany({
        where: { gatewayId, endedAt: null },
        select: { id: true, accountId: true, waCallId: true, answeredAt: true },
      });
      for (const call of open) {
        await terminateAndClose(call, `Media gateway ${gatewayId} stopped responding; the call was ended`);
        await redis.del(keys.owner(call.id));
        calls += 1;
      }
      await redis
        .multi()
        .zrem(keys.registry, gatewayId)
        .del(keys.gateway(gatewayId), keys.inbox(gatewayId), keys.calls(gatewayId), keys.suspect(gatewayId))
        .exec();
      log.warn({ gatewayId, calls: open.length }, "reaped a dead media gateway");
    }
    const stuck = await endStuckCalls(now);
    return { gateways: dead, calls, stuck };
  } finally {
    await redis.del(LOCK);
  }
}
