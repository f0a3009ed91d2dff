// The reaper ends a dead gateway's calls, but a missed heartbeat is not death: a gateway that comes
// back within the grace period keeps its calls, a gateway never reaps itself, and a gateway reaped
// while it was alive after all learns it (fenced) on its next heartbeat.
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { GatewayAgent } from "../../lib/gateway/agent";
import { keys } from "../../lib/gateway/messages";
import { reapDeadGateways } from "../../lib/gateway/reaper";
import { STUCK_AFTER_MS } from "../../lib/gateway/stuck-calls";
import { createAccount, createOrg } from "../../lib/seed/factories";
import { fakeGraph } from "../helpers/fake-graph";
import { testDb as db } from "../helpers/test-db";

const redis = new Redis("redis://127.0.0.1:6379/10");
const blocking = new Redis("redis://127.0.0.1:6379/10");
const GRACE_MS = 300;
let org: { id: string };
let account: { id: string; phoneNumberId: string };
const TOKEN = "EAAG-reaper-test-token";

beforeAll(async () => {
  await redis.flushdb();
  org = await createOrg(db, { name: "Reaper Org", callingEnabled: true });
  account = await createAccount(db, org.id, { accessToken: TOKEN });
  await fakeGraph.registerAccount(account.phoneNumberId, TOKEN);
});
afterEach(() => redis.flushdb());
afterAll(async () => {
  redis.disconnect();
  blocking.disconnect();
  await db.$disconnect();
});

function gateway(id: string, onFenced?: (at: number) => void) {
  return new GatewayAgent(redis, blocking, { id, host: "h", pid: 1, load: 0, capacity: 10, startedAt: Date.now(), draining: false }, { onFenced });
}

/** What Redis shows when a gateway's heartbeats stop: registration gone, registry score in the past. */
async function heartbeatsStop(id: string) {
  await redis
    .multi()
    .del(keys.gateway(id))
    .zadd(keys.registry, Date.now() - 1, id)
    .exec();
}

async function openCall(gatewayId: string) {
  return db.call.create({
    data: {
      orgId: org.id,
      accountId: account.id,
      waCallId: `wacid.reaper-${gatewayId}-${Date.now()}`,
      direction: "incoming",
      status: "answered",
      callerPhone: "5511999990000",
      gatewayId,
      answeredAt: new Date(),
    },
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const reap = (selfId?: string) => reapDeadGateways(redis, { graceMs: GRACE_MS, selfId });

describe("reaper", () => {
  it("keeps the calls of a gateway whose heartbeat came back within the grace period", async () => {
    const gw = gateway("gw-blip");
    await gw.heartbeat();
    const call = await openCall("gw-blip");
    await heartbeatsStop("gw-blip");
    expect(await reap()).toMatchObject({ gateways: [], calls: 0 });
    await gw.heartbeat(); // Redis is back: the gateway registers again.
    await sleep(GRACE_MS + 50);
    expect(await reap()).toMatchObject({ gateways: [], calls: 0 });
    expect((await db.call.findUniqueOrThrow({ where: { id: call.id } })).endedAt).toBeNull();
    expect(await fakeGraph.requests(call.waCallId)).toEqual([]);
  });

  it("reaps a gateway that stays gone past the grace period, and fences it should it be alive after all", async () => {
    const fenced: number[] = [];
    const gw = gateway("gw-dead", (at) => fenced.push(at));
    await gw.heartbeat();
    const call = await openCall("gw-dead");
    await heartbeatsStop("gw-dead");
    expect(await reap()).toMatchObject({ gateways: [], calls: 0 });
    await sleep(GRACE_MS + 50);
    expect(await reap()).toMatchObject({ gateways: ["gw-dead"], calls: 1 });
    expect(await db.call.findUniqueOrThrow({ where: { id: call.id } })).toMatchObject({
      disconnectedBy: "system",
      status: "completed",
      error: "Media gateway gw-dead stopped responding; the call was ended",
    });
    expect((await fakeGraph.requests(call.waCallId)).map((r) => r.action)).toEqual(["terminate"]);
    // The "dead" gateway was only cut off: its next heartbeat tells it its calls are gone, once.
    await gw.heartbeat();
    await gw.heartbeat();
    expect(fenced).toHaveLength(1);
    expect(Date.now() - fenced[0]!).toBeLessThan(5_000);
  });

  it("ends a call that no gateway ever took once WhatsApp would have stopped ringing, and leaves young or assigned ones", async () => {
    const ago = (ms: number) => new Date(Date.now() - ms);
    const mk = (suffix: string, startedAt: Date, gatewayId: string | null = null) =>
      db.call.create({
        data: {
          orgId: org.id,
          accountId: account.id,
          waCallId: `wacid.stuck-${suffix}-${Date.now()}`,
          direction: "incoming",
          status: "ringing",
          callerPhone: "5511999990001",
          gatewayId,
          startedAt,
        },
      });
    const stuck = await mk("old", ago(STUCK_AFTER_MS + 5_000));
    const young = await mk("young", ago(5_000));
    const held = await mk("held", ago(STUCK_AFTER_MS + 5_000), "gw-alive");
    // Other suites may leave stuck calls of their own in this database; ours must be among those ended.
    expect((await reap()).stuck).toBeGreaterThanOrEqual(1);
    expect(await db.call.findUniqueOrThrow({ where: { id: stuck.id } })).toMatchObject({
      status: "failed",
      disconnectedBy: "system",
      error: expect.stringMatching(/^No media gateway took the call within 6\d s \(the hand-off failed\); it was ended$/),
    });
    expect((await fakeGraph.requests(stuck.waCallId)).map((r) => r.action)).toEqual(["reject"]);
    for (const c of [young, held]) expect((await db.call.findUniqueOrThrow({ where: { id: c.id } })).endedAt).toBeNull();
    await db.call.deleteMany({ where: { id: { in: [young.id, held.id] } } });
  });

  it("never reaps the gateway that runs it", async () => {
    const gw = gateway("gw-self");
    await gw.heartbeat();
    const call = await openCall("gw-self");
    await heartbeatsStop("gw-self");
    expect(await reap("gw-self")).toMatchObject({ gateways: [], calls: 0 });
    await sleep(GRACE_MS + 50);
    expect(await reap("gw-self")).toMatchObject({ gateways: [], calls: 0 });
    expect((await db.call.findUniqueOrThrow({ where: { id: call.id } })).endedAt).toBeNull();
  });
});
