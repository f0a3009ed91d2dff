// Web side of the hand-off: pick a live gateway, claim call ownership, send commands, await replies.
import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { type Envelope, type GatewayCommand, type GatewayInfo, gatewayInfoSchema, keys, OWNER_TTL_SECS, replySchema } from "./messages";

/**
 * Gateways whose heartbeat has not expired (draining ones included). An incoming call reads this once
 * for its room check and its assignment (noRoomReason, assignCall): two round trips fewer per call (and
 * assignCall's owner check a third), while the records are a heartbeat old whenever they are read.
 */
export async function registeredGateways(redis: Redis, now = Date.now()): Promise<GatewayInfo[]> {
  const ids = await redis.zrangebyscore(keys.registry, now, "+inf");
  if (ids.length === 0) return [];
  const raw = await redis.mget(...ids.map(keys.gateway));
  return raw.flatMap((r) => {
    if (!r) return [];
    const parsed = gatewayInfoSchema.safeParse(JSON.parse(r));
    return parsed.success ? [parsed.data] : [];
  });
}

/** How many gateways are running (heartbeat fresh), full or draining ones included: 0 means every call is rejected. */
export async function runningGateways(redis: Redis, now = Date.now()): Promise<number> {
  return (await registeredGateways(redis, now)).length;
}

const byLoad = (a: GatewayInfo, b: GatewayInfo) => a.load / a.capacity - b.load / b.capacity;

/** Gateways whose heartbeat has not expired, least loaded first. */
export async function liveGateways(redis: Redis, now = Date.now()): Promise<GatewayInfo[]> {
  return (await registeredGateways(redis, now)).filter((g) => !g.draining && !g.overloaded && g.load < g.capacity).sort(byLoad);
}

export async function sendCommand(redis: Redis, gatewayId: string, command: GatewayCommand, replyTo?: string) {
  const envelope: Envelope = { id: randomUUID(), sentAt: Date.now(), replyTo, command };
  await redis.rpush(keys.inbox(gatewayId), JSON.stringify(envelope));
  return envelope.id;
}

/** assignCall's reason when no gateway runs at all; every other refusal is for lack of room (overload). */
export const NO_GATEWAY = "No media gateway is available to answer the call";

export type AssignResult = { ok: true; gatewayId: string; reused: boolean } | { ok: false; reason: string };

/** A setup the gateway never reported done (a lost release) stops counting after this long. */
const SETUP_STALE_MS = 60_000;

// Which candidate a call would go to: the least loaded one whose set of held calls is below its
// capacity and whose calls in setup are below its setup budget (setups older than the stale cut no
// longer count). Leaves `best` (nil: none) and `busy` (some candidate had room but no setup budget).
// KEYS: owner, then per candidate its calls set, setups set and inbox. ARGV: callId, now, owner
// TTL, envelope, the oldest setup that still counts, then per candidate its id, capacity and setup
// budget (0: none).
const PICK = `
local best, bestRatio
local busy = false
for i = 1, (#KEYS - 1) / 3 do
  local cap = tonumber(ARGV[4 + 3 * i])
  local budget = tonumber(ARGV[5 + 3 * i])
  local load = redis.call('ZCARD', KEYS[3 * i - 1])
  if load < cap then
    local setups = 0
    if budget > 0 then
      redis.call('ZREMRANGEBYSCORE', KEYS[3 * i], '-inf', '(' .. ARGV[5])
      setups = redis.call('ZCARD', KEYS[3 * i])
    end
    if budget > 0 and setups >= budget then
      busy = true
    elseif best == nil or load / cap < bestRatio then
      best = i
      bestRatio = load / cap
    end
  end
end
if best == nil then return {busy and 'busy' or 'full'} end
`;

// Atomic admission: the call goes to the candidate PICK chose, and ownership, the slot, the setup
// and the command are written together, so a gateway is never handed more calls than its ports
// hold, nor more setups than it can finish in time, however many webhooks race.
const ADMIT = `
local owner = redis.call('GET', KEYS[1])
if owner then return {'reused', owner} end
${PICK}
local id = ARGV[3 + 3 * best]
redis.call('SET', KEYS[1], id, 'EX', ARGV[3])
redis.call('ZADD', KEYS[3 * best - 1], ARGV[2], ARGV[1])
if tonumber(ARGV[5 + 3 * best]) > 0 then redis.call('ZADD', KEYS[3 * best], ARGV[2], ARGV[1]) end
redis.call('RPUSH', KEYS[3 * best + 1], ARGV[4])
return {'assigned', id}
`;

/** PICK alone: whether a call would find room, admitting nothing (same keys and arguments as ADMIT). */
const PEEK = `${PICK}
return {'room'}
`;

