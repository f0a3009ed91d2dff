// The webhook at overload: a web tier that is behind rejects calls as they arrive, a watch rejects an
// admitted call still on its way to the hand-off at half its deadline, and its processing only logs
// it, and a gateway past its answer deadline rejects before it logs. A 1 s setup deadline here (the suite runs with none).
import pg from "pg";
import { describe, expect, it } from "vitest";
import { rejectIncomingCall } from "../../lib/calls/reject-incoming";
import { config } from "../../lib/config";
import { logger } from "../../lib/log";
import { graphClientFor } from "../../lib/whatsapp/account-client";
import { signBody } from "../../lib/whatsapp/signature";
import { noteStoreWait, rejectEarly } from "../../lib/whatsapp/webhook/early-reject";
import { handleIncomingConnect } from "../../lib/whatsapp/webhook/incoming-call";
import { receiveWebhook } from "../../lib/whatsapp/webhook/receive";
import { connectPayload, newCallId, sampleOffer } from "../../tools/wa-sim/payloads";
import { fakeGraph } from "../helpers/fake-graph";
import { testDb as db } from "../helpers/test-db";
import { APP_SECRET, callRow, caller, deliver, gateway, line, org, setUpWebhookLine } from "../helpers/webhook-line";

setUpWebhookLine("webhook-overload");

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
  /**
   * Delivers a call whose contact write waits behind a transaction holding the contact's row (as at
   * overload each statement waits behind every other webhook's) while `meanwhile` runs, given when the
   * delivery started; then lets it go and waits for its processing.
   */
  const heldUp = async (callId: string, meanwhile: (t0: number) => Promise<void>) => {
    const from = caller();
    await db.contact.create({ data: { orgId: org.id, waId: from, name: "Rui Sá" } });
    const blocker = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await blocker.connect();
    try {
      await blocker.query("BEGIN");
      await blocker.query("SELECT id FROM contacts WHERE org_id = $1 AND wa_id = $2 FOR UPDATE", [org.id, from]);
      const t0 = Date.now();
      const processing = deliver(connectPayload(line, { callId, from, sdp: sampleOffer() }));
      await meanwhile(t0);
      await blocker.query("COMMIT");
      await processing;
    } finally {
      await blocker.end();
    }
  };

  it("rejects, at half its deadline, a call still on its way to the hand-off, and only logs it when it gets there", async () => {
    await withDeadline(async () => {
      const callId = newCallId();
      await heldUp(callId, async (t0) => {
        await waitForReject(callId);
        const rejectedAfter = Date.now() - t0;
        expect(await rejects(callId)).toEqual([200]);
        expect(rejectedAfter).toBeGreaterThanOrEqual(450);
        expect(rejectedAfter).toBeLessThan(1000);
        // Still held up: nothing logged the call closed yet.
        expect((await callRow(callId))?.endedAt ?? null).toBeNull();
      });
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

  it("watches a call from its webhook's arrival: one whose store waits past half the deadline is rejected then, and only logged after", async () => {
    await withDeadline(async () => {
      const callId = newCallId();
      // The store waits on another transaction's insert of the same event, as at a burst it waits behind every other webhook's.
      const blocker = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await blocker.connect();
      try {
        await blocker.query("BEGIN");
        await blocker.query("INSERT INTO webhook_events (id, dedupe_key, payload) VALUES ($1, $2, '{}')", [
          `blocker-${callId}`,
          `${line.phoneNumberId}:call:${callId}:connect`,
        ]);
        const t0 = Date.now();
        const delivering = deliver(connectPayload(line, { callId, from: caller(), sdp: sampleOffer() }));
        await waitForReject(callId);
        const rejectedAfter = Date.now() - t0;
        expect(await rejects(callId)).toEqual([200]);
        expect(rejectedAfter).toBeGreaterThanOrEqual(450);
        expect(rejectedAfter).toBeLessThan(1000);
        expect(await callRow(callId)).toBeNull();
        await blocker.query("ROLLBACK");
        await delivering;
      } finally {
        await blocker.end();
      }
      const row = await callRow(callId);
      expect(row).toMatchObject({ status: "rejected", disconnectedBy: "system", gatewayId: null });
      expect(row?.error).toMatch(/^The call could not be handed to a media gateway in time to be answered within 1000 ms/);
      expect(await gateway!.next(0.2)).toBeNull();
      expect(await rejects(callId)).toEqual([200]);
      // That store's wait says the web tier is behind; the next tests start from one that keeps up.
      noteStoreWait(Date.now() - 5);
    });
  });

  it("notes on the call's log that the watch's reject failed at the Graph API", async () => {
    await withDeadline(async () => {
      const callId = newCallId();
      await fakeGraph.fail({ action: "reject", callId, code: 138002, message: "Concurrent call limit reached", status: 400 });
      await heldUp(callId, () => waitForReject(callId));
      expect(await rejects(callId)).toEqual([400]);
      expect(await callRow(callId)).toMatchObject({
        status: "rejected",
        error: expect.stringMatching(
          /^The call could not be handed to a media gateway in time to be answered within 1000 ms \(\d+ ms had passed; the web tier is overloaded\)\. Rejecting through the Graph API failed: \(#138002\) Concurrent call limit reached$/,
        ),
      });
      expect(await gateway!.next(0.2)).toBeNull();
    });
  });
});

describe("a late call's reject (a gateway past its answer deadline)", () => {
  it("goes out before the log write, which waits behind the database, and the call is logged rejected after", async () => {
    const waCallId = newCallId();
    const { id } = await db.call.create({
      data: { orgId: org.id, accountId: line.accountId, waCallId, direction: "incoming", status: "ringing", callerPhone: caller() },
      select: { id: true },
    });
    const blocker = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await blocker.connect();
    try {
      await blocker.query("BEGIN");
      await blocker.query("SELECT id FROM calls WHERE id = $1 FOR UPDATE", [id]);
      const rejecting = rejectIncomingCall({
        callId: id,
        waCallId,
        reason: "late",
        graph: () => graphClientFor(line.accountId),
        log: logger,
        onLogError: "reject",
        rejectFirst: true,
      });
      await expect
        .poll(async () => (await fakeGraph.requests(waCallId)).map((q) => [q.action, q.status]), { timeout: 2_000, interval: 20 })
        .toEqual([["reject", 200]]);
      expect((await callRow(waCallId))?.endedAt ?? null).toBeNull();
      await blocker.query("COMMIT");
      expect(await rejecting).toBe("late");
    } finally {
      await blocker.end();
    }
    expect(await callRow(waCallId)).toMatchObject({ status: "rejected", disconnectedBy: "system", error: "late", durationSecs: 0 });
  });
});
