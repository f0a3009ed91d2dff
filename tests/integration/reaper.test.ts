// The reaper ends a dead gateway's calls, but a missed heartbeat is not death: a gateway that comes
// back within the grace period keeps its calls, a gateway never reaps itself, and a gateway reaped
// while it was alive after all learns it (fenced) on its next heartbeat.
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { GatewayAgent } from "../../lib/gateway/agent";
import { keys } from "../../lib/gateway/messages";
import { reapDeadGateways } from "../../lib/gateway/reaper";
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
  await redis.multi().del(keys.gateway(id)).zadd(keys.registry, Date.now() - 1, id).exec();
}

async function openCall(gatewayId: string) {
  return db.call.create({
    data: { orgId: org.id, accountId: account.id, waCallId: `wacid.reaper-${gatewayId}-${Date.now()}`, direction: "incoming", status: "answered", callerPhone: "5511999990000", gatewayId, answeredAt: new Date() },
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
    expect(await reap()).toEqual({ gateways: [], calls: 0 });
    await gw.heartbeat(); // Redis is back: the gateway registers again.
    await sleep(GRACE_MS + 50);
    expect(await reap()).toEqual({ gateways: [], calls: 0 });
    expect((await db.call.findUniqueOrThrow({ where: { id: call.id } })).endedAt).toBeNull();
    expect(await fakeGraph.requests(call.waCallId)).toEqual([]);
  });

  it("reaps a gateway that stays gone past the grace period, and fences it should it be alive after all", async () => {
    const fenced: number[] = [];
    const gw = gateway("gw-dead", (at) => fenced.push(at));
    await gw.heartbeat();
    const call = await openCall("gw-dead");
    await heartbeatsStop("gw-dead");
    expect(await reap()).toEqual({ gateways: [], calls: 0 });
    await sleep(GRACE_MS + 50);
    expect(await reap()).toEqual({ gateways: ["gw-dead"], calls: 1 });
    expect(await db.call.findUniqueOrThrow({ where: { id: call.id } })).toMatchObject({ disconnectedBy: "system", status: "completed", error: "Media gateway gw-dead stopped responding; the call was ended" });
    expect((await fakeGraph.requests(call.waCallId)).map((r) => r.action)).toEqual(["terminate"]);
    // The "dead" gateway was only cut off: its next heartbeat tells it its calls are gone, once.
    await gw.heartbeat();
    await gw.heartbeat();
    expect(fenced).toHaveLength(1);
    expect(Date.now() - fenced[0]!).toBeLessThan(5_000);
  });

  it("never reaps the gateway that runs it", async () => {
    const gw = gateway("gw-self");
    await gw.heartbeat();
    const call = await openCall("gw-self");
    await heartbeatsStop("gw-self");
    expect(await reap("gw-self")).toEqual({ gateways: [], calls: 0 });
    await sleep(GRACE_MS + 50);
    expect(await reap("gw-self")).toEqual({ gateways: [], calls: 0 });
    expect((await db.call.findUniqueOrThrow({ where: { id: call.id } })).endedAt).toBeNull();
  });
});
