// Gateway side of the hand-off: registration with heartbeats, the command inbox and replies.
// The media gateway builds on this; tests use it as a stand-in gateway over a real Redis.
import type { Redis } from "ioredis";
import { type Envelope, envelopeSchema, type GatewayInfo, HEARTBEAT_TTL_MS, keys, OWNER_TTL_SECS } from "./messages";

// A call's release in one round trip: its slot and setup go, and its owner key with them when the
// owner is still this gateway (never another's that took the call over). KEYS: calls set, setups set,
// owner. ARGV: call id, gateway id.
const RELEASE = `
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
if redis.call('GET', KEYS[3]) == ARGV[2] then redis.call('DEL', KEYS[3]) end
return 1
`;

export interface GatewayAgentEvents {
  /** A heartbeat failed (Redis unreachable); called once per outage, not per attempt. */
  onHeartbeatError?: (err: Error) => void;
  /** Heartbeats work again after an outage: the gateway is registered again. */
  onHeartbeatRestored?: (downMs: number) => void;
  /** A reaper declared this gateway dead at `reapedAt` and ended its calls at WhatsApp and in the log. */
  onFenced?: (reapedAt: number) => void;
  /** An inbox message that is not a command this version knows (skipped): what it was, cut short, and why. */
  onInvalidMessage?: (raw: string, why: string) => void;
}

export class GatewayAgent {
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private failingSince: number | null = null;
  /** This Redis has no BLMPOP (before 7.0): the inbox is read with BLPOP. */
  private noBlmpop = false;

  constructor(
    private readonly redis: Redis,
    /** A dedicated connection for blocking reads of the inbox. */
    private readonly blocking: Redis,
    public info: GatewayInfo,
    private readonly events: GatewayAgentEvents = {},
  ) {}

  /** Registers (again, after an outage) and learns whether a reaper fenced us meanwhile. */
  async heartbeat(): Promise<void> {
    const expires = Date.now() + HEARTBEAT_TTL_MS;
    const results = await this.redis
      .multi()
      .set(keys.gateway(this.info.id), JSON.stringify(this.info), "PX", HEARTBEAT_TTL_MS)
      .zadd(keys.registry, expires, this.info.id)
      .getdel(keys.fenced(this.info.id))
      .exec();
    const fenced = results?.[2]?.[1];
    if (typeof fenced === "string") this.events.onFenced?.(Number(fenced));
  }

  private async beat(): Promise<void> {
    try {
      await this.heartbeat();
      if (this.failingSince !== null) this.events.onHeartbeatRestored?.(Date.now() - this.failingSince);
      this.failingSince = null;
    } catch (err) {
      if (this.failingSince === null) this.events.onHeartbeatError?.(err as Error);
      this.failingSince ??= Date.now();
    }
  }

  async start(intervalMs = HEARTBEAT_TTL_MS / 3): Promise<void> {
    await this.heartbeat();
    this.timer = setInterval(() => void this.beat(), intervalMs);
  }

  setLoad(load: number) {
    this.info = { ...this.info, load };
  }

  /** Next command, or null after `waitSecs` without one. Invalid messages are skipped. */
  async next(waitSecs = 1): Promise<Envelope | null> {
    if (this.closed) return null;
    const popped = await this.blocking.blpop(keys.inbox(this.info.id), waitSecs);
    return popped ? this.parse(popped[1]) : null;
  }

  /**
   * The commands waiting, up to `max` and in order, after waiting up to `waitSecs` for the first; none
   * after that. One BLMPOP: commands that queued while this process was busy (a burst of calls, a
   * garbage collection) start in one turn of its event loop, not one turn each (a BLPOP per command).
   * Redis before 7.0 has no BLMPOP: then one command at a time, with BLPOP.
   */
  async nextBatch(waitSecs = 1, max = 64): Promise<Envelope[]> {
    if (this.closed) return [];
    if (!this.noBlmpop) {
      try {
        const popped = (await this.blocking.blmpop(waitSecs, 1, keys.inbox(this.info.id), "LEFT", "COUNT", max)) as [string, string[]] | null;
        return (popped?.[1] ?? []).map((raw) => this.parse(raw)).filter((e) => e !== null);
      } catch (err) {
        if (!/unknown command/i.test((err as Error).message)) throw err;
        this.noBlmpop = true;
      }
    }
    const one = await this.next(waitSecs);
    return one ? [one] : [];
  }

  private parse(raw: string): Envelope | null {
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (err) {
      this.events.onInvalidMessage?.(raw.slice(0, 200), `not JSON: ${(err as Error).message}`);
      return null;
    }
    const parsed = envelopeSchema.safeParse(json);
    if (!parsed.success) this.events.onInvalidMessage?.(raw.slice(0, 200), parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
    return parsed.success ? parsed.data : null;
  }

  async reply(envelope: Envelope, result: { ok: true; result?: unknown } | { ok: false; error: string }) {
    if (!envelope.replyTo) return;
    await this.redis
      .multi()
      .rpush(envelope.replyTo, JSON.stringify({ id: envelope.id, ...result }))
      .expire(envelope.replyTo, 60)
      .exec();
  }

  /** The call is answered (or gone): it no longer counts against the setup budget. */
  async setupDone(callId: string) {
    await this.redis.zrem(keys.setups(this.info.id), callId);
  }

  /** The call has ended here: its slot is free for the next call and nobody routes to us for it. */
  async releaseCall(callId: string) {
    await this.redis.eval(RELEASE, 3, keys.calls(this.info.id), keys.setups(this.info.id), keys.owner(callId), callId, this.info.id);
  }

  /**
   * Makes the web tier's count of our calls true again: slots for calls we do not hold are freed
   * (a release that failed, an earlier process with the same id; recent ones may still be on their
   * way in the inbox), and calls we hold but the count lost (a Redis failover) are counted again,
   * with their owner keys (never taking over a call another gateway owns).
   */
  async reconcileCalls(held: ReadonlySet<string>, olderThanMs = 30_000): Promise<{ freed: number; restored: number }> {
    const key = keys.calls(this.info.id);
    const stale = (await this.redis.zrangebyscore(key, "-inf", Date.now() - olderThanMs)).filter((id) => !held.has(id));
    if (stale.length) await this.redis.zrem(key, ...stale);
    // Setups of calls we do not hold (an earlier process with the same id) would hold the setup budget.
    const setups = keys.setups(this.info.id);
    const staleSetups = (await this.redis.zrangebyscore(setups, "-inf", Date.now() - olderThanMs)).filter((id) => !held.has(id));
    if (staleSetups.length) await this.redis.zrem(setups, ...staleSetups);
    const restored = held.size ? await this.redis.zadd(key, "NX", ...[...held].flatMap((id) => [Date.now(), id])) : 0;
    // Owner keys a Redis restart lost: without them agent commands (hold, hang up) find no gateway.
    if (held.size) {
      const owners = this.redis.multi();
      for (const callId of held) owners.set(keys.owner(callId), this.info.id, "EX", OWNER_TTL_SECS, "NX");
      await owners.exec();
    }
    return { freed: stale.length, restored: Number(restored) };
  }

  /** Stops heartbeats and leaves the registry; idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    await this.redis.multi().del(keys.gateway(this.info.id), keys.calls(this.info.id), keys.setups(this.info.id)).zrem(keys.registry, this.info.id).exec();
  }
}
