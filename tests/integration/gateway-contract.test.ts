// The web ↔ gateway contract over a real Redis (its own database so other tests' gateways don't mix in).
import { spawn } from "node:child_process";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { GatewayAgent } from "../../lib/gateway/agent";
import {
  assignCall,
  GatewayTimeoutError,
  liveGateways,
  noRoomReason,
  notifyOwner,
  registeredGateways,
  request,
  runningGateways,
} from "../../lib/gateway/dispatch";
import { type GatewayInfo, HEARTBEAT_TTL_MS, keys } from "../../lib/gateway/messages";
import { freePort } from "../helpers/free-port";

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

const assign = (callId: string, registry?: Promise<GatewayInfo[]>) =>
  assignCall(
    web,
    {
      type: "call.assign",
      callId,
      waCallId: `wa-${callId}`,
      orgId: "o",
      accountId: "a",
      phoneNumberId: "1",
      flowId: "f",
      callerPhone: "1",
      sdpOffer: "v=0",
      receivedAt: Date.now(),
    },
    undefined,
    registry,
  );

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
    // Running at all (the admin pages' "No media gateway is running" banner): full and draining count.
    expect(await runningGateways(web)).toBe(4);
  });

  it("forgets a gateway whose heartbeat expired", async () => {
    const a = agent("stale");
    await a.heartbeat();
    expect((await liveGateways(web)).map((g) => g.id)).toEqual(["stale"]);
    expect(await liveGateways(web, Date.now() + HEARTBEAT_TTL_MS + 1)).toEqual([]);
    expect(await runningGateways(web, Date.now() + HEARTBEAT_TTL_MS + 1)).toBe(0);
  });
});

