import fs from "node:fs";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readOggOpus } from "../../lib/audio/ogg";
import { createAccount, createFlow, createOrg } from "../../lib/seed/factories";
import { receiveWebhook } from "../../lib/whatsapp/webhook/receive";
import { SimulatedCaller } from "../../tools/wa-sim/caller";
import type { Line } from "../../tools/wa-sim/payloads";
import { fakeGraph } from "../helpers/fake-graph";
import { GatewayProcess } from "../helpers/gateway-process";
import { toneAsset } from "../helpers/tone";
import { ADMIN_URL } from "../helpers/pg";
import { testDb as db } from "../helpers/test-db";

const SECRET = "pgblip-app-secret";
const TOKEN = "EAAG-pgblip-token";
// A number of its own (other e2e files create theirs in the same database).
const line: Line = { phoneNumberId: String(8e14 + Math.floor(Math.random() * 1e13)), displayPhone: "15550008080" };
const DB_NAME = decodeURIComponent(new URL(process.env.DATABASE_URL!).pathname.slice(1));
const gateway = new GatewayProcess("pgblip-gw");
let accountId: string;
let tonePackets: number;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function admin(sql: string) {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
const refuseConnections = async () => {
  await admin(`ALTER DATABASE "${DB_NAME}" ALLOW_CONNECTIONS false`);
  await admin(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${DB_NAME}'`);
};
const allowConnections = () => admin(`ALTER DATABASE "${DB_NAME}" ALLOW_CONNECTIONS true`);

const deliver = async (raw: Buffer, sig: string) => {
  const r = await receiveWebhook(raw, sig);
  await r.process();
  return r;
};

beforeAll(async () => {
  const org = await createOrg(db, { name: "PG Blip Org", callingEnabled: true });
  accountId = (await createAccount(db, org.id, { ...line, appSecret: SECRET, accessToken: TOKEN })).id;
  await fakeGraph.registerAccount(line.phoneNumberId, TOKEN);
  const { asset: tone, file } = await toneAsset(db, org.id, { name: "Tone", frequency: 523, seconds: 1 });
  tonePackets = readOggOpus(fs.readFileSync(file)).packets.length;
  const node = (id: string, type: string, cfg: object) => ({ id, type, label: id, position: { x: 0, y: 0 }, config: cfg });
  await createFlow(db, org.id, {
    accountId,
    document: {
      version: 1,
      entryNodeId: "hello",
      nodes: [
        node("hello", "greeting", { prompt: { assetId: tone.id }, interruptible: false }),
        node("menu", "menu", { prompt: { assetId: tone.id }, options: [{ digit: "1", label: "Orders" }], timeoutSecs: 20, maxRetries: 1 }),
        node("order", "gather", { prompt: { assetId: tone.id }, storeAs: "order", terminator: "#", timeoutSecs: 20 }),
        node("bye", "hangup", { prompt: { assetId: tone.id } }),
      ],
      edges: [
        { id: "e1", source: "hello", sourceHandle: "default", target: "menu" },
        { id: "e2", source: "menu", sourceHandle: "digit:1", target: "order" },
        { id: "e3", source: "menu", sourceHandle: "max_retries", target: "bye" },
        { id: "e4", source: "order", sourceHandle: "default", target: "bye" },
        { id: "e5", source: "order", sourceHandle: "max_retries", target: "bye" },
      ],
    },
  });
  await gateway.start();
}, 60_000);

afterAll(async () => {
  await allowConnections();
  await gateway.kill();
  gateway.saveLog("e2e-postgres-blip-gateway");
  await db.$disconnect();
});

describe("PostgreSQL fault drill", () => {
  it("keeps the call going through an 8 s outage and lands every path step afterwards", async () => {
    const c = new SimulatedCaller({
      line,
      appSecret: SECRET,
      from: "5511922220001",
      name: "PG Caller",
      deliver,
      graphRequests: (id) => fakeGraph.requests(id),
    });
    await c.dial();
    await c.waitForAudio(tonePackets + 10); // greeting done, menu prompt playing
    await db.$disconnect(); // our own connections are about to be killed too

    await refuseConnections();
    const refusedAt = Date.now();
    try {
      const before = c.heard.length;
      await c.press("1");
      await sleep(2_000);
      await c.press("42#");
      // The IVR went on without the database: menu → gather → goodbye, and the call ended at
      // WhatsApp on time (hangup does not wait for the log), all while PostgreSQL was refusing.
      await expect.poll(async () => (await fakeGraph.requests(c.callId)).some((r) => r.action === "terminate"), { timeout: 10_000 }).toBe(true);
      expect(c.heard.length - before).toBeGreaterThan(150);
      await sleep(8_000 - (Date.now() - refusedAt)); // the rest of the 8 s outage
    } finally {
      await allowConnections();
    }

    await c.close();
    const callRow = () =>
      db.call.findUniqueOrThrow({ where: { accountId_waCallId: { accountId, waCallId: c.callId } }, include: { steps: { orderBy: { seq: "asc" } } } });
    await expect.poll(async () => (await callRow()).endedAt, { timeout: 90_000, interval: 1_000 }).not.toBeNull();
    const call = await callRow();
    expect(call).toMatchObject({ status: "completed", disconnectedBy: "system", error: null });
    expect(call.steps.map((s) => `${s.nodeId}:${s.handle ?? "end"}${s.digits ? `[${s.digits}]` : ""}`)).toEqual([
      "hello:default",
      "menu:digit:1[1]",
      "order:default[42]",
      "bye:end",
    ]);
    expect(gateway.output).toMatch(/call log write failed; retrying/);
  }, 150_000);
});
