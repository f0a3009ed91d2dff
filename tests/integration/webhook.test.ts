import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import pg from "pg";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { config } from "../../lib/config";
import { GatewayAgent } from "../../lib/gateway/agent";
import { keys } from "../../lib/gateway/messages";
import { createAccount, createFlow, createOrg, createTeam } from "../../lib/seed/factories";
import { signBody } from "../../lib/whatsapp/signature";
import { rejectIncomingCall } from "../../lib/calls/reject-incoming";
import { logger } from "../../lib/log";
import { graphClientFor } from "../../lib/whatsapp/account-client";
import { noteStoreWait, rejectEarly } from "../../lib/whatsapp/webhook/early-reject";
import { handleIncomingConnect } from "../../lib/whatsapp/webhook/incoming-call";
import { receiveWebhook } from "../../lib/whatsapp/webhook/receive";
import { verifyWebhookSubscription } from "../../lib/whatsapp/webhook/verify";
import { connectPayload, type Line, newCallId, permissionReplyPayload, sampleOffer, statusPayload, terminatePayload } from "../../tools/wa-sim/payloads";
import { fakeGraph } from "../helpers/fake-graph";
import { testDb as db } from "../helpers/test-db";

const APP_SECRET = "webhook-test-app-secret";
const TOKEN = `EAAG-webhook-${randomBytes(4).toString("hex")}`;
let org: { id: string };
let line: Line & { accountId: string; verifyToken: string };
const redisA = new Redis(process.env.REDIS_URL!);
const redisB = new Redis(process.env.REDIS_URL!);
let gateway: GatewayAgent | null = null;

async function deliver(body: unknown, secret: string | null = APP_SECRET) {
  const raw = Buffer.from(JSON.stringify(body));
  const r = await receiveWebhook(raw, secret ? signBody(raw, secret) : null);
  await r.process();
  return r;
}

const callRow = (waCallId: string) => db.call.findUnique({ where: { accountId_waCallId: { accountId: line.accountId, waCallId } } });
const caller = () =>
  `55119${Math.floor(Math.random() * 1e8)
    .toString()
    .padStart(8, "0")}`;

async function startGateway(setupBudget?: number) {
  gateway = new GatewayAgent(redisA, redisB, {
    id: `gw-test-${randomBytes(3).toString("hex")}`,
    host: "test",
    pid: process.pid,
    load: 0,
    capacity: 10,
    startedAt: Date.now(),
    draining: false,
    setupBudget,
  });
  await gateway.start();
  return gateway;
}

beforeAll(async () => {
  org = await createOrg(db, { name: "Webhook Org", callingEnabled: true });
  const team = await createTeam(db, org.id, "Support");
  const phoneNumberId = `1065${Date.now()}`.slice(0, 15);
  const account = await createAccount(db, org.id, {
    phoneNumberId,
    displayPhone: "15550001111",
    appSecret: APP_SECRET,
    accessToken: TOKEN,
    verifyToken: "webhook-verify-token",
  });
  await createFlow(db, org.id, { accountId: account.id, teamId: team.id });
  line = { phoneNumberId, displayPhone: "15550001111", accountId: account.id, verifyToken: account.verifyToken };
  await fakeGraph.registerAccount(phoneNumberId, TOKEN);
});

beforeEach(async () => {
  await startGateway();
});

afterEach(async () => {
  await gateway?.close();
  gateway = null;
});

afterAll(async () => {
  redisA.disconnect();
  redisB.disconnect();
  await db.$disconnect();
});

