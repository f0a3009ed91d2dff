// The webhook as Meta delivers it: signatures, incoming calls handed to a gateway or rejected, and call
// events. Overload (early rejection, the hand-off watch) is in webhook-overload.test.ts.
import { describe, expect, it } from "vitest";
import { config } from "../../lib/config";
import { keys } from "../../lib/gateway/messages";
import { signBody } from "../../lib/whatsapp/signature";
import { markProcessed, storeEvents } from "../../lib/whatsapp/webhook/event-rows";
import { handleIncomingConnect } from "../../lib/whatsapp/webhook/incoming-call";
import { receiveWebhook } from "../../lib/whatsapp/webhook/receive";
import { verifyWebhookSubscription } from "../../lib/whatsapp/webhook/verify";
import { connectPayload, newCallId, permissionReplyPayload, sampleOffer, statusPayload, terminatePayload } from "../../tools/wa-sim/payloads";
import { fakeGraph } from "../helpers/fake-graph";
import { testDb as db } from "../helpers/test-db";
import { APP_SECRET, callRow, caller, deliver, gateway, line, org, redisA, startGateway, setUpWebhookLine } from "../helpers/webhook-line";

setUpWebhookLine("webhook");

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

  it("refuses with 401 a body naming no connected number that none of our app secrets signed, JSON or not", async () => {
    const callId = newCallId();
    const forged = await deliver(
      connectPayload({ phoneNumberId: "999000999000999", displayPhone: "1" }, { callId, from: caller(), sdp: sampleOffer() }),
      "not-the-app-secret",
    );
    expect(forged).toMatchObject({ status: 401, body: { error: { code: "unauthenticated" } } });
    expect(await db.webhookEvent.count({ where: { dedupeKey: { contains: callId } } })).toBe(0);
    const garbage = Buffer.from("this is not json");
    expect((await receiveWebhook(garbage, signBody(garbage, "not-the-app-secret"))).status).toBe(401);
    // The same bytes signed by our app: authentic, but naming no number of ours.
    expect(await receiveWebhook(garbage, signBody(garbage, APP_SECRET))).toMatchObject({ status: 200, body: { ignored: "unknown phone_number_id" } });
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

  it("moves a returning caller to the top of the contacts list", async () => {
    const from = caller();
    const hourAgo = new Date(Date.now() - 3_600_000);
    await db.contact.create({ data: { orgId: org.id, waId: from, name: "Old Friend", createdAt: hourAgo, lastActivityAt: hourAgo } });
    expect((await deliver(connectPayload(line, { callId: newCallId(), from, sdp: sampleOffer() }))).status).toBe(200);
    const contact = await db.contact.findUniqueOrThrow({ where: { orgId_waId: { orgId: org.id, waId: from } } });
    expect(Date.now() - contact.lastActivityAt.getTime()).toBeLessThan(10_000);
    expect(contact.createdAt).toEqual(hourAgo);
    await gateway!.next(1);
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

  it("rejects, with the reason, a call no gateway can take because every one is overloaded, and hands nothing over", async () => {
    gateway!.info = { ...gateway!.info, overloaded: true };
    await gateway!.heartbeat();
    const callId = newCallId();
    await deliver(connectPayload(line, { callId, from: caller(), sdp: sampleOffer() }));
    expect((await fakeGraph.requests(callId)).map((q) => [q.action, q.status])).toEqual([["reject", 200]]);
    expect(await callRow(callId)).toMatchObject({
      status: "rejected",
      disconnectedBy: "system",
      gatewayId: null,
      error: "Every live media gateway is overloaded (1 gateway whose event loop runs too late to send audio on time)",
    });
    expect(await gateway!.next(0.2)).toBeNull();
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

  it("keeps a change's call events when one of its contacts is malformed (no wa_id)", async () => {
    const callId = newCallId();
    const from = caller();
    const body = connectPayload(line, { callId, from, name: "Ana Souza", sdp: sampleOffer() });
    Object.assign(body.entry[0]!.changes[0]!.value, { contacts: [{ profile: { name: "No Id" } }] });
    const r = await deliver(body);
    expect(r.body).toMatchObject({ received: 1 });
    expect(await callRow(callId)).toMatchObject({ status: "ringing", callerPhone: from });
    expect(await gateway!.next(1)).not.toBeNull();
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

  it("times an answered call from its answer when Meta's terminate carries no times, and stores the event's arrival", async () => {
    const { callId, from, row } = await liveCall();
    // Timestamps are UTC without a zone in the database; a reader in another zone must not shift them.
    await db.call.update({ where: { id: row.id }, data: { status: "answered", answeredAt: new Date(Date.now() - 30_000) } });
    const before = Date.now();
    await deliver(terminatePayload(line, { callId, from }));
    const ended = await callRow(callId);
    expect(ended?.status).toBe("completed");
    expect(ended?.durationSecs).toBeGreaterThanOrEqual(29);
    expect(ended?.durationSecs).toBeLessThanOrEqual(32);
    const stored = await db.webhookEvent.findUnique({ where: { dedupeKey: `${line.phoneNumberId}:call:${callId}:terminate` } });
    expect(stored?.receivedAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(stored?.receivedAt.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
    expect(stored?.processedAt?.getTime()).toBeGreaterThanOrEqual(stored!.receivedAt.getTime());
    expect(stored?.error).toBeNull();
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

describe("marking events processed", () => {
  it("marks events processed together, each with its own error, when many finish at once", async () => {
    const rows = Array.from({ length: 25 }, (_, i) => ({
      dedupeKey: `${line.phoneNumberId}:test-mark:${newCallId()}`,
      accountId: line.accountId,
      payload: { kind: "test", item: i },
    }));
    const stored = await storeEvents(rows);
    expect(stored).toHaveLength(25);
    await Promise.all(stored.map((e, i) => markProcessed(e.id, i % 3 === 0 ? `failed ${i}` : null)));
    const marked = await db.webhookEvent.findMany({ where: { id: { in: stored.map((e) => e.id) } }, select: { id: true, processedAt: true, error: true } });
    const byId = new Map(marked.map((m) => [m.id, m]));
    stored.forEach((e, i) => {
      expect(byId.get(e.id)?.processedAt).toBeInstanceOf(Date);
      expect(byId.get(e.id)?.error).toBe(i % 3 === 0 ? `failed ${i}` : null);
    });
  });
});
