// A gateway that falls behind (here: stopped outright for 1.5 s, as a starved or paused process is)
// rejects the calls it could only answer late (`[gateway] setup_deadline_ms`) instead of answering
// them seconds after they rang, and answers the next call normally once it has caught up. It runs at
// its configured scheduling priority (`[gateway] nice`), so that it falls behind less on a shared host.
import os from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GatewayProcess } from "../helpers/gateway-process";
import { testDb as db } from "../helpers/test-db";
import { gatewayConfigWithPorts, MenuLineRig } from "./menu-line-rig";

const DEADLINE_MS = 1000;
const rig = new MenuLineRig("Stall", 5e14);
const gateway = new GatewayProcess("stall-gw", {
  CONFIG_FILE: gatewayConfigWithPorts("stall-gw", 10320, 10339),
  GATEWAY_SETUP_DEADLINE_MS: String(DEADLINE_MS),
  GATEWAY_NICE: "-5",
});
const actions = (waCallId: string) => rig.actions(waCallId);

beforeAll(async () => {
  await rig.setup();
  await gateway.start();
});

afterAll(async () => {
  gateway.child?.kill("SIGCONT");
  await rig.close();
  await gateway.kill();
  gateway.saveLog("e2e-stall-gateway");
  await db.$disconnect();
});

describe("a gateway that fell behind", () => {
  it("runs ahead of other work at its configured priority, or says why it cannot", () => {
    if (process.getuid?.() === 0) expect(os.getPriority(gateway.child!.pid!)).toBe(-5);
    else expect(gateway.output).toContain("could not set the gateway's scheduling priority");
  });

  it("answers calls as usual while it keeps up, the first one included (warmed up before it registered)", async () => {
    // Logged before it registered, but its stdout may reach us a moment after the registration does.
    await expect.poll(() => gateway.output).toMatch(/warm-up call done/);
    const c = rig.caller("5511900002001");
    await c.dial();
    await expect.poll(() => actions(c.callId)).toEqual(["pre_accept", "accept"]);
  });

  it("rejects the calls that rang while it was stopped, at once when it resumes, and answers the next one", async () => {
    const pid = gateway.child!.pid!;
    process.kill(pid, "SIGSTOP");
    const rang: string[] = [];
    try {
      for (const from of ["5511900002002", "5511900002003"]) rang.push((await rig.ring(from)).waCallId);
      await new Promise((r) => setTimeout(r, DEADLINE_MS + 500));
    } finally {
      process.kill(pid, "SIGCONT");
    }
    const resumed = performance.now();
    for (const waCallId of rang) {
      await expect.poll(() => actions(waCallId), { timeout: 2_000, interval: 20 }).toEqual(["reject"]);
      await expect.poll(async () => (await rig.callRow(waCallId)).status, { timeout: 2_000 }).toBe("rejected");
      const row = await rig.callRow(waCallId);
      expect(row.disconnectedBy).toBe("system");
      expect(row.error).toMatch(/^The media gateway could not answer within 1000 ms of the call \(\d+ ms had passed; it is overloaded\)$/);
    }
    // Told within a second of the gateway running again, not after a 20 s wait for media.
    expect(performance.now() - resumed).toBeLessThan(1_000);

    const next = rig.caller("5511900002004");
    await next.dial();
    await expect.poll(() => actions(next.callId)).toEqual(["pre_accept", "accept"]);
  });
});