describe("webhook signature", () => {
  it("rejects a forged signature with 401 and stores nothing", async () => {
    const callId = newCallId();
    const r = await deliver(connectPayload(line, { callId, from: caller(), sdp: sampleOffer() }), "not-the-app-secret");
    expect(r.status).toBe(401);
    expect(await db.webhookEvent.count({ where: { dedupeKey: { contains: callId } } })).toBe(0);
    expect(await callRow(callId)).toBeNull();
  });

  it("rejects a missing signature with 401", async () => {
    const r = await deliver(connectPayload(line, { callId: newCallId(), from: caller(), sdp: sampleOffer() }), null);
    expect(r.status).toBe(401);
  });

  it("acknowledges and ignores an unknown phone_number_id", async () => {
    const callId = newCallId();
    const r = await deliver(connectPayload({ phoneNumberId: "999000999000999", displayPhone: "1" }, { callId, from: caller(), sdp: sampleOffer() }));
    expect(r).toMatchObject({ status: 200, body: { ignored: "unknown phone_number_id" } });
    expect(await db.webhookEvent.count({ where: { dedupeKey: { contains: callId } } })).toBe(0);
  });

  it("answers Meta's verification handshake only for a known verify token", async () => {
    expect(await verifyWebhookSubscription("subscribe", line.verifyToken, "12345")).toBe("12345");
    expect(await verifyWebhookSubscription("subscribe", "wrong", "12345")).toBeNull();
    expect(await verifyWebhookSubscription("unsubscribe", line.verifyToken, "12345")).toBeNull();
  });
});

