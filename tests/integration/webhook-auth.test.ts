// The webhook authenticates before it reads, parses or stores: oversized and unsigned requests are
// refused unread, account secrets are looked up once (cached) and re-read after a rotation.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { seal } from "../../lib/crypto";
import { db } from "../../lib/db";
import { createAccount, createOrg } from "../../lib/seed/factories";
import { signBody } from "../../lib/whatsapp/signature";
import { claimedPhoneNumberIds, forgetAccountKeys } from "../../lib/whatsapp/webhook/account-keys";
import { MAX_WEBHOOK_BYTES, receiveWebhook, receiveWebhookRequest } from "../../lib/whatsapp/webhook/receive";
import { type Line, newCallId, statusPayload } from "../../tools/wa-sim/payloads";
import { testDb } from "../helpers/test-db";

const SECRET = "auth-test-app-secret";
let line: Line;
let accountId: string;

beforeAll(async () => {
  const org = await createOrg(testDb, { name: "Webhook Auth Org" });
  line = { phoneNumberId: `3030${Date.now()}`.slice(0, 15), displayPhone: "15550003030" };
  accountId = (await createAccount(testDb, org.id, { ...line, appSecret: SECRET })).id;
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
  forgetAccountKeys();
});
afterAll(() => testDb.$disconnect());

/** A body stream that counts what was pulled from it, producing `size` bytes lazily. */
function lazyBody(size: number) {
  let pulled = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled >= size) return controller.close();
      const chunk = new Uint8Array(64 * 1024);
      pulled += chunk.length;
      controller.enqueue(chunk);
    },
  });
  return { stream, pulled: () => pulled };
}

const post = (body: ReadableStream<Uint8Array> | string, headers: Record<string, string>) =>
  new Request("http://test/api/webhooks/whatsapp", { method: "POST", body, headers, duplex: "half" } as RequestInit);

describe("before authentication", () => {
  it("refuses a declared 20 MB body with 413 without reading a byte", async () => {
    const body = lazyBody(20 * 1024 * 1024);
    const r = await receiveWebhookRequest(post(body.stream, { "content-length": String(20 * 1024 * 1024) }));
    expect(r).toMatchObject({ status: 413, body: { error: { code: "payload_too_large" } } });
    expect(body.pulled()).toBeLessThanOrEqual(64 * 1024); // at most the stream's own first pull
  });

  it("refuses an unsigned request with 401 without reading it or touching the database", async () => {
    const lookups = vi.spyOn(db.whatsAppAccount, "findMany");
    const body = lazyBody(20 * 1024 * 1024);
    const r = await receiveWebhookRequest(post(body.stream, {}));
    expect(r.status).toBe(401);
    expect(body.pulled()).toBeLessThanOrEqual(64 * 1024);
    expect(lookups).not.toHaveBeenCalled();
  });

  it("stops reading an undeclared body at 1 MB", async () => {
    const lookups = vi.spyOn(db.whatsAppAccount, "findMany");
    const body = lazyBody(20 * 1024 * 1024);
    const r = await receiveWebhookRequest(post(body.stream, { "x-hub-signature-256": `sha256=${"a".repeat(64)}` }));
    expect(r.status).toBe(413);
    expect(body.pulled()).toBeLessThanOrEqual(MAX_WEBHOOK_BYTES + 3 * 64 * 1024);
    expect(lookups).not.toHaveBeenCalled();
  });

  it("reads the claimed phone_number_ids without parsing, bounded", () => {
    const body = Buffer.from(`{"a":{"phone_number_id" : "123"},"b":{"phone_number_id":456},"c":"phone_number_id","d":{"phone_number_id":"x"}}`);
    expect(claimedPhoneNumberIds(body)).toEqual(["123", "456"]);
    const many = Buffer.from(Array.from({ length: 500 }, (_, i) => `"phone_number_id":"${1000 + i}"`).join(","));
    expect(claimedPhoneNumberIds(many)).toHaveLength(20);
  });
});

describe("account secrets", () => {
  const delivery = () => {
    const raw = Buffer.from(JSON.stringify(statusPayload(line, { callId: newCallId(), to: "5511900000000", status: "RINGING" })));
    return { raw, signed: (secret: string) => signBody(raw, secret) };
  };

  it("looks the account up once for many deliveries, and forged ones do not add lookups", async () => {
    const lookups = vi.spyOn(db.whatsAppAccount, "findMany");
    for (let i = 0; i < 5; i++) {
      const d = delivery();
      expect((await receiveWebhook(d.raw, d.signed(SECRET))).status).toBe(200);
    }
    for (let i = 0; i < 20; i++) {
      const d = delivery();
      expect((await receiveWebhook(d.raw, d.signed("forged"))).status).toBe(401);
    }
    expect(lookups).toHaveBeenCalledTimes(1);
  });

  it("keeps verifying with a known account's secret past its 30 s while one lookup reads it again, without waiting for it", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const d = delivery();
    expect((await receiveWebhook(d.raw, d.signed(SECRET))).status).toBe(200);
    // The next lookup waits behind a busy database until the test lets it go.
    const real = db.whatsAppAccount.findMany.bind(db.whatsAppAccount);
    let release = () => {};
    const busy = new Promise<void>((r) => {
      release = r;
    });
    const lookups = vi
      .spyOn(db.whatsAppAccount, "findMany")
      .mockImplementationOnce(((args: Parameters<typeof real>[0]) => busy.then(() => real(args))) as never);
    vi.setSystemTime(Date.now() + 31_000);
    try {
      const later = delivery();
      const waited = new Promise<{ status: string }>((r) => setTimeout(() => r({ status: "still waiting for the lookup after 2 s" }), 2_000));
      expect((await Promise.race([receiveWebhook(later.raw, later.signed(SECRET)), waited])).status).toBe(200);
      expect(lookups).toHaveBeenCalledTimes(1);
      // A signature that fails waits for the fresh secret, as before.
      const forged = delivery();
      const refused = receiveWebhook(forged.raw, forged.signed("forged"));
      release();
      expect((await refused).status).toBe(401);
    } finally {
      release();
    }
  });

  it("picks up a rotated app secret after a few seconds without waiting for the cache to expire", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const d = delivery();
    expect((await receiveWebhook(d.raw, d.signed(SECRET))).status).toBe(200);
    await testDb.whatsAppAccount.update({ where: { id: accountId }, data: { appSecretEnc: seal("rotated-secret") } });
    try {
      const next = delivery();
      expect((await receiveWebhook(next.raw, next.signed("rotated-secret"))).status).toBe(401); // cached secret is seconds old
      vi.setSystemTime(Date.now() + 6_000);
      expect((await receiveWebhook(next.raw, next.signed("rotated-secret"))).status).toBe(200);
    } finally {
      await testDb.whatsAppAccount.update({ where: { id: accountId }, data: { appSecretEnc: seal(SECRET) } });
    }
  });
});
