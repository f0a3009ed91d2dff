// A caller waits for a team only while someone can still answer: when every agent who was rung
// declines, or the last available agent steps away, the caller leaves the queue within seconds
// (the node's no_answer output, `transfer_result` saying why) instead of holding until the timeout.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScriptAgent } from "../../tools/agent-sim/agent";
import { AgentRig } from "../helpers/agent-rig";
import { testDb as db } from "../helpers/test-db";

const rig = new AgentRig();
/** Far longer than the test waits: anything that ends the wait here is the recheck, not the timeout. */
const TIMEOUT_SECS = 120;
const steps = async (waCallId: string) => (await rig.callRow(waCallId)).steps.map((s) => `${s.nodeId}:${s.handle ?? "end"}`);
let ana: ScriptAgent;
let ben: ScriptAgent;

beforeAll(async () => {
  await rig.start({ agents: 2, gatewayId: "web-gw-nobody-left", calling: { transfer_timeout_secs: TIMEOUT_SECS } });
  await rig.useFlow(
    [
      { id: "sales", type: "transfer", label: "Sales team", config: { teamId: rig.teamId } },
      { id: "later", type: "hangup", label: "Call back later", config: { prompt: { text: "Please call back later." } } },
    ],
    [["sales", "no_answer", "later"]],
  );
  [ana, ben] = await Promise.all([rig.signIn(0), rig.signIn(1)]);
}, 120_000);

afterAll(async () => {
  await rig.stop("web-gateway-nobody-left");
  await db.$disconnect();
});

describe("nobody left to answer", () => {
  it("keeps the caller waiting while one agent declines, and lets them go once every agent rung has declined", async () => {
    await Promise.all([ana.setStatus("available"), ben.setStatus("available")]);
    const caller = rig.caller();
    await caller.dial();
    const offer = await ana.waitForOffer();
    expect((await ana.fetch(`/api/transfers/${offer.transferId}/decline`, { method: "POST" })).status).toBe(204);
    // Ben can still answer: several checks later the caller is still waiting for him.
    await new Promise((r) => setTimeout(r, 7_000));
    expect(await steps(caller.callId)).toEqual(["sales:end"]);
    expect((await ben.offers()).map((o) => o.transferId)).toEqual([offer.transferId]);

    const started = Date.now();
    expect((await ben.fetch(`/api/transfers/${offer.transferId}/decline`, { method: "POST" })).status).toBe(204);
    await expect.poll(() => steps(caller.callId), { timeout: 20_000 }).toEqual(["sales:end", "sales:no_answer", "later:end"]);
    const waited = Date.now() - started;
    const call = await rig.callRow(caller.callId);
    expect(call.transfers[0]).toMatchObject({ status: "timed_out", endReason: "declined" });
    expect(call.steps[1]?.variables).toEqual({ transfer_result: "declined" });
    // The team gets a task to call them back, saying why.
    expect(await db.callbackTask.findUnique({ where: { missedCallId: call.id }, select: { reason: true } })).toEqual({ reason: "declined" });
    console.log(`caller left the queue ${waited} ms after the last decline (transfer timeout ${TIMEOUT_SECS} s)`);
    await caller.close();
  });

  it("keeps a queued caller waiting while the only agent is on another call (they will be free)", async () => {
    await Promise.all([ana.setStatus("available"), ben.setStatus("offline")]);
    const first = rig.caller();
    const second = rig.caller();
    await first.dial();
    const offer = await ana.waitForOffer();
    await second.dial();
    await expect.poll(async () => (await ana.offers()).length, { timeout: 15_000 }).toBe(2);
    expect((await ana.accept(offer.transferId)).status).toBe(200);
    await expect.poll(async () => (await rig.callRow(first.callId)).status, { timeout: 15_000 }).toBe("answered");
    // Several checks later the second caller still waits for Ana.
    await new Promise((r) => setTimeout(r, 7_000));
    expect(await steps(second.callId)).toEqual(["sales:end"]);
    expect((await rig.callRow(second.callId)).transfers[0]?.status).toBe("waiting");
    expect((await ana.control("hangup")).status).toBe(200);
    await Promise.all([first.close(), second.hangUp().then(() => second.close())]);
    await ana.closeMedia();
  });

  it("lets the caller go when the only available agent steps away while they wait", async () => {
    await Promise.all([ana.setStatus("available"), ben.setStatus("offline")]);
    const caller = rig.caller();
    await caller.dial();
    await ana.waitForOffer();
    await ana.setStatus("away");
    await expect.poll(() => steps(caller.callId), { timeout: 20_000 }).toEqual(["sales:end", "sales:no_answer", "later:end"]);
    const call = await rig.callRow(caller.callId);
    expect(call.transfers[0]).toMatchObject({ status: "timed_out", endReason: "no_agents" });
    expect(call.steps[1]?.variables).toEqual({ transfer_result: "no_agents" });
    await caller.close();
  });
});