describe("incoming calls", () => {
  it("logs a ringing call, saves the contact and assigns it to one live gateway", async () => {
    const callId = newCallId();
    const from = caller();
    const r = await deliver(connectPayload(line, { callId, from, name: "Ana Souza", sdp: sampleOffer() }));
    expect(r.status).toBe(200);
    const call = await callRow(callId);
    expect(call).toMatchObject({ status: "ringing", direction: "incoming", callerPhone: from, gatewayId: gateway!.info.id });
    const contact = await db.contact.findUnique({ where: { orgId_waId: { orgId: org.id, waId: from } } });
    expect(contact?.name).toBe("Ana Souza");
    const cmd = await gateway!.next(1);
    expect(cmd?.command).toMatchObject({ type: "call.assign", callId: call!.id, waCallId: callId, sdpOffer: sampleOffer() });
    expect(await redisA.get(keys.owner(call!.id))).toBe(gateway!.info.id);
  });

  it("hands the gateway the webhook's arrival time, so its setup deadline counts the web tier's delay", async () => {
    const callId = newCallId();
    const before = Date.now();
    const raw = Buffer.from(JSON.stringify(connectPayload(line, { callId, from: caller(), sdp: sampleOffer() })));
    const r = await receiveWebhook(raw, signBody(raw, APP_SECRET));
    await new Promise((res) => setTimeout(res, 200));
    await r.process();
    const cmd = (await gateway!.next(1))?.command;
    expect(cmd).toMatchObject({ type: "call.assign", waCallId: callId });
    expect(cmd!.type === "call.assign" && cmd!.receivedAt).toBeGreaterThanOrEqual(before);
    expect(cmd!.type === "call.assign" && cmd!.receivedAt).toBeLessThan(before + 150);
  });

  it("rejects at once, without a gateway, a call it got to too late to be answered within the setup deadline", async () => {
    // The suite runs with no deadline (a starved CI machine must not turn calls away): 1 s for this test.
    const gatewayConfig = config().gateway;
    const saved = gatewayConfig.setup_deadline_ms;
    gatewayConfig.setup_deadline_ms = 1000;
    try {
      const callId = newCallId();
      const raw = Buffer.from(JSON.stringify(connectPayload(line, { callId, from: caller(), sdp: sampleOffer() })));
      const r = await receiveWebhook(raw, signBody(raw, APP_SECRET));
      // The web tier falls behind: processing starts past half of the deadline, too late for the gateway's setup.
      await new Promise((res) => setTimeout(res, 600));
      await r.process();
      expect((await fakeGraph.requests(callId)).map((q) => [q.action, q.status])).toEqual([["reject", 200]]);
      const row = await callRow(callId);
      expect(row).toMatchObject({ status: "rejected", disconnectedBy: "system", gatewayId: null });
      expect(row?.error).toMatch(
        /^The call could not be handed to a media gateway in time to be answered within 1000 ms \(\d+ ms had passed; the web tier is overloaded\)$/,
      );
      expect(await redisA.get(keys.owner(row!.id))).toBeNull();
      expect(await gateway!.next(0.2)).toBeNull();

      // In time, the next call is handed over as usual.
      const next = newCallId();
      await deliver(connectPayload(line, { callId: next, from: caller(), sdp: sampleOffer() }));
      expect((await gateway!.next(1))?.command).toMatchObject({ type: "call.assign", waCallId: next });
    } finally {
      gatewayConfig.setup_deadline_ms = saved;
    }
  });

  it("turns a call away at once, logged closed in one write, while every gateway has spent its setup budget; a redelivery rejects nothing twice", async () => {
    await gateway!.close();
    const budgeted = await startGateway(1);
    // One call in setup spends the budget.
    const first = newCallId();
    await deliver(connectPayload(line, { callId: first, from: caller(), sdp: sampleOffer() }));
    expect((await budgeted.next(1))?.command).toMatchObject({ type: "call.assign", waCallId: first });
    expect(await redisA.zcard(keys.setups(budgeted.info.id))).toBe(1);

    const callId = newCallId();
    const from = caller();
    const body = connectPayload(line, { callId, from, name: "Bea Lima", sdp: sampleOffer() });
    await deliver(body);
    expect((await fakeGraph.requests(callId)).map((q) => [q.action, q.status])).toEqual([["reject", 200]]);
    const row = await callRow(callId);
    expect(row).toMatchObject({ status: "rejected", disconnectedBy: "system", gatewayId: null, callerPhone: from, durationSecs: 0 });
    expect(row?.endedAt).toBeInstanceOf(Date);
    expect(row?.error).toBe("Every live media gateway is setting up as many calls as it can at once (1 gateway, 1 call in setup)");
    expect((await db.contact.findUnique({ where: { orgId_waId: { orgId: org.id, waId: from } } }))?.name).toBe("Bea Lima");
    expect(await budgeted.next(0.2)).toBeNull();
    // Meta delivers the same webhook again (a new event id): the call is not rejected a second time.
    await deliver({ ...body, entry: body.entry.map((e) => ({ ...e, id: `${e.id}-again` })) });
    await deliver(body);
    // A second processing of the same call (two web tiers, each with a delivery) finds the row it did not write.
    const item = (body.entry[0]!.changes[0]!.value as unknown as { calls: Parameters<typeof handleIncomingConnect>[1][] }).calls[0]!;
    await handleIncomingConnect(line.accountId, item, []);
    expect((await fakeGraph.requests(callId)).map((q) => q.action)).toEqual(["reject"]);
    expect(await db.call.count({ where: { accountId: line.accountId, waCallId: callId } })).toBe(1);

    // The setup ends: the next call is handed over as usual.
    await redisA.del(keys.setups(budgeted.info.id));
    const next = newCallId();
    await deliver(connectPayload(line, { callId: next, from: caller(), sdp: sampleOffer() }));
    expect((await budgeted.next(1))?.command).toMatchObject({ type: "call.assign", waCallId: next });
  });

  it("handles a redelivered connect once", async () => {
    const callId = newCallId();
    const body = connectPayload(line, { callId, from: caller(), sdp: sampleOffer() });
    await deliver(body);
    const again = await deliver(body);
    expect(again.body).toMatchObject({ received: 1, duplicates: 1 });
    expect(await db.call.count({ where: { waCallId: callId } })).toBe(1);
    expect(await gateway!.next(1)).not.toBeNull();
    expect(await gateway!.next(0.2)).toBeNull();
  });

  it("does not start a call whose terminate arrived first", async () => {
    const callId = newCallId();
    const from = caller();
    await deliver(terminatePayload(line, { callId, from }));
    await deliver(connectPayload(line, { callId, from, sdp: sampleOffer() }));
    expect(await callRow(callId)).toMatchObject({ status: "missed", disconnectedBy: "client", gatewayId: null });
    expect(await gateway!.next(0.3)).toBeNull();
    expect(await fakeGraph.requests(callId)).toEqual([]);
  });

  it("rejects through the Graph API and logs why when calling is disabled", async () => {
    await db.organization.update({ where: { id: org.id }, data: { callingEnabled: false } });
    try {
      const callId = newCallId();
      await deliver(connectPayload(line, { callId, from: caller(), sdp: sampleOffer() }));
      const reqs = await fakeGraph.requests(callId);
      expect(reqs.map((q) => [q.action, q.status])).toEqual([["reject", 200]]);
      expect(await callRow(callId)).toMatchObject({ status: "rejected", disconnectedBy: "system", error: "Calling is disabled for this organisation" });
      expect(await gateway!.next(0.2)).toBeNull();
    } finally {
      await db.organization.update({ where: { id: org.id }, data: { callingEnabled: true } });
    }
  });

  it("rejects when no media gateway is alive", async () => {
    await gateway!.close();
    const callId = newCallId();
    await deliver(connectPayload(line, { callId, from: caller(), sdp: sampleOffer() }));
    expect((await fakeGraph.requests(callId)).map((q) => q.action)).toEqual(["reject"]);
    expect((await callRow(callId))?.error).toBe("No media gateway is available to answer the call");
  });

  it("rejects when the number has no active call-start flow", async () => {
    await db.ivrFlow.updateMany({ where: { accountId: line.accountId }, data: { active: false } });
    try {
      const callId = newCallId();
      await deliver(connectPayload(line, { callId, from: caller(), sdp: sampleOffer() }));
      expect((await callRow(callId))?.error).toMatch(/No active call-start IVR flow/);
    } finally {
      await db.ivrFlow.updateMany({ where: { accountId: line.accountId }, data: { active: true } });
    }
  });

  it("puts a Graph API 1380xx error into the call record", async () => {
    await gateway!.close();
    const callId = newCallId();
    await fakeGraph.fail({ action: "reject", callId, code: 138002, message: "Concurrent call limit reached", status: 400 });
    await deliver(connectPayload(line, { callId, from: caller(), sdp: sampleOffer() }));
    expect((await callRow(callId))?.error).toBe(
      "No media gateway is available to answer the call. Rejecting through the Graph API failed: (#138002) Concurrent call limit reached",
    );
  });
});

