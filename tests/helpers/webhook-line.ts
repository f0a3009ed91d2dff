// One WhatsApp line for the webhook tests: an organisation with calling on, a team, an account with a
// call-start flow, the fake Graph API told its token, and a stand-in gateway registered in Redis for
// each test. The bindings below are live: `setUpWebhookLine` fills them before the tests run.
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import { GatewayAgent } from "../../lib/gateway/agent";
import { createAccount, createFlow, createOrg, createTeam } from "../../lib/seed/factories";
import { signBody } from "../../lib/whatsapp/signature";
import { receiveWebhook } from "../../lib/whatsapp/webhook/receive";
import type { Line } from "../../tools/wa-sim/payloads";
import { fakeGraph } from "./fake-graph";
import { testDb as db } from "./test-db";

export const APP_SECRET = "webhook-test-app-secret";
export let org: { id: string };
export let line: Line & { accountId: string; verifyToken: string };
export const redisA = new Redis(process.env.REDIS_URL!);
const redisB = new Redis(process.env.REDIS_URL!);
export let gateway: GatewayAgent | null = null;

export async function deliver(body: unknown, secret: string | null = APP_SECRET) {
  const raw = Buffer.from(JSON.stringify(body));
  const r = await receiveWebhook(raw, secret ? signBody(raw, secret) : null);
  await r.process();
  return r;
}

export const callRow = (waCallId: string) => db.call.findUnique({ where: { accountId_waCallId: { accountId: line.accountId, waCallId } } });
export const caller = () =>
  `55119${Math.floor(Math.random() * 1e8)
    .toString()
    .padStart(8, "0")}`;

/** Starts a stand-in gateway as `gateway` (a test that wants another closes the current one first). */
export async function startGateway(setupBudget?: number) {
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

/** Registers the hooks; `name` keeps each file's organisation and verify token its own. */
export function setUpWebhookLine(name: string) {
  const token = `EAAG-${name}-${randomBytes(4).toString("hex")}`;
  beforeAll(async () => {
    org = await createOrg(db, { name: `${name} org`, callingEnabled: true });
    const team = await createTeam(db, org.id, "Support");
    const phoneNumberId = `1065${randomBytes(5).readUIntBE(0, 5)}`.slice(0, 15);
    const account = await createAccount(db, org.id, {
      phoneNumberId,
      displayPhone: "15550001111",
      appSecret: APP_SECRET,
      accessToken: token,
      verifyToken: `${name}-verify-token-${randomBytes(3).toString("hex")}`,
    });
    await createFlow(db, org.id, { accountId: account.id, teamId: team.id });
    line = { phoneNumberId, displayPhone: "15550001111", accountId: account.id, verifyToken: account.verifyToken };
    await fakeGraph.registerAccount(phoneNumberId, token);
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
}
