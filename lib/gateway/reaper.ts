// A gateway that dies loses its media, not its bookkeeping: whoever runs this (every live gateway
// on a timer, or the web tier's cron route) ends the dead gateway's calls at WhatsApp and closes
// their logs with disconnected_by = system.
import type { Redis } from "ioredis";
import { db } from "../db";
import { logger } from "../log";
import { graphClientFor } from "../whatsapp/account-client";
import { GraphApiError } from "../whatsapp/graph-client";
import { keys } from "./messages";

const log = logger.child({ component: "reaper" });
const LOCK = "rf:reaper:lock";

export interface ReapResult {
  gateways: string[];
  calls: number;
}

export async function reapDeadGateways(redis: Redis, now = Date.now()): Promise<ReapResult> {
  // One reaper at a time across processes.
  if ((await redis.set(LOCK, String(process.pid), "PX", 30_000, "NX")) !== "OK") return { gateways: [], calls: 0 };
  try {
    const dead = await redis.zrangebyscore(keys.registry, "-inf", now - 1);
    let calls = 0;
    for (const gatewayId of dead) {
      const open = await db.call.findMany({
        where: { gatewayId, endedAt: null },
        select: { id: true, accountId: true, waCallId: true, answeredAt: true },
      });
      for (const call of open) {
        let error = `Media gateway ${gatewayId} stopped responding; the call was ended`;
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
        await redis.del(keys.owner(call.id));
        calls += 1;
      }
      await redis.multi().zrem(keys.registry, gatewayId).del(keys.gateway(gatewayId), keys.inbox(gatewayId), keys.calls(gatewayId)).exec();
      log.warn({ gatewayId, calls: open.length }, "reaped a dead media gateway");
    }
    return { gateways: dead, calls };
  } finally {
    await redis.del(LOCK);
  }
}