describe("a web tier that is behind", () => {
  // The suite runs with no deadline (a starved CI machine must not turn calls away): 1 s here.
  const withDeadline = async (fn: () => Promise<void>) => {
    const gatewayConfig = config().gateway;
    const saved = gatewayConfig.setup_deadline_ms;
    gatewayConfig.setup_deadline_ms = 1000;
    try {
      await fn();
    } finally {
      gatewayConfig.setup_deadline_ms = saved;
    }
  };
  const rejects = async (callId: string) => (await fakeGraph.requests(callId)).filter((q) => q.action === "reject").map((q) => q.status);
  const waitForReject = async (callId: string) => {
    for (let i = 0; i < 100 && (await rejects(callId)).length === 0; i++) await new Promise((res) => setTimeout(res, 20));
  };

  it("rejects a call as its webhook arrives, before the call is logged, then logs it closed; a redelivery rejects nothing twice", async () => {
    await withDeadline(async () => {
      // The last webhook waited 400 ms to be stored: an admitted call would wait about as long for each of its statements.
      noteStoreWait(Date.now() - 400);
      const callId = newCallId();
      const from = caller();
      const body = connectPayload(line, { callId, from, name: "Ana Reis", sdp: sampleOffer() });
      const raw = Buffer.from(JSON.stringify(body));
      const r = await receiveWebhook(raw, signBody(raw, APP_SECRET));
      expect(r.status).toBe(200);
      // The reject goes out without waiting for the call's processing (which would log it first).
      await waitForReject(callId);
      expect(await rejects(callId)).toEqual([200]);
      expect(await callRow(callId)).toBeNull();
      await r.process();
      const row = await callRow(callId);
      expect(row).toMatchObject({ status: "rejected", disconnectedBy: "system", gatewayId: null, callerPhone: from, durationSecs: 0 });
      expect(row?.endedAt).toBeInstanceOf(Date);
      expect(row?.error).toMatch(/^The web tier is too far behind to hand the call to a media gateway within 1000 ms \(each statement waits \d+ ms\)$/);
      const contact = await db.contact.findUnique({ where: { orgId_waId: { orgId: org.id, waId: from } } });
      expect(contact?.name).toBe("Ana Reis");
      expect(row?.contactId).toBe(contact?.id);
      expect(await gateway!.next(0.2)).toBeNull();

      // Meta delivers it again, while still behind and once caught up: nothing is rejected twice.
      noteStoreWait(Date.now() - 400);
      await deliver({ ...body, entry: body.entry.map((e) => ({ ...e, id: `${e.id}-again` })) });
      await deliver(body);
      const item = (body.entry[0]!.changes[0]!.value as unknown as { calls: Parameters<typeof handleIncomingConnect>[1][] }).calls[0]!;
      await handleIncomingConnect(line.accountId, item, []);
      expect(await rejects(callId)).toEqual([200]);
      expect(await db.call.count({ where: { accountId: line.accountId, waCallId: callId } })).toBe(1);
    });
  });

  it("logs, and does not reject again, a redelivered call that was rejected as it arrived but whose webhook was never stored", async () => {
    await withDeadline(async () => {
      const callId = newCallId();
      // What receiveWebhook did before its store failed (Meta then retries the webhook).
      expect(await rejectEarly(line.accountId, callId, "behind")).toBe("behind");
      expect(await rejects(callId)).toEqual([200]);
      // The retry comes when the web tier keeps up again.
      noteStoreWait(Date.now() - 5);
      await deliver(connectPayload(line, { callId, from: caller(), sdp: sampleOffer() }));
      expect(await rejects(callId)).toEqual([200]);
      expect(await callRow(callId)).toMatchObject({
        status: "rejected",
        error: expect.stringMatching(/^Rejected earlier by a web tier that was behind/),
      });
      expect(await gateway!.next(0.2)).toBeNull();
    });
  });

  it("keeps a call whose estimate only just misses the hand-off: the hand-off check, not a guess, decides (a burst makes one store wait long)", async () => {
    await withDeadline(async () => {
      const callId = newCallId();
      // 200 ms per statement: the store and 2 more pass 500 ms, but a reject after them would still come within 1 s.
      noteStoreWait(Date.now() - 200);
      await deliver(connectPayload(line, { callId, from: caller(), sdp: sampleOffer() }));
      expect((await gateway!.next(1))?.command).toMatchObject({ type: "call.assign", waCallId: callId });
      expect(await rejects(callId)).toEqual([]);
    });
  });

  it("turns away at the hand-off decision a call whose remaining statements would take it past the hand-off, and hands calls over again once it keeps up", async () => {
    await withDeadline(async () => {
      const callId = newCallId();
      const raw = Buffer.from(JSON.stringify(connectPayload(line, { callId, from: caller(), sdp: sampleOffer() })));
      const r = await receiveWebhook(raw, signBody(raw, APP_SECRET));
      // Stored quickly, but the webhooks stored since waited 400 ms each: 2 more such waits pass the
      // hand-off (500 ms), and a reject after them and its log write would land past the 1 s deadline.
      noteStoreWait(Date.now() - 400);
      await r.process();
      expect(await rejects(callId)).toEqual([200]);
      expect((await callRow(callId))?.error).toMatch(/^The web tier is too far behind/);
      expect(await gateway!.next(0.2)).toBeNull();

      noteStoreWait(Date.now() - 5);
      const next = newCallId();
      await deliver(connectPayload(line, { callId: next, from: caller(), sdp: sampleOffer() }));
      expect((await gateway!.next(1))?.command).toMatchObject({ type: "call.assign", waCallId: next });
      expect(await rejects(next)).toEqual([]);
    });
  });
  it("rejects, at half its deadline, a call still on its way to the hand-off, and only logs it when it gets there", async () => {
    await withDeadline(async () => {
      const callId = newCallId();
      const from = caller();
      await db.contact.create({ data: { orgId: org.id, waId: from, name: "Rui Sá" } });
      // The call's contact write waits behind a transaction holding the contact's row, as at overload
      // each statement waits behind every other webhook's.
      const blocker = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await blocker.connect();
      try {
        await blocker.query("BEGIN");
        await blocker.query("SELECT id FROM contacts WHERE org_id = $1 AND wa_id = $2 FOR UPDATE", [org.id, from]);
        const t0 = Date.now();
        const processing = deliver(connectPayload(line, { callId, from, sdp: sampleOffer() }));
        await waitForReject(callId);
        const rejectedAfter = Date.now() - t0;
        expect(await rejects(callId)).toEqual([200]);
        expect(rejectedAfter).toBeGreaterThanOrEqual(450);
        expect(rejectedAfter).toBeLessThan(1000);
        // Still held up: nothing logged the call closed yet.
        expect((await callRow(callId))?.endedAt ?? null).toBeNull();
        await blocker.query("COMMIT");
        await processing;
      } finally {
        await blocker.end();
      }
      const row = await callRow(callId);
      expect(row).toMatchObject({ status: "rejected", disconnectedBy: "system", gatewayId: null, durationSecs: 0 });
      expect(row?.error).toMatch(
        /^The call could not be handed to a media gateway in time to be answered within 1000 ms \(\d+ ms had passed; the web tier is overloaded\)$/,
      );
      expect(await gateway!.next(0.2)).toBeNull();
      expect(await rejects(callId)).toEqual([200]);

      // A call that makes it in time is handed over, and its watch never fires.
      const next = newCallId();
      await deliver(connectPayload(line, { callId: next, from: caller(), sdp: sampleOffer() }));
      expect((await gateway!.next(1))?.command).toMatchObject({ type: "call.assign", waCallId: next });
      await new Promise((res) => setTimeout(res, 600));
      expect(await rejects(next)).toEqual([]);
    });
  });
});

