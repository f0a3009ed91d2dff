// A real gateway process that sets up one call at a time (`[gateway] setup_budget = 1`): while a call
// is being set up, the next one is rejected by the web tier at once, with the reason in the call log;
// an answered call, or a setup that fails, gives the budget back, and the next call is answered.
import fs from "node:fs";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keys } from "../../lib/gateway/messages";
import { GatewayProcess } from "../helpers/gateway-process";
import { testDb as db } from "../helpers/test-db";
import { gatewayConfigWithPorts, MenuLineRig } from "./menu-line-rig";

const rig = new MenuLineRig("Budget", 6e14);
const redis = new Redis(process.env.REDIS_URL!);
const config = gatewayConfigWithPorts("budget-gw", 10340, 10359);
// A call whose caller never connects media gives up after 2 s instead of the default 20.
fs.appendFileSync(config, "setup_budget = 1\nanswer_timeout_secs = 2\n");
const gateway = new GatewayProcess("budget-gw", { CONFIG_FILE: config });
const setups = () => redis.zcard(keys.setups("budget-gw"));

beforeAll(async () => {
  await rig.setup();
  await gateway.start();
});

afterAll(async () => {
  await rig.close();
  await gateway.kill();
  gateway.saveLog("e2e-setup-budget-gateway");
  redis.disconnect();
  await db.$disconnect();
});

describe("a gateway's setup budget", () => {
  it("is published in the gateway's registration", async () => {
    expect(JSON.parse((await redis.get(keys.gateway("budget-gw")))!)).toMatchObject({ setupBudget: 1 });
  });

  it("is given back when a call is answered: the call stays up, the next one is taken", async () => {
    const a = rig.caller("5511900003001");
    await a.dial();
    await expect.poll(() => rig.actions(a.callId)).toEqual(["pre_accept", "accept"]);
    await expect.poll(setups).toBe(0);
    expect(await redis.zscore(keys.calls("budget-gw"), (await rig.callRow(a.callId)).id)).not.toBeNull();
  });

  it("rejects a call at once, before any gateway sees it, while another is being set up", async () => {
    // Rung without a media peer: the gateway pre_accepts and waits for ICE, so the call stays in setup.
    const pending = await rig.ring("5511900003002");
    await expect.poll(() => rig.actions(pending.waCallId)).toEqual(["pre_accept"]);
    expect(await setups()).toBe(1);

    const next = await rig.ring("5511900003003");
    expect(next.deliveredInMs).toBeLessThan(1_000);
    expect(await rig.actions(next.waCallId)).toEqual(["reject"]);
    expect(await rig.callRow(next.waCallId)).toMatchObject({
      status: "rejected",
      disconnectedBy: "system",
      gatewayId: null,
      error: "Every live media gateway is setting up as many calls as it can at once (1 gateway, 1 call in setup)",
    });

    // The stalled setup fails (no ICE within 2 s) and is rejected; the budget is free again.
    await expect.poll(() => rig.actions(pending.waCallId), { timeout: 5_000 }).toEqual(["pre_accept", "reject"]);
    expect(await rig.callRow(pending.waCallId)).toMatchObject({ status: "failed", disconnectedBy: "system" });
    expect((await rig.callRow(pending.waCallId)).error).toMatch(/^Answering failed: /);
    await expect.poll(setups).toBe(0);

    const c = rig.caller("5511900003004");
    await c.dial();
    await expect.poll(() => rig.actions(c.callId)).toEqual(["pre_accept", "accept"]);
  });
});
