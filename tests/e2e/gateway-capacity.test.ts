// Real gateway processes with small UDP ranges: a gateway takes as many calls as its ports hold,
// the next call is rejected through the Graph API at once (or taken by a second gateway), and a
// call that ends frees its slot. Never a caller left ringing into 20 s of silence.
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keys } from "../../lib/gateway/messages";
import { GatewayProcess } from "../helpers/gateway-process";
import { testDb as db } from "../helpers/test-db";
import { gatewayConfigWithPorts, MenuLineRig } from "./menu-line-rig";

const rig = new MenuLineRig("Capacity", 4e14);
const redis = new Redis(process.env.REDIS_URL!);

// Each gateway's own UDP range: 4 peers, so 2 calls (caller + agent leg each).
const first = new GatewayProcess("cap-gw-1", { CONFIG_FILE: gatewayConfigWithPorts("cap-gw-1", 10300, 10304) });
const second = new GatewayProcess("cap-gw-2", { CONFIG_FILE: gatewayConfigWithPorts("cap-gw-2", 10310, 10314) });
const caller = (from: string) => rig.caller(from);
const ring = (from: string) => rig.ring(from);
const callRow = (waCallId: string) => rig.callRow(waCallId);

beforeAll(async () => {
  await rig.setup();
  await first.start();
});

afterAll(async () => {
  await rig.close();
  await Promise.all([first.kill(), second.kill()]);
  first.saveLog("e2e-capacity-gateway-1");
  second.saveLog("e2e-capacity-gateway-2");
  redis.disconnect();
  await db.$disconnect();
});

describe("a gateway's capacity comes from its UDP ports", () => {
  it("takes as many calls as its ports hold and rejects the next through the Graph API at once", async () => {
    const info = JSON.parse((await redis.get(keys.gateway("cap-gw-1")))!);
    expect(info.capacity).toBe(2);

    const a = caller("5511900001001");
    const b = caller("5511900001002");
    await Promise.all([a.dial(), b.dial()]);
    expect((await callRow(a.callId)).gatewayId).toBe("cap-gw-1");
    expect((await callRow(b.callId)).gatewayId).toBe("cap-gw-1");

    const late = await ring("5511900001003");
    expect(late.deliveredInMs).toBeLessThan(1_000);
    expect(await rig.actions(late.waCallId)).toEqual(["reject"]);
    expect(await callRow(late.waCallId)).toMatchObject({
      status: "rejected",
      disconnectedBy: "system",
      error: "Every live media gateway is at capacity (1 gateway, 2 calls)",
    });
  });

  it("refuses a call itself, at once, when the web tier's count of its calls was lost", async () => {
    const held = await redis.zrange(keys.calls("cap-gw-1"), 0, -1);
    expect(held).toHaveLength(2);
    await redis.del(keys.calls("cap-gw-1"));
    const late = await ring("5511900001004");
    const started = performance.now();
    await expect.poll(async () => await rig.actions(late.waCallId), { timeout: 1_000, interval: 20 }).toEqual(["reject"]);
    expect(performance.now() - started + late.deliveredInMs).toBeLessThan(1_000);
    await expect.poll(async () => (await callRow(late.waCallId)).status).toBe("rejected");
    expect((await callRow(late.waCallId)).error).toBe("Media gateway cap-gw-1 is full (2 of 2 calls)");
    // Put the count back as the gateway's own reconciliation would.
    await redis.zadd(keys.calls("cap-gw-1"), Date.now(), held[0]!, Date.now(), held[1]!);
  });

  it("sends the overflow to a second gateway", async () => {
    await second.start();
    const c = caller("5511900001005");
    await c.dial();
    expect((await callRow(c.callId)).gatewayId).toBe("cap-gw-2");
  });

  it("frees a call's slot and ports when it ends, so the next call is answered", async () => {
    const [a] = rig.dialled;
    await a!.hangUp();
    await expect.poll(() => redis.zcard(keys.calls("cap-gw-1")), { timeout: 5_000 }).toBe(1);
    // Both gateways now hold one call of two: whichever takes the next, it connects.
    const c = caller("5511900001006");
    await c.dial();
    expect(["cap-gw-1", "cap-gw-2"]).toContain((await callRow(c.callId)).gatewayId);
  });
});
