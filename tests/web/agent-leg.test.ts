// The agent-leg contract end to end with no browser: script agents (fetch + their own werift peer)
// take a WhatsApp call through the routes, talk both ways, hold, resume and hang up; ten agents
// accepting at once get exactly one winner.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readOggOpus } from "../../lib/audio/ogg";
import type { ScriptAgent } from "../../tools/agent-sim/agent";
import { tonePackets } from "../../tools/wa-sim/tone";
import { AgentRig } from "../helpers/agent-rig";
import { testDb as db } from "../helpers/test-db";

const rig = new AgentRig();
const holdMusic = readOggOpus(fs.readFileSync(path.resolve(import.meta.dirname, "../../public/audio/hold-music.ogg"))).packets;
const holdSet = new Set(holdMusic.map((p) => p.toString("base64")));
const callerTone = tonePackets(440, 1);
const agentTone = tonePackets(660, 1);
const count = (heard: Buffer[], of: Buffer[]) => {
  const set = new Set(of.map((p) => p.toString("base64")));
  return heard.filter((p) => set.has(p.toString("base64"))).length;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** How many of `tone`'s packets the caller heard from packet `from` on. */
const heardSince = (caller: { heard: { payload: Buffer }[] }, from: number, tone: Buffer[]) =>
  count(
    caller.heard.slice(from).map((p) => p.payload),
    tone,
  );

/** `[calling] agent_lost_secs` for this file's gateway (10 s by default): short, so its waits are too. */
const AGENT_LOST_SECS = 3;

beforeAll(async () => {
  await rig.start({ agents: 10, gatewayId: "web-gw-agents", calling: { agent_lost_secs: AGENT_LOST_SECS } });
  await rig.useFlow(
    [
      { id: "hello", type: "greeting", label: "Welcome", config: { prompt: { text: "Hello." } } },
      { id: "sales", type: "transfer", label: "Sales team", config: { teamId: rig.teamId } },
    ],
    [["hello", "default", "sales"]],
  );
}, 120_000);

afterAll(async () => {
  await rig.stop("web-gateway-agents");
  await db.$disconnect();
});

describe("a script-only agent takes a call through the agent-leg routes", () => {
  let agent: ScriptAgent;

  it("rings, bridges two-way audio, holds with continuous RTP, resumes and hangs up", async () => {
    agent = await rig.signIn(0);
    await agent.setStatus("available");
    const caller = rig.caller("5511987650001");
    await caller.dial();

    const offer = await agent.waitForOffer();
    expect(offer.team).toEqual({ id: rig.teamId, name: "Sales" });
    expect(offer.caller.phone).toBe("5511987650001");
    expect(offer.path.map((s) => `${s.nodeId}:${s.handle ?? "end"}`)).toEqual(["hello:default", "sales:end"]);
    expect(offer.variables).toMatchObject({ caller_phone: "5511987650001" });
    expect(Date.parse(offer.waitingSince)).toBeLessThanOrEqual(Date.now());

    // While it rings, the caller hears the hold music loop.
    await expect.poll(() => count(caller.audio(), holdMusic), { timeout: 10_000 }).toBeGreaterThan(20);

    const res = await agent.accept(offer.transferId);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { callId: string; sdp: string };
    expect(body.sdp).toMatch(/^v=0/);
    expect(await agent.offers()).toEqual([]);

    caller.talk(callerTone);
    agent.talk(agentTone);
    await expect.poll(() => count(caller.audio(), agentTone), { timeout: 10_000 }).toBeGreaterThan(25);
    await expect.poll(() => count(agent.audio(), callerTone), { timeout: 10_000 }).toBeGreaterThan(25);
    await expect.poll(async () => (await rig.callRow(caller.callId)).agentId, { timeout: 5_000 }).toBe(rig.agents[0]!.id);

    // Hold: the caller gets hold music, the agent silence, and nothing crosses the bridge.
    const hold = await agent.control("hold");
    expect(await hold.json()).toEqual({ status: "on_hold" });
    await sleep(150);
    const callerMark = caller.heard.length;
    const agentMark = agent.heard.length;
    await sleep(1_500);
    const heldAudio = caller.heard.slice(callerMark).map((p) => p.payload);
    expect(count(heldAudio, holdMusic)).toBeGreaterThan(40);
    expect(count(heldAudio, agentTone)).toBe(0);
    expect(
      count(
        agent.heard.slice(agentMark).map((h) => h.packet.payload),
        callerTone,
      ),
    ).toBe(0);
    expect((await rig.callRow(caller.callId)).status).toBe("on_hold");

    const resume = await agent.control("resume");
    expect(await resume.json()).toEqual({ status: "in_call" });
    const resumeMark = caller.heard.length;
    await expect.poll(() => heardSince(caller, resumeMark, agentTone), { timeout: 5_000 }).toBeGreaterThan(25);

    // While bridged, the agent's keypad (telephone-event) never reaches the caller; Opus does.
    const dtmf = Buffer.from([0x05, 0x8a, 0x03, 0x20]);
    const marker = Buffer.from([0xfc, 0x01, 0x02, 0x03, 0x04]);
    for (let i = 0; i < 5; i++) await agent.sendOne(dtmf, 110);
    await agent.sendOne(marker, 111);
    await expect.poll(() => caller.heard.some((p) => p.payload.equals(marker)), { timeout: 2_000 }).toBe(true);

    // One continuous stream to the caller through hold music → bridge → hold → bridge.
    const seqs = caller.heard.map((p) => p.header.sequenceNumber);
    const stamps = caller.heard.map((p) => p.header.timestamp);
    const ssrcs = new Set(caller.heard.map((p) => p.header.ssrc));
    expect(ssrcs.size).toBe(1);
    let seqGaps = 0;
    let tsGaps = 0;
    for (let i = 1; i < seqs.length; i++) {
      if ((seqs[i]! - seqs[i - 1]! + 0x10000) % 0x10000 !== 1) seqGaps++;
      if ((stamps[i]! - stamps[i - 1]! + 2 ** 32) % 2 ** 32 !== 960) tsGaps++;
    }
    expect({ seqGaps, tsGaps, packets: seqs.length }).toMatchObject({ seqGaps: 0, tsGaps: 0 });
    expect(holdSet.size).toBeGreaterThan(0);
    expect(caller.heard.some((p) => p.payload.equals(dtmf))).toBe(false);

    const hangup = await agent.control("hangup");
    expect(await hangup.json()).toEqual({ status: "ended" });
    await expect.poll(() => rig.actions(caller.callId), { timeout: 10_000 }).toContain("terminate");
    expect(rig.actions(caller.callId)).toEqual(["pre_accept", "accept", "terminate"]);
    const call = await rig.callRow(caller.callId);
    expect(call).toMatchObject({ status: "completed", disconnectedBy: "agent", agentId: rig.agents[0]!.id, error: null });
    expect(call.transfers).toHaveLength(1);
    expect(call.transfers[0]).toMatchObject({ status: "accepted", acceptedById: rig.agents[0]!.id, offeredTo: [rig.agents[0]!.id] });
    expect((await agent.control("hold")).status).toBe(409);
    await caller.close();
    await agent.close();
  });

  it("lets only the agent on the call control it", async () => {
    const other = await rig.signIn(1);
    const call = await db.call.findFirstOrThrow({ where: { orgId: rig.orgId, agentId: rig.agents[0]!.id } });
    const res = await other.fetch(`/api/calls/${call.id}/hangup`, { method: "POST" });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: "forbidden" } });
  });
});