describe("a late call's reject", () => {
  const ringing = async (waCallId: string) =>
    db.call.create({
      data: { orgId: org.id, accountId: line.accountId, waCallId, direction: "incoming", status: "ringing", callerPhone: caller() },
      select: { id: true },
    });

  it("goes out alongside the log write, and the call is logged rejected with its reason", async () => {
    const waCallId = newCallId();
    const { id } = await ringing(waCallId);
    const error = await rejectIncomingCall({
      callId: id,
      waCallId,
      reason: "late",
      graph: () => graphClientFor(line.accountId),
      log: logger,
      onLogError: "throw",
      alongside: true,
    });
    expect(error).toBe("late");
    expect((await fakeGraph.requests(waCallId)).map((q) => [q.action, q.status])).toEqual([["reject", 200]]);
    expect(await callRow(waCallId)).toMatchObject({ status: "rejected", disconnectedBy: "system", error: "late", durationSecs: 0 });
  });

  it("notes a failed Graph API reject on the call after its log write", async () => {
    const waCallId = newCallId();
    const { id } = await ringing(waCallId);
    await fakeGraph.fail({ action: "reject", callId: waCallId, code: 138002, message: "Concurrent call limit reached", status: 400 });
    await rejectIncomingCall({
      callId: id,
      waCallId,
      reason: "late",
      graph: () => graphClientFor(line.accountId),
      log: logger,
      onLogError: "throw",
      alongside: true,
    });
    expect(await callRow(waCallId)).toMatchObject({
      status: "rejected",
      error: "late. Rejecting through the Graph API failed: (#138002) Concurrent call limit reached",
    });
  });
});

