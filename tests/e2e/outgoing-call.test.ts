// Outgoing (business-initiated) calls end to end: a script agent places the call through the
// routes' lib functions, the real gateway sends `connect` to the fake Graph API, and a simulated
// WhatsApp user rings, answers with a real SDP answer, rejects, or never answers. What a person
// would notice: ringback while it rings, both voices once answered, the call log's outcome, and
// Meta's refusals as a sentence with their code.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readOggOpus } from "../../lib/audio/ogg";
import { tonePackets } from "../../tools/wa-sim/tone";
import { fakeGraph } from "../helpers/fake-graph";
import { testDb as db } from "../helpers/test-db";
import { OutgoingRig, RING_TIMEOUT_SECS } from "./outgoing-rig";

const rig = new OutgoingRig();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ringback = new Set(
  readOggOpus(fs.readFileSync(path.resolve(import.meta.dirname, "../../public/audio/ringback.ogg"))).packets.map((p) => p.toString("base64")),
);
const CALLEE_TONE = tonePackets(440, 1);
const AGENT_TONE = tonePackets(1000, 1);
const inSet = (set: Set<string>) => (p: Buffer) => set.has(p.toString("base64"));
const toneSet = (packets: Buffer[]) => new Set(packets.map((p) => p.toString("base64")));