/** Agent `i` (signed in, available) takes a call from `phone`, answered through the accept route. */
async function takeCall(i: number, phone: string) {
  const agent = await rig.signIn(i);
  await agent.setStatus("available");
  const caller = rig.caller(phone);
  await caller.dial();
  const offer = await agent.waitForOffer();
  const res = await agent.accept(offer.transferId);
  expect(res.status).toBe(200);
  const { callId } = (await res.json()) as { callId: string };
  return { agent, caller, callId };
}

describe("an agent whose browser goes away", () => {
  it("ends the call as the system once the agent's leg has been silent for agent_lost_secs, and terminates at WhatsApp", async () => {
    const { agent, caller } = await takeCall(2, "5511987650003");
    agent.talk(agentTone);
    await expect.poll(() => count(caller.audio(), agentTone), { timeout: 10_000 }).toBeGreaterThan(10);
    const gone = Date.now();
    await agent.closeMedia();
    await expect.poll(() => rig.actions(caller.callId), { timeout: 20_000, interval: 250 }).toContain("terminate");
    const waited = Date.now() - gone;
    expect(waited).toBeGreaterThan(AGENT_LOST_SECS * 1000 - 500);
    const call = await rig.callRow(caller.callId);
    expect(call).toMatchObject({ status: "completed", disconnectedBy: "system", agentId: rig.agents[2]!.id });
    expect(call.error).toMatch(/^The agent left: /);
    await caller.close();
    await agent.close();
  }, 40_000);
});