describe("call assignment", () => {
  it("passes over an overloaded gateway, and rejects with the reason when every gateway is overloaded", async () => {
    const late = agent("late");
    late.info.overloaded = true;
    await late.start();
    const fine = agent("fine", 5);
    await fine.start();
    expect((await liveGateways(web)).map((g) => g.id)).toEqual(["fine"]);
    expect(await assign("call-late-1")).toEqual({ ok: true, gatewayId: "fine", reused: false });

    // The fine one falls behind too (its next heartbeat says so): nobody takes the call, and the caller is told why.
    fine.info = { ...fine.info, overloaded: true };
    await fine.heartbeat();
    expect(await assign("call-late-2")).toEqual({
      ok: false,
      reason: "Every live media gateway is overloaded (2 gateways whose event loop runs too late to send audio on time)",
    });
    expect(await web.get(keys.owner("call-late-2"))).toBeNull();

    // Caught up: calls flow again.
    late.info = { ...late.info, overloaded: false };
    await late.heartbeat();
    expect(await assign("call-late-3")).toMatchObject({ ok: true, gatewayId: "late" });
  });

  it("with the registry read once for the room check and the assignment, a retried call still keeps its gateway", async () => {
    const a = agent("gw-a");
    const b = agent("gw-b");
    await a.start();
    await b.start();
    const first = await assign("call-r", registeredGateways(web));
    expect(first).toMatchObject({ ok: true, reused: false });
    const owner = first.ok ? first.gatewayId : "";
    // Redelivered: read with gateways alive, and with a registry read when none was left.
    expect(await assign("call-r", registeredGateways(web))).toEqual({ ok: true, gatewayId: owner, reused: true });
    expect(await assign("call-r", Promise.resolve([]))).toEqual({ ok: true, gatewayId: owner, reused: true });
    expect(await assign("call-new", Promise.resolve([]))).toEqual({ ok: false, reason: "No media gateway is available to answer the call" });
    const holder = [a, b].find((g) => g.info.id === owner)!;
    expect((await holder.next(1))?.command).toMatchObject({ type: "call.assign", callId: "call-r" });
    expect(await holder.next(0.1)).toBeNull();
  });

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

  it("hands a gateway every command that queued meanwhile in one read, in order, skipping malformed ones", async () => {
    const invalid: string[] = [];
    const a = new GatewayAgent(
      conn(),
      conn(),
      { id: "gw-batch", host: "h", pid: 1, load: 0, capacity: 100, startedAt: Date.now(), draining: false },
      {
        onInvalidMessage: (raw, why) => invalid.push(`${raw} → ${why}`),
      },
    );
    agents.push(a);
    await a.start();
    for (let i = 0; i < 5; i++) expect((await assign(`burst-${i}`)).ok).toBe(true);
    await web.rpush(keys.inbox("gw-batch"), "{not json", JSON.stringify({ id: "x", command: { type: "nonsense" } }));
    expect(await notifyOwner(web, "burst-0", { type: "call.hangup", callId: "burst-0", waCallId: "x", by: "agent" })).toBe(true);
    const batch = await a.nextBatch(1, 3);
    expect(batch.map((e) => e.command.callId)).toEqual(["burst-0", "burst-1", "burst-2"]);
    const rest = await a.nextBatch(1);
    expect(rest.map((e) => [e.command.type, e.command.callId])).toEqual([
      ["call.assign", "burst-3"],
      ["call.assign", "burst-4"],
      ["call.hangup", "burst-0"],
    ]);
    expect(invalid).toHaveLength(2);
    expect(invalid[0]).toMatch(/^\{not json → not JSON: /);
    expect(invalid[1]).toMatch(/"nonsense".* → .*command/);
    const started = Date.now();
    expect(await a.nextBatch(0.2)).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
  });

  it("reads the inbox one command at a time where Redis has no BLMPOP (before 7.0)", async () => {
    // A Redis of our own without the command, as a 6.2 server answers it.
    const port = await freePort();
    const server = spawn(
      "redis-server",
      ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--rename-command", "BLMPOP", ""],
      {
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    try {
      let log = "";
      await new Promise<void>((ready, failed) => {
        server.stdout.on("data", (d) => {
          log += d;
          if (/ready to accept connections/i.test(log)) ready();
        });
        server.once("exit", (code) => failed(new Error(`redis-server exited with ${code}: ${log}`)));
      });
      const old = () => new Redis({ port, host: "127.0.0.1" });
      const [plain, blocking] = [old(), old()];
      await plain.ping();
      const a = new GatewayAgent(plain, blocking, { id: "gw-old", host: "h", pid: 1, load: 0, capacity: 10, startedAt: Date.now(), draining: false });
      const envelope = (callId: string) =>
        JSON.stringify({ id: callId, sentAt: Date.now(), command: { type: "call.hangup", callId, waCallId: "x", by: "agent" } });
      await plain.rpush(keys.inbox("gw-old"), envelope("one"), envelope("two"));
      expect((await a.nextBatch(1)).map((e) => e.command.callId)).toEqual(["one"]);
      expect((await a.nextBatch(1)).map((e) => e.command.callId)).toEqual(["two"]);
      expect(await a.nextBatch(0.1)).toEqual([]);
      await a.close();
      plain.disconnect();
      blocking.disconnect();
    } finally {
      server.kill();
    }
  });
});

describe("capacity", () => {
  it("passes a full gateway over for the next one, and says so when every gateway is full", async () => {
    const small = agent("gw-small", 0, 2);
    await small.start();
    const results = await Promise.all(["c1", "c2", "c3"].map((id) => assign(id)));
    // Three calls at once against two slots: exactly two are admitted, however the race falls.
    expect(results.filter((r) => r.ok)).toHaveLength(2);
    const refused = results.find((r) => !r.ok);
    expect(refused).toEqual({ ok: false, reason: "Every live media gateway is at capacity (1 gateway, 2 calls)" });
    expect(await web.zcard(keys.calls("gw-small"))).toBe(2);

    const spare = agent("gw-spare", 0, 5);
    await spare.start();
    expect(await assign("c4")).toEqual({ ok: true, gatewayId: "gw-spare", reused: false });
    expect((await spare.next(1))?.command).toMatchObject({ type: "call.assign", callId: "c4" });
  });

  it("admits against the calls a gateway holds, not its last heartbeat, and frees the slot when a call ends", async () => {
    const a = agent("gw-one", 0, 1);
    await a.start();
    expect(await assign("c1")).toMatchObject({ ok: true, gatewayId: "gw-one" });
    expect(await assign("c2")).toMatchObject({ ok: false });
    await a.releaseCall("c1");
    expect(await assign("c2")).toMatchObject({ ok: true, gatewayId: "gw-one" });
  });

  it("releases a call's slot and setup, but leaves its owner key to a gateway that took the call over", async () => {
    const a = agent("gw-old", 0, 1);
    await a.start();
    expect(await assign("moved")).toMatchObject({ ok: true, gatewayId: "gw-old" });
    // Another gateway owns the call now (a takeover after gw-old was declared dead).
    await web.set(keys.owner("moved"), "gw-new");
    await a.releaseCall("moved");
    expect(await web.get(keys.owner("moved"))).toBe("gw-new");
    expect(await web.zcard(keys.calls("gw-old"))).toBe(0);
    expect(await web.zcard(keys.setups("gw-old"))).toBe(0);
    // Its own call's owner key goes with the release.
    expect(await assign("mine")).toMatchObject({ ok: true, gatewayId: "gw-old" });
    await a.releaseCall("mine");
    expect(await web.get(keys.owner("mine"))).toBeNull();
  });

  it("lets a gateway correct the count: slots for calls it does not hold are freed (not ones on their way), lost ones restored", async () => {
    const a = agent("gw-r", 0, 3);
    await a.start();
    await web.zadd(keys.calls("gw-r"), Date.now() - 60_000, "lost", Date.now() - 60_000, "held", Date.now(), "in-flight");
    expect(await a.reconcileCalls(new Set(["held", "forgotten"]))).toEqual({ freed: 1, restored: 1 });
    expect((await web.zrange(keys.calls("gw-r"), 0, -1)).sort()).toEqual(["forgotten", "held", "in-flight"]);
  });

  it("restores owner keys a Redis restart lost, without taking over calls another gateway owns", async () => {
    const a = agent("gw-o", 0, 3);
    await a.start();
    await web.set(keys.owner("theirs"), "gw-other");
    await a.reconcileCalls(new Set(["mine", "theirs"]));
    expect(await web.get(keys.owner("mine"))).toBe("gw-o");
    expect(await web.get(keys.owner("theirs"))).toBe("gw-other");
    expect(await web.ttl(keys.owner("mine"))).toBeGreaterThan(60 * 60);
  });
});

describe("setup budget", () => {
  it("admits no more calls in setup than a gateway's budget, however many race, and rejects the rest with the reason", async () => {
    const a = agent("gw-setup", 0, 100);
    a.info.setupBudget = 3;
    await a.start();
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => assign(`s${i}`)));
    expect(results.filter((r) => r.ok)).toHaveLength(3);
    expect(results.filter((r) => !r.ok)).toEqual(
      Array(5).fill({ ok: false, reason: "Every live media gateway is setting up as many calls as it can at once (1 gateway, 3 calls in setup)" }),
    );
    // Refused calls were never assigned: no owner, no slot, nothing in the inbox for them.
    expect(await web.zcard(keys.calls("gw-setup"))).toBe(3);
    expect(await web.llen(keys.inbox("gw-setup"))).toBe(3);
  });

  it("takes the next call once one is answered (its slot stays held) or ends", async () => {
    const a = agent("gw-setup", 0, 100);
    a.info.setupBudget = 2;
    await a.start();
    expect(await assign("a1")).toMatchObject({ ok: true });
    expect(await assign("a2")).toMatchObject({ ok: true });
    expect(await assign("a3")).toMatchObject({ ok: false });
    await a.setupDone("a1");
    expect(await assign("a3")).toMatchObject({ ok: true, gatewayId: "gw-setup" });
    expect(await web.zcard(keys.calls("gw-setup"))).toBe(3);
    expect(await assign("a4")).toMatchObject({ ok: false });
    await a.releaseCall("a2");
    expect(await assign("a4")).toMatchObject({ ok: true, gatewayId: "gw-setup" });
  });

  it("passes a gateway whose setups are spent over for one with room, and forgets setups never reported done", async () => {
    const busy = agent("gw-busy", 0, 100);
    busy.info.setupBudget = 1;
    await busy.start();
    const other = agent("gw-other", 5, 100);
    other.info.setupBudget = 1;
    await other.start();
    expect(await assign("b1")).toMatchObject({ ok: true, gatewayId: "gw-busy" });
    expect(await assign("b2")).toMatchObject({ ok: true, gatewayId: "gw-other" });
    expect(await assign("b3")).toMatchObject({ ok: false });
    // A setup a minute old whose end was lost (a crashed release) no longer holds the budget.
    await web.zadd(keys.setups("gw-busy"), Date.now() - 61_000, "b1");
    expect(await assign("b3")).toMatchObject({ ok: true, gatewayId: "gw-busy" });
  });

  it("lets a gateway free the setups of calls it does not hold (an earlier process with its id), not ones on their way", async () => {
    const a = agent("gw-setup", 0, 100);
    a.info.setupBudget = 2;
    await a.start();
    await web.zadd(keys.setups("gw-setup"), Date.now() - 40_000, "ghost", Date.now(), "in-flight");
    expect(await assign("g1")).toMatchObject({ ok: false });
    await a.reconcileCalls(new Set());
    expect(await web.zrange(keys.setups("gw-setup"), 0, -1)).toEqual(["in-flight"]);
    expect(await assign("g1")).toMatchObject({ ok: true, gatewayId: "gw-setup" });
  });

  it("tells without admitting anything whether a call would find no room: every gateway full or its setups spent", async () => {
    expect(await noRoomReason(web)).toBeNull(); // no gateway: assignCall says so itself
    const a = agent("gw-room", 0, 2);
    a.info.setupBudget = 1;
    await a.start();
    expect(await noRoomReason(web)).toBeNull();
    expect(await assign("r1")).toMatchObject({ ok: true });
    expect(await noRoomReason(web)).toBe("Every live media gateway is setting up as many calls as it can at once (1 gateway, 1 call in setup)");
    // Read-only: nothing was admitted or changed by asking.
    expect(await web.zcard(keys.calls("gw-room"))).toBe(1);
    expect(await web.llen(keys.inbox("gw-room"))).toBe(1);
    await a.setupDone("r1");
    expect(await noRoomReason(web)).toBeNull();
    expect(await assign("r2")).toMatchObject({ ok: true });
    await a.setupDone("r2");
    expect(await noRoomReason(web)).toBe("Every live media gateway is at capacity (1 gateway, 2 calls)");
    // A second gateway with room: nothing to turn away.
    await agent("gw-room-2", 0, 2).start();
    expect(await noRoomReason(web)).toBeNull();
  });

  it("sets no limit on a gateway that publishes no budget", async () => {
    await agent("gw-free", 0, 100).start();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => assign(`f${i}`)));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(await web.exists(keys.setups("gw-free"))).toBe(0);
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
    await expect(request(web, webBlocking, "gw-silent", { type: "call.answer_sdp", callId: "c", waCallId: "w", sdp: "v=0" }, 300)).rejects.toThrow(
      GatewayTimeoutError,
    );
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await web.llen(keys.inbox("gw-silent"))).toBe(1);
  });
});