/** ADMIT's or PEEK's keys and arguments for `candidates`. */
function admission(candidates: GatewayInfo[], callId: string, now: number, envelope: string): [number, ...(string | number)[]] {
  return [
    1 + 3 * candidates.length,
    keys.owner(callId),
    ...candidates.flatMap((g) => [keys.calls(g.id), keys.setups(g.id), keys.inbox(g.id)]),
    callId,
    now,
    OWNER_TTL_SECS,
    envelope,
    now - SETUP_STALE_MS,
    ...candidates.flatMap((g) => [g.id, g.capacity, g.setupBudget ?? 0]),
  ];
}

/**
 * Gives the call to exactly one live gateway with room for it; a full, overloaded or busy (setup
 * budget spent) gateway is passed over for the next one. A retry of the same call (web-tier retry, redelivered webhook) finds the existing
 * owner and does not assign it twice.
 */
export const newReplyKey = () => keys.reply(randomUUID());

export async function assignCall(
  redis: Redis,
  command: Extract<GatewayCommand, { type: "call.assign" | "call.outgoing" }>,
  replyTo?: string,
  /** The registry as this call read it already (registeredGateways); read now without it. */
  registry?: Promise<GatewayInfo[]>,
): Promise<AssignResult> {
  const now = Date.now();
  // A retried call keeps its owner. Without a registry read already, the owner and the registry are
  // asked at once (one round trip); with one, ADMIT finds the owner itself (no round trip of its own).
  const owner = registry ? undefined : redis.get(keys.owner(command.callId));
  const registered = registry ?? registeredGateways(redis, now);
  registered.catch(() => {});
  const existing = await owner;
  if (existing) return { ok: true, gatewayId: existing, reused: true };
  const running = (await registered).filter((g) => !g.draining);
  const candidates = running.filter((g) => !g.overloaded).sort(byLoad);
  if (candidates.length === 0 && registry) {
    const earlier = await redis.get(keys.owner(command.callId));
    if (earlier) return { ok: true, gatewayId: earlier, reused: true };
  }
  if (candidates.length === 0 && running.length > 0) {
    const n = running.length;
    return {
      ok: false,
      reason: `Every live media gateway is overloaded (${n} gateway${n === 1 ? "" : "s"} whose event loop runs too late to send audio on time)`,
    };
  }
  if (candidates.length === 0) return { ok: false, reason: NO_GATEWAY };
  const envelope: Envelope = { id: randomUUID(), sentAt: now, replyTo, command };
  const [outcome, gatewayId] = (await redis.eval(ADMIT, ...admission(candidates, command.callId, now, JSON.stringify(envelope)))) as [string, string?];
  if (outcome === "busy") return { ok: false, reason: busyReason(candidates) };
  if (outcome === "full") return { ok: false, reason: fullReason(candidates) };
  return { ok: true, gatewayId: gatewayId!, reused: outcome === "reused" };
}

const gateways = (n: number) => `${n} gateway${n === 1 ? "" : "s"}`;
function busyReason(candidates: GatewayInfo[]) {
  const budget = candidates.reduce((s, g) => s + (g.setupBudget ?? 0), 0);
  return `Every live media gateway is setting up as many calls as it can at once (${gateways(candidates.length)}, ${budget} call${budget === 1 ? "" : "s"} in setup)`;
}
function fullReason(candidates: GatewayInfo[]) {
  return `Every live media gateway is at capacity (${gateways(candidates.length)}, ${candidates.reduce((s, g) => s + g.capacity, 0)} calls)`;
}

/**
 * Why assignCall would turn a call away now because every live gateway is full or has spent its setup
 * budget, or null. It admits nothing (the counts can change the next moment; assignCall stays the one
 * that decides), so that a web tier can reject such a call before it does any other work for it.
 */
export async function noRoomReason(redis: Redis, now = Date.now(), registry = registeredGateways(redis, now)): Promise<string | null> {
  const candidates = (await registry).filter((g) => !g.draining && !g.overloaded);
  if (candidates.length === 0) return null;
  const [outcome] = (await redis.eval(PEEK, ...admission(candidates, "peek", now, ""))) as [string];
  if (outcome === "busy") return busyReason(candidates);
  if (outcome === "full") return fullReason(candidates);
  return null;
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
export async function request(redis: Redis, blocking: Redis, gatewayId: string, command: GatewayCommand, timeoutMs: number): Promise<unknown> {
  const replyKey = keys.reply(randomUUID());
  await sendCommand(redis, gatewayId, command, replyKey);
  return awaitReply(blocking, replyKey, gatewayId, timeoutMs);
}

/** The reply to a command sent with `replyTo: replyKey` (a request, or an assignment that asked for one). */
export async function awaitReply(blocking: Redis, replyKey: string, gatewayId: string, timeoutMs: number): Promise<unknown> {
  const popped = await blocking.blpop(replyKey, Math.max(timeoutMs / 1000, 0.01));
  if (!popped) throw new GatewayTimeoutError(gatewayId, timeoutMs);
  const reply = replySchema.parse(JSON.parse(popped[1]));
  if (!reply.ok) throw new Error(reply.error ?? "Gateway reported a failure");
  return reply.result;
}