describe("an agent who reloads the page mid-call", () => {
  it("rejoins from the new page: the bridge moves to the new leg, the caller's stream carries on, and the call outlives the old leg", async () => {
    const { agent: page1, caller, callId } = await takeCall(3, "5511987650004");
    caller.talk(callerTone);
    page1.talk(agentTone);
    await expect.poll(() => count(caller.audio(), agentTone), { timeout: 10_000 }).toBeGreaterThan(10);

    // A second window of the same agent sees the call, but does not take it from a page still talking.
    const page2 = await rig.signIn(3);
    const live = await (await page2.fetch("/api/agent/call")).json();
    expect(live).toEqual({
      call: {
        callId,
        direction: "incoming",
        status: "in_call",
        caller: { phone: "5511987650004", name: "Ana Souza" },
        team: { id: rig.teamId, name: "Sales" },
      },
    });
    const busy = await page2.rejoin(callId);
    expect(busy.status).toBe(409);
    expect(await busy.json()).toMatchObject({ error: { code: "in_use" } });
    const someoneElse = await rig.signIn(4);
    expect((await someoneElse.rejoin(callId)).status).toBe(403);
    expect(await (await someoneElse.fetch("/api/agent/call")).json()).toEqual({ call: null });

    // The first page goes away (a reload); the new page rejoins and both directions flow again.
    const gone = Date.now();
    await page1.closeMedia();
    await sleep(700);
    const res = await page2.rejoin(callId);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ callId, status: "in_call" });
    expect(Date.parse(body.bridgedAt)).toBeLessThan(gone);
    page2.talk(agentTone);
    const mark = caller.heard.length;
    await expect.poll(() => heardSince(caller, mark, agentTone), { timeout: 10_000 }).toBeGreaterThan(25);
    await expect.poll(() => count(page2.audio(), callerTone), { timeout: 10_000 }).toBeGreaterThan(25);

    // Past the time in which a silent leg ends the call, counted from the old page's last packet.
    await sleep(Math.max(0, AGENT_LOST_SECS * 1000 + 1_500 - (Date.now() - gone)));
    expect(rig.actions(caller.callId)).not.toContain("terminate");
    expect((await rig.callRow(caller.callId)).endedAt).toBeNull();
    const late = caller.heard.length;
    await expect.poll(() => heardSince(caller, late, agentTone), { timeout: 5_000 }).toBeGreaterThan(10);
    // One stream to the caller from hold music through both legs.
    expect(new Set(caller.heard.map((p) => p.header.ssrc)).size).toBe(1);

    // On hold, a rejoin says so; the new page controls the call as the first did.
    expect(await (await page2.control("hold")).json()).toEqual({ status: "on_hold" });
    page2.stopTalking();
    await sleep(700);
    const again = await page2.rejoin(callId);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ status: "on_hold" });
    expect(await (await page2.control("resume")).json()).toEqual({ status: "in_call" });
    page2.talk(agentTone);
    const resumed = caller.heard.length;
    await expect.poll(() => heardSince(caller, resumed, agentTone), { timeout: 10_000 }).toBeGreaterThan(10);
    expect(await (await page2.control("hangup")).json()).toEqual({ status: "ended" });
    await expect.poll(() => rig.actions(caller.callId), { timeout: 10_000 }).toContain("terminate");
    expect(await rig.callRow(caller.callId)).toMatchObject({ status: "completed", disconnectedBy: "agent", agentId: rig.agents[3]!.id });
    const ended = await page2.rejoin(callId);
    expect(ended.status).toBe(409);
    expect(await (await page2.fetch("/api/agent/call")).json()).toEqual({ call: null });
    await Promise.all([caller.close(), page1.close(), page2.close(), someoneElse.close()]);
  }, 60_000);
});