async function until<T>(what: string, fn: () => Promise<T | null | undefined | false> | T | null | undefined | false, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

const ended = (callId: string) => until("the call log to close", async () => ((await rig.call(callId)).endedAt ? rig.call(callId) : null), 20_000);

beforeAll(async () => {
  await rig.start("e2e-out-gw");
}, 60_000);

afterAll(async () => {
  await rig.stop();
  await db.$disconnect();
});

describe("outgoing calls", () => {
  it("rings with ringback, bridges both voices when the contact answers, and ends when the agent hangs up", async () => {
    const { contactId, callee } = await rig.contact();
    const contact = await db.contact.findUniqueOrThrow({ where: { id: contactId } });
    await fakeGraph.setPermission(contact.waId, "granted");
    const agent = rig.agent();
    const res = await agent.call(contactId, rig.accountId);
    expect(res.status, await res.clone().text()).toBe(200);
    const { callId } = (await res.json()) as { callId: string };

    const waCallId = await callee.waitForCall();
    const [connect] = await fakeGraph.find({ action: "connect", to: contact.waId });
    expect(connect!.body).toMatchObject({ messaging_product: "whatsapp", to: contact.waId, biz_opaque_callback_data: callId, session: { sdp_type: "offer" } });
    expect(String((connect!.body!.session as { sdp: string }).sdp)).toMatch(/a=rtpmap:111 opus\/48000\/2[\s\S]*a=rtpmap:126 telephone-event\/8000/);
    // While it rings the agent hears the ringback file's own packets.
    await until("ringback at the agent", () => agent.audio().filter(inSet(ringback)).length >= 25);
    expect((await rig.call(callId)).status).toBe("ringing");
    expect((await rig.call(callId)).waCallId).toBe(waCallId);

    // The agent's page reloads while it rings: the new page finds the call, rejoins and hears the ringback.
    await agent.closeMedia();
    await sleep(700);
    expect(await (await agent.fetch("/api/agent/call")).json()).toMatchObject({ call: { callId, direction: "outgoing", status: "dialing", team: null } });
    const heardBefore = agent.audio().length;
    const again = await agent.rejoin(callId);
    expect(again.status, await again.clone().text()).toBe(200);
    expect(await again.json()).toMatchObject({ callId, status: "dialing", bridgedAt: null });
    await until("ringback at the rejoined page", () => agent.audio().slice(heardBefore).filter(inSet(ringback)).length >= 25);

    await callee.answer();
    callee.talk(CALLEE_TONE);
    agent.talk(AGENT_TONE);
    await until("the callee's voice at the agent", () => agent.audio().filter(inSet(toneSet(CALLEE_TONE))).length >= 25);
    await until("the agent's voice at the callee", () => callee.audio().filter(inSet(toneSet(AGENT_TONE))).length >= 25);
    const live = await rig.call(callId);
    expect(live).toMatchObject({ direction: "outgoing", status: "answered", agentId: rig.agentUserId, contactId });

    expect((await agent.control("hold")).status).toBe(200);
    expect((await rig.call(callId)).status).toBe("on_hold");
    expect((await agent.control("resume")).status).toBe(200);

    // The agent's page reloads: the new page rejoins, and both voices flow again through the new leg.
    await agent.closeMedia();
    await sleep(700);
    const rejoined = await agent.rejoin(callId);
    expect(rejoined.status, await rejoined.clone().text()).toBe(200);
    expect(await rejoined.json()).toMatchObject({ callId, status: "in_call" });
    agent.talk(AGENT_TONE);
    const [heardByCallee, heardByAgent] = [callee.audio().length, agent.audio().length];
    await until(
      "the agent's voice at the callee after the rejoin",
      () =>
        callee
          .audio()
          .slice(heardByCallee)
          .filter(inSet(toneSet(AGENT_TONE))).length >= 25,
    );
    await until(
      "the callee's voice at the agent after the rejoin",
      () =>
        agent
          .audio()
          .slice(heardByAgent)
          .filter(inSet(toneSet(CALLEE_TONE))).length >= 25,
    );

    expect((await agent.control("hangup")).status).toBe(200);
    await fakeGraph.find({ callId: waCallId, action: "terminate" }).then((r) => expect(r.length).toBeGreaterThan(0));
    const done = await ended(callId);
    expect(done).toMatchObject({ direction: "outgoing", status: "completed", disconnectedBy: "agent", error: null });
    expect(done.answeredAt).not.toBeNull();
    await agent.close();
    await callee.close();
  });

  // Meta may send the terminate webhook right behind the rejection; the call must stay "rejected".
  it.each([
    ["alone", false],
    ["with terminate right behind it", true],
  ])("ends as rejected, by the contact, when they decline (%s)", async (_, thenTerminate) => {
    const { contactId, callee } = await rig.contact();
    const contact = await db.contact.findUniqueOrThrow({ where: { id: contactId } });
    await fakeGraph.setPermission(contact.waId, "granted");
    const agent = rig.agent();
    const res = await agent.call(contactId, rig.accountId);
    expect(res.status, await res.clone().text()).toBe(200);
    const { callId } = (await res.json()) as { callId: string };
    await callee.pickUp({ reject: true, afterMs: 300, thenTerminate });
    const done = await ended(callId);
    expect(done).toMatchObject({ status: "rejected", disconnectedBy: "client", error: "The contact declined the call", answeredAt: null });
    await agent.close();
  });

  it("ends as missed after the ring timeout when nobody answers, and terminates at WhatsApp", async () => {
    const { contactId, callee } = await rig.contact();
    const contact = await db.contact.findUniqueOrThrow({ where: { id: contactId } });
    await fakeGraph.setPermission(contact.waId, "granted");
    const agent = rig.agent();
    const res = await agent.call(contactId, rig.accountId);
    expect(res.status).toBe(200);
    const { callId } = (await res.json()) as { callId: string };
    const waCallId = await callee.pickUp({ never: true });
    const done = await ended(callId);
    expect(done).toMatchObject({ status: "missed", disconnectedBy: "system", error: `No answer within ${RING_TIMEOUT_SECS} s` });
    // The log closes first; terminate follows it (the gateway never waits on WhatsApp to log).
    await expect.poll(async () => (await fakeGraph.find({ callId: waCallId, action: "terminate" })).length, { timeout: 5_000 }).toBe(1);
    await agent.close();
  });

  it("refuses an agent offer without Opus with 422 before any call is placed or logged", async () => {
    const { contactId } = await rig.contact();
    const contact = await db.contact.findUniqueOrThrow({ where: { id: contactId } });
    await fakeGraph.setPermission(contact.waId, "granted");
    const agent = rig.agent();
    const res = await agent.call(contactId, rig.accountId, {}, "v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=rtpmap:0 PCMU/8000\r\n");
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/^sdp: The offer has no Opus audio/);
    expect(await db.call.count({ where: { contactId } })).toBe(0);
    await agent.close();
  });

  it("refuses a second call while the agent is still on one, naming who with", async () => {
    const { contactId } = await rig.contact("Carla Dias");
    const contact = await db.contact.findUniqueOrThrow({ where: { id: contactId } });
    await fakeGraph.setPermission(contact.waId, "granted");
    const live = await db.call.create({
      data: {
        orgId: rig.orgId,
        accountId: rig.accountId,
        waCallId: `wacid.live-${Date.now()}`,
        direction: "incoming",
        status: "answered",
        callerPhone: "5511988887777",
        agentId: rig.agentUserId,
      },
    });
    const agent = rig.agent();
    try {
      const res = await agent.call(contactId, rig.accountId);
      expect(res.status).toBe(409);
      expect(((await res.json()) as { error: { message: string } }).error.message).toBe(
        "You are still on a call with +5511988887777; end it before placing another",
      );
      expect(await db.call.count({ where: { contactId } })).toBe(0);
    } finally {
      await db.call.update({ where: { id: live.id }, data: { status: "completed", endedAt: new Date() } });
      await agent.close();
    }
  });

  it("returns Meta's refusal of connect as a sentence with its code, and logs it", async () => {
    const { contactId } = await rig.contact();
    const contact = await db.contact.findUniqueOrThrow({ where: { id: contactId } });
    await fakeGraph.setPermission(contact.waId, "granted");
    await fakeGraph.exhaust("calls_per_day");
    const agent = rig.agent();
    const res = await agent.call(contactId, rig.accountId);
    expect(res.status).toBe(409);
    const body = (await res.json()) as { error: { code: string; message: string; details: { callId: string; metaCode: number } } };
    expect(body.error.code).toBe("whatsapp_refused");
    expect(body.error.message).toBe("The daily limit of business-initiated calls to this contact is reached; try again tomorrow (#138012)");
    const logged = await rig.call(body.error.details.callId);
    expect(logged).toMatchObject({ direction: "outgoing", status: "failed", disconnectedBy: "system" });
    expect(logged.error).toMatch(/^\(#138012\) Business initiated calls limit reached/);
    await agent.close();
  });

  it("asks a contact without permission first; once they grant it, the call goes through", async () => {
    const { contactId, callee } = await rig.contact("Carla Dias");
    const agent = rig.agent();
    const refused = await agent.call(contactId, rig.accountId);
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: { code: string; message: string } }).error).toEqual(
      expect.objectContaining({ code: "permission_required", message: "Carla Dias has not given permission to be called. Ask for permission first." }),
    );
    await agent.closeMedia();

    const asked = await agent.fetch(`/api/contacts/${contactId}/permission-request`, { json: { accountId: rig.accountId } });
    expect(asked.status).toBe(200);
    const contact = await db.contact.findUniqueOrThrow({ where: { id: contactId } });
    expect(contact.callPermission).toBe("requested");
    const [message] = await fakeGraph.find({ to: contact.waId });
    expect(message!.body).toMatchObject({ type: "interactive", interactive: { type: "call_permission_request", action: { name: "call_permission_request" } } });

    const until7Days = Math.floor(Date.now() / 1000) + 7 * 86400;
    await callee.replyToPermissionRequest(true, { expiresAt: until7Days });
    const granted = await db.contact.findUniqueOrThrow({ where: { id: contactId } });
    expect(granted.callPermission).toBe("granted");
    expect(granted.permissionExpiresAt?.getTime()).toBe(until7Days * 1000);

    const res = await agent.call(contactId, rig.accountId);
    expect(res.status, await res.clone().text()).toBe(200);
    const { callId } = (await res.json()) as { callId: string };
    await callee.pickUp({ answer: true });
    await until("the call to connect", async () => (await rig.call(callId)).status === "answered");
    await callee.hangUp();
    const done = await ended(callId);
    expect(done).toMatchObject({ status: "completed", disconnectedBy: "client" });
    await agent.close();
  });

  it("says so in plain words when Meta's daily limit of permission requests is used up", async () => {
    const { contactId } = await rig.contact();
    await fakeGraph.exhaust("permission_requests_per_day");
    const agent = rig.agent();
    const asked = await agent.fetch(`/api/contacts/${contactId}/permission-request`, { json: { accountId: rig.accountId } });
    expect(asked.status).toBe(409);
    expect(((await asked.json()) as { error: { message: string } }).error.message).toBe(
      "The daily limit of call-permission requests to this contact is reached; try again tomorrow (#138009)",
    );
    expect((await db.contact.findUniqueOrThrow({ where: { id: contactId } })).callPermission).toBe("unknown");
  });

  it("turns a missed incoming call into a callback task; calling back from it links the call and closes the task", async () => {
    await rig.useEmptyTeamFlow();
    await db.whatsAppAccount.update({ where: { id: rig.accountId }, data: { missedCallText: "Sorry we missed your call. We will call you back." } });
    const from = `55319${Math.floor(Math.random() * 1e8)}`;
    const caller = rig.caller(from);
    await caller.dial();
    const missed = await until("the missed call to end", () => db.call.findFirst({ where: { waCallId: caller.callId, endedAt: { not: null } } }), 20_000);
    await caller.close();
    const task = await until("the callback task", () => db.callbackTask.findUnique({ where: { missedCallId: missed.id } }));
    expect(task).toMatchObject({ status: "open", reason: "no_agents", contactId: missed.contactId, accountId: rig.accountId });
    const texts = await fakeGraph.find({ to: from });
    expect(texts.map((t) => t.body)).toContainEqual(
      expect.objectContaining({ type: "text", text: { body: "Sorry we missed your call. We will call you back." } }),
    );
    expect(await db.contactActivity.findFirst({ where: { contactId: task.contactId, kind: "missed_call_text" } })).toMatchObject({
      detail: "Sorry we missed your call. We will call you back.",
    });

    await fakeGraph.setPermission(from, "granted");
    const callee = rig.callee(from);
    const agent = rig.agent();
    const res = await agent.call(task.contactId, task.accountId, { callbackTaskId: task.id });
    expect(res.status, await res.clone().text()).toBe(200);
    const { callId } = (await res.json()) as { callId: string };
    expect(await rig.call(callId)).toMatchObject({ direction: "outgoing", callbackTaskId: task.id, contactId: task.contactId });
    expect((await db.callbackTask.findUniqueOrThrow({ where: { id: task.id } })).status).toBe("open");
    await callee.pickUp({ answer: true });
    await until("the task to be done", async () => (await db.callbackTask.findUniqueOrThrow({ where: { id: task.id } })).status === "done");
    expect((await agent.control("hangup")).status).toBe(200);
    await ended(callId);
    await db.whatsAppAccount.update({ where: { id: rig.accountId }, data: { missedCallText: null } });
    await agent.close();
    await callee.close();
  });
});