describe("call events", () => {
  async function liveCall() {
    const callId = newCallId();
    const from = caller();
    await deliver(connectPayload(line, { callId, from, sdp: sampleOffer() }));
    await gateway!.next(1);
    return { callId, from, row: (await callRow(callId))! };
  }

  it("closes an answered call with Meta's duration and tells the owning gateway", async () => {
    const { callId, from, row } = await liveCall();
    await db.call.update({ where: { id: row.id }, data: { status: "answered", answeredAt: new Date() } });
    await deliver(terminatePayload(line, { callId, from, status: "COMPLETED", startTime: 1764040000, endTime: 1764040042, duration: 42 }));
    expect(await callRow(callId)).toMatchObject({ status: "completed", durationSecs: 42, disconnectedBy: "client", endedAt: new Date(1764040042 * 1000) });
    expect((await gateway!.next(1))?.command).toMatchObject({ type: "call.terminated", callId: row.id });
  });

  it("logs a call hung up while ringing as missed, and a FAILED one with its error", async () => {
    const a = await liveCall();
    await deliver(terminatePayload(line, { callId: a.callId, from: a.from }));
    expect((await callRow(a.callId))?.status).toBe("missed");
    const b = await liveCall();
    await deliver(terminatePayload(line, { callId: b.callId, from: b.from, status: "FAILED", errors: [{ code: 138021, message: "No media received" }] }));
    expect(await callRow(b.callId)).toMatchObject({ status: "failed", error: "(#138021) No media received" });
  });

  it("keeps disconnected_by when we ended the call ourselves", async () => {
    const { callId, from, row } = await liveCall();
    await db.call.update({ where: { id: row.id }, data: { disconnectedBy: "system" } });
    await deliver(terminatePayload(line, { callId, from }));
    expect((await callRow(callId))?.disconnectedBy).toBe("system");
  });

  it("routes call statuses to the owning gateway", async () => {
    const { callId, from, row } = await liveCall();
    await deliver(statusPayload(line, { callId, to: from, status: "ACCEPTED" }));
    expect((await gateway!.next(1))?.command).toEqual({ type: "call.status", callId: row.id, waCallId: callId, status: "ACCEPTED" });
  });

  it("stores the good events of a signed body, records one with a lone surrogate with its error, and answers 200", async () => {
    const callId = newCallId();
    const body = statusPayload(line, { callId, to: caller(), status: "RINGING" }) as unknown as {
      entry: { changes: { value: { statuses: Record<string, unknown>[]; contacts?: unknown[] } }[] }[];
    };
    const value = body.entry[0]!.changes[0]!.value;
    value.statuses.push({ ...value.statuses[0], id: `${callId}.\ud800bad` });
    value.contacts = [{ profile: { name: "Lone \udc00 name" }, wa_id: caller() }];
    const r = await deliver(body);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ received: 2 });
    const good = await db.webhookEvent.findUnique({ where: { dedupeKey: `${line.phoneNumberId}:status:${callId}:RINGING` } });
    expect(good).not.toBeNull();
    expect((good!.payload as { contacts: { profile: { name: string } }[] }).contacts[0]!.profile.name).toBe("Lone \ufffd name");
    const bad = await db.webhookEvent.findMany({ where: { accountId: line.accountId, error: { contains: "lone UTF-16 surrogate" } } });
    expect(bad.map((e) => (e.payload as { item: { id: string } }).item.id)).toContain(`${callId}.\ufffdbad`);
    // Redelivery of the same body is deduplicated, not retried forever.
    expect((await deliver(body)).body).toMatchObject({ received: 2, duplicates: 2 });
  });

  it("stores the good event beside one with a ~900 KB status string, answers 200 and dedupes the redelivery", async () => {
    const callId = newCallId();
    const body = statusPayload(line, { callId, to: caller(), status: "RINGING" }) as unknown as {
      entry: { changes: { value: { statuses: Record<string, unknown>[] } }[] }[];
    };
    const value = body.entry[0]!.changes[0]!.value;
    value.statuses.push({ ...value.statuses[0], id: `${callId}.huge`, status: "R".repeat(900_000) });
    const r = await deliver(body);
    expect(r.status).toBe(200);
    expect(await db.webhookEvent.findUnique({ where: { dedupeKey: `${line.phoneNumberId}:status:${callId}:RINGING` } })).not.toBeNull();
    const bad = await db.webhookEvent.findMany({ where: { accountId: line.accountId, error: "Ignored malformed status item" }, select: { payload: true } });
    expect(bad.map((e) => (e.payload as { item: { id: string } }).item.id)).toContain(`${callId}.huge`);
    const again = await deliver(body);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ duplicates: (r.body as { received: number }).received });
  });

  it("records call permission replies on the contact", async () => {
    const from = caller();
    await deliver(permissionReplyPayload(line, { from, accept: true, expiresAt: 1893456000 }));
    expect(await db.contact.findUnique({ where: { orgId_waId: { orgId: org.id, waId: from } } })).toMatchObject({
      callPermission: "granted",
      permissionExpiresAt: new Date(1893456000 * 1000),
    });
    await deliver(permissionReplyPayload(line, { from, accept: false }));
    expect((await db.contact.findUnique({ where: { orgId_waId: { orgId: org.id, waId: from } } }))?.callPermission).toBe("denied");
  });
});