describe("an agent whose page is still connecting the call it accepted", () => {
  it("tells a second window the call is in use; a reload of the page takes the call over and connects it", async () => {
    const page1 = await rig.signIn(6);
    await page1.setStatus("available");
    const caller = rig.caller("5511987650006");
    await caller.dial();
    const offer = await page1.waitForOffer();
    // Accepted, but the page's browser has not connected yet (and never will: the page reloads).
    const { res } = await page1.acceptLater(offer.transferId);
    expect(res.status).toBe(200);
    const { callId } = (await res.clone().json()) as { callId: string };
    const page2 = await rig.signIn(6);
    // Another window lists the call it may take over, though no audio is connected anywhere yet.
    expect(await (await page2.fetch("/api/agent/call")).json()).toMatchObject({ call: { callId, direction: "incoming", status: "in_call" } });
    const busy = await page2.rejoin(callId);
    expect(busy.status).toBe(409);
    expect(await busy.json()).toMatchObject({ error: { code: "in_use" } });
    // The reloaded page takes the call: its leg replaces the one still connecting and is bridged.
    const moved = await page2.rejoin(callId, { force: true });
    expect(moved.status).toBe(200);
    expect(await moved.json()).toMatchObject({ callId, status: "in_call" });
    caller.talk(callerTone);
    page2.talk(agentTone);
    await expect.poll(() => count(caller.audio(), agentTone), { timeout: 10_000 }).toBeGreaterThan(10);
    await expect.poll(() => count(page2.audio(), callerTone), { timeout: 10_000 }).toBeGreaterThan(10);
    expect(await rig.callRow(caller.callId)).toMatchObject({ status: "answered", agentId: rig.agents[6]!.id });
    expect(await (await page2.control("hangup")).json()).toEqual({ status: "ended" });
    await Promise.all([caller.close(), page1.close(), page2.close()]);
  }, 40_000);
});

describe("ten agents accepting the same transfer at once", () => {
  it("gives the call to exactly one; the other nine get 409 taken", async () => {
    const agents = await Promise.all(rig.agents.map((_, i) => rig.signIn(i)));
    await Promise.all(agents.map((a) => a.setStatus("available")));
    const caller = rig.caller("5511987650002");
    await caller.dial();
    const offers = await Promise.all(agents.map((a) => a.waitForOffer()));
    const transferId = offers[0]!.transferId;
    expect(new Set(offers.map((o) => o.transferId))).toEqual(new Set([transferId]));
    const sdps = await Promise.all(agents.map((a) => a.createOffer()));

    const results = await Promise.all(agents.map((a, i) => a.accept(transferId, sdps[i])));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 409, 409, 409, 409, 409, 409, 409, 409, 409]);
    const losers = results.filter((r) => r.status === 409);
    for (const r of losers) expect(((await r.json()) as { error: { code: string } }).error.code).toBe("taken");
    const winner = agents[results.findIndex((r) => r.status === 200)]!;
    for (const a of agents) expect(await a.offers()).toEqual([]);

    const transfer = await db.callTransfer.findUniqueOrThrow({ where: { id: transferId } });
    expect(transfer.status).toBe("accepted");
    expect(transfer.offeredTo.sort()).toEqual(rig.agents.map((a) => a.id).sort());

    winner.talk(agentTone);
    await expect.poll(() => count(caller.audio(), agentTone), { timeout: 10_000 }).toBeGreaterThan(10);
    await caller.hangUp();
    await expect.poll(async () => (await rig.callRow(caller.callId)).disconnectedBy, { timeout: 10_000 }).toBe("client");
    await Promise.all(agents.map((a) => a.close()));
  });
});
