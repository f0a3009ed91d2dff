// Web side of the hand-off: pick a live gateway, claim call ownership, send commands, await replies.
import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { type Envelope, type GatewayCommand, type GatewayInfo, gatewayInfoSchema, keys, OWNER_TTL_SECS, replySchema } from "./messages";

/** Gateways whose heartbeat has not expired, least loaded first. */
export async function liveGateways(redis: Redis, now = Date.now()): Promise<GatewayInfo[]> {
  const ids = await redis.zrangebyscore(keys.registry, now, "+inf");
  if (ids.length === 0) return [];
  const raw = await redis.mget(...ids.map(keys.gateway));
  return raw
    .flatMap((r) => {
      if (!r) return [];
      const parsed = gatewayInfoSchema.safeParse(JSON.parse(r));
      return parsed.success ? [parsed.data] : [];
    })
    .filter((g) => !g.draining && g.load < g.capacity)
    .sort((a, b) => a.load / a.capacity - b.load / b.capacity);
}

export async function sendCommand(redis: Redis, gatewayId: string, command: GatewayCommand, replyTo?: string) {
  const envelope: Envelope = { id: randomUUID(), sentAt: Date.now(), replyTo, command };
  await redis.rpush(keys.inbox(gatewayId), JSON.stringify(envelope));
  return envelope.id;
}

export type AssignResult = { ok: true; gatewayId: string; reused: boolean } | { ok: false; reason: string };

/**
 * Gives the call to exactly one live gateway. A retry of the same call (web-tier retry,
 * redelivered webhook) finds the existing owner and does not assign it twice.
 */
export async function assignCall(redis: Redis, command: Extract<GatewayCommand, { type: "call.assign" }>): Promise<AssignResult> {
  const existing = await redis.get(keys.owner(command.callId));
  if (existing) return { ok: true, gatewayId: existing, reused: true };
  const [gateway] = await liveGateways(redis);
  if (!gateway) return { ok: false, reason: "No media gateway is available to answer the call" };
  const claimed = await redis.set(keys.owner(command.callId), gateway.id, "EX", OWNER_TTL_SECS, "NX");
  if (claimed !== "OK") {
    const owner = await redis.get(keys.owner(command.callId));
    return owner ? { ok: true, gatewayId: owner, reused: true } : { ok: false, reason: "Call ownership could not be claimed" };
  }
  await sendCommand(redis, gateway.id, command);
  return { ok: true, gatewayId: gateway.id, reused: false };
}

export function callOwner(redis: Redis, callId: string): Promise<string | null> {
  return redis.get(keys.owner(callId));
}

/** Sends a command to the call's owner; false when no gateway owns it. */
export async function notifyOwner(redis: Redis, callId: string, command: GatewayCommand): Promise<boolean> {
  const owner = await callOwner(redis, callId);
  if (!owner) return false;
  await sendCommand(redis, owner, command);
  return true;
}

export class GatewayTimeoutError extends Error {
  constructor(gatewayId: string, ms: number) {
    super(`Media gateway ${gatewayId} did not answer within ${ms} ms`);
    this.name = "GatewayTimeoutError";
  }
}

/** Request/reply: waits on a per-request list with a timeout. `blocking` must be a dedicated connection. */
export async function request(
  redis: Redis,
  blocking: Redis,
  gatewayId: string,
  command: GatewayCommand,
  timeoutMs: number,
): Promise<unknown> {
  const replyKey = keys.reply(randomUUID());
  await sendCommand(redis, gatewayId, command, replyKey);
  const popped = await blocking.blpop(replyKey, Math.max(timeoutMs / 1000, 0.01));
  if (!popped) throw new GatewayTimeoutError(gatewayId, timeoutMs);
  const reply = replySchema.parse(JSON.parse(popped[1]));
  if (!reply.ok) throw new Error(reply.error ?? "Gateway reported a failure");
  return reply.result;
}
