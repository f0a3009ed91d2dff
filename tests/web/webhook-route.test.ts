import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAccount, createFlow, createOrg } from "../../lib/seed/factories";
import { signBody } from "../../lib/whatsapp/signature";
import { connectPayload, type Line, newCallId, sampleOffer } from "../../tools/wa-sim/payloads";
import { WEB_URL } from "../helpers/http-session";
import { testDb as db } from "../helpers/test-db";

const SECRET = "route-app-secret";
let line: Line;
let accountId: string;

beforeAll(async () => {
  const org = await createOrg(db, { name: "Route Org" });
  line = { phoneNumberId: "424242424242424", displayPhone: "15550004242" };
  const account = await createAccount(db, org.id, { ...line, appSecret: SECRET, verifyToken: "route-verify-token" });
  accountId = account.id;
  await createFlow(db, org.id, { accountId });
});
afterAll(() => db.$disconnect());

const post = (body: string, signature?: string) =>
  fetch(`${WEB_URL}/api/webhooks/whatsapp`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(signature ? { "x-hub-signature-256": signature } : {}) },
    body,
  });

describe("POST/GET /api/webhooks/whatsapp", () => {
  it("echoes the challenge for a known verify token and refuses others", async () => {
    const ok = await fetch(`${WEB_URL}/api/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=route-verify-token&hub.challenge=987654`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe("987654");
    const bad = await fetch(`${WEB_URL}/api/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1`);
    expect(bad.status).toBe(403);
  });

  it("checks the signature over the raw bytes, then answers 200 and works after the response", async () => {
    const callId = newCallId();
    // Whitespace matters: the signature covers the exact bytes Meta sent.
    const body = JSON.stringify(connectPayload(line, { callId, from: "5511911112222", sdp: sampleOffer() }), null, 2);
    const forged = await post(body, signBody(JSON.stringify(JSON.parse(body)), SECRET));
    expect(forged.status).toBe(401);
    expect(await db.webhookEvent.count({ where: { dedupeKey: { contains: callId } } })).toBe(0);

    const res = await post(body, signBody(body, SECRET));
    expect(res.status).toBe(200);
    // No gateway, and a Graph API (the suite's fake) that does not know this number's token: the call is still logged, with why.
    // The log is closed as rejected before the reject goes out; the failed reject is added to its error after.
    await expect
      .poll(async () => (await db.call.findUnique({ where: { accountId_waCallId: { accountId, waCallId: callId } } }))?.error, { timeout: 20_000 })
      .toMatch(/^No media gateway is available to answer the call\. Rejecting through the Graph API failed: \(#190\) Invalid OAuth access token/);
    const call = await db.call.findUnique({ where: { accountId_waCallId: { accountId, waCallId: callId } } });
    expect(call?.status).toBe("rejected");
  });
});
