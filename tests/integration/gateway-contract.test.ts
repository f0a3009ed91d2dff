// The web ↔ gateway contract over a real Redis (its own database so other tests' gateways don't mix in).
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { GatewayAgent } from "../../lib/gateway/agent";
import { assignCall, GatewayTimeoutError, liveGateways, notifyOwner, request } from "../../lib/gateway/dispatch";
import { HEARTBEAT_TTL_MS, keys } from "../../lib/gateway/messages";

const URL_ = "redis://127.0.0.1:6379/7";
const conns: Redis[] = [];
const conn = () => {
  const r = new Redis(URL_);
  conns.push(r);
  return r;
};
const web = conn();
const webBlocking = conn();
const agents: GatewayAgent[] = [];

function agent(id: string, load = 0, capacity = 10) {
  const a = new GatewayAgent(conn(), conn(), { id, host: "h", pid: 1, load, capacity, startedAt: Date.now(), draining: false });
  agents.push(a);
  return a;
}

const assign = (callId: string) =>
  assignCall(web, {
    type: "call.assign", callId, waCallId: `wa-${callId}`, orgId: "o", accountId: "a", phoneNumberId: "1",
    flowId: "f", callerPhone: "1", sdpOffer: "v=0", receivedAt: Date.now(),
  });

beforeAll(() => web.flushdb());
afterEach(async () => {
  for (const a of agents.splice(0)) await a.close();
  await web.flushdb();
});
afterAll(() => {
  for (const c of conns) c.disconnect();
});

describe("gateway registry", () => {
  it("lists live gateways least-loaded first and skips full or draining ones", async () => {
    await agent("busy", 8).start();
    await agent("idle", 1).start();
    await agent("full", 10).start();
    const draining = agent("draining");
    draining.info.draining = true;
    await draining.start();
    expect((await liveGateways(web)).map((g) => g.id)).toEqual(["idle", "busy"]);
  });

  it("forgets a gateway whose heartbeat expired", async () => {
    const a = agent("stale");
    await a.heartbeat();
    expect((await liveGateways(web)).map((g) => g.id)).toEqual(["stale"]);
    expect(await liveGateways(web, Date.now() + HEARTBEAT_TTL_MS + 1)).toEqual([]);
  });
});

describe("call assignment", () => {
  it("gives a call to exactly one gateway even when the web tier retries concurrently", async () => {
    const a = agent("gw-a");
    const b = agent("gw-b");
    await a.start();
    await b.start();
    const results = await Promise.all(Array.from({ length: 8 }, () => assign("call-1")));
    const owners = new Set(results.map((r) => (r.ok ? r.gatewayId : "none")));
    expect(owners.size).toBe(1);
    expect(results.filter((r) => r.ok && !r.reused)).toHaveLength(1);
    const owner = [a, b].find((g) => g.info.id === [...owners][0])!;
    const other = owner === a ? b : a;
    expect((await owner.next(1))?.command.type).toBe("call.assign");
    expect(await owner.next(0.1)).toBeNull();
    expect(await other.next(0.1)).toBeNull();
  });

  it("says so when no gateway is alive", async () => {
    expect(await assign("call-2")).toEqual({ ok: false, reason: "No media gateway is available to answer the call" });
  });

  it("sends later commands to the owner only", async () => {
    const a = agent("gw-a");
    await a.start();
    await assign("call-3");
    await a.next(1);
    expect(await notifyOwner(web, "call-3", { type: "call.hangup", callId: "call-3", waCallId: "x", by: "agent" })).toBe(true);
    expect((await a.next(1))?.command).toMatchObject({ type: "call.hangup", by: "agent" });
    await a.releaseCall("call-3");
    expect(await notifyOwner(web, "call-3", { type: "call.hangup", callId: "call-3", waCallId: "x", by: "agent" })).toBe(false);
  });
});

describe("request/reply", () => {
  it("returns the gateway's answer", async () => {
    const a = agent("gw-r");
    await a.start();
    const pending = request(web, webBlocking, "gw-r", { type: "call.answer_sdp", callId: "c", waCallId: "w", sdp: "v=0" }, 2_000);
    const env = await a.next(1);
    await a.reply(env!, { ok: true, result: { answer: "v=0 answer" } });
    expect(await pending).toEqual({ answer: "v=0 answer" });
  });

  it("surfaces a gateway's failure and times out when nobody answers", async () => {
    const a = agent("gw-r");
    await a.start();
    const failing = request(web, webBlocking, "gw-r", { type: "call.answer_sdp", callId: "c", waCallId: "w", sdp: "v=0" }, 2_000).catch((e: Error) => e);
    await a.reply((await a.next(1))!, { ok: false, error: "peer closed" });
    expect(((await failing) as Error).message).toBe("peer closed");
    const started = Date.now();
    await expect(request(web, webBlocking, "gw-silent", { type: "call.answer_sdp", callId: "c", waCallId: "w", sdp: "v=0" }, 300)).rejects.toThrow(GatewayTimeoutError);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await web.llen(keys.inbox("gw-silent"))).toBe(1);
  });
});
