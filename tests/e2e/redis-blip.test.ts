// Fault drill: Redis stops answering for 10 s, then restarts empty, while a call is in progress on
// one of two gateways. Media never depends on Redis, so the caller hears audio throughout; no
// gateway reaps the other when the stale heartbeats reappear; after the restart both gateways
// register again and new calls are answered. Runs its own redis-server so other suites are untouched.
import { type ChildProcess, spawn } from "node:child_process";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { keys } from "../../lib/gateway/messages";
import { createAccount, createFlow, createOrg } from "../../lib/seed/factories";
import { receiveWebhook } from "../../lib/whatsapp/webhook/receive";
import { SimulatedCaller } from "../../tools/wa-sim/caller";
import type { Line } from "../../tools/wa-sim/payloads";
import { fakeGraph } from "../helpers/fake-graph";
import { GatewayProcess } from "../helpers/gateway-process";
import { toneAsset } from "../helpers/tone";
import { testDb as db } from "../helpers/test-db";

// Before any module reads the config: this file's web side (webhooks) uses the drill's Redis.
const PORT = vi.hoisted(() => {
  const port = 26_000 + Math.floor(Math.random() * 3000);
  process.env.REDIS_URL = `redis://127.0.0.1:${port}`;
  return port;
});

const SECRET = "blip-app-secret";
const TOKEN = "EAAG-blip-token";
// A number of its own (other e2e files create theirs in the same database).
const line: Line = { phoneNumberId: String(5e14 + Math.floor(Math.random() * 1e13)), displayPhone: "15550007070" };
let accountId: string;
let redisServer: ChildProcess | null = null;
const gwA = new GatewayProcess("blip-gw-a");
const gwB = new GatewayProcess("blip-gw-b", { UDP_PORT_MIN: "10600", UDP_PORT_MAX: "10700" });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function startRedis() {
  redisServer = spawn("redis-server", ["--port", String(PORT), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
  const probe = new Redis(PORT, "127.0.0.1", { lazyConnect: true, retryStrategy: () => 100, maxRetriesPerRequest: 1 });
  for (let i = 0; i < 50; i++) {
    if (
      await probe.ping().then(
        () => true,
        () => false,
      )
    )
      break;
    await sleep(100);
  }
  probe.disconnect();
}

async function stopRedis() {
  const child = redisServer;
  redisServer = null;
  if (!child || child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
}

const deliver = async (raw: Buffer, sig: string) => {
  const r = await receiveWebhook(raw, sig);
  await r.process();
  return r;
};
const callers: SimulatedCaller[] = [];
const caller = (from: string) => {
  const c = new SimulatedCaller({ line, appSecret: SECRET, from, name: "Blip Caller", deliver, graphRequests: (id) => fakeGraph.requests(id) });
  callers.push(c);
  return c;
};
const callOf = (waCallId: string) => db.call.findUniqueOrThrow({ where: { accountId_waCallId: { accountId, waCallId } } });

beforeAll(async () => {
  await startRedis();
  const org = await createOrg(db, { name: "Blip Org", callingEnabled: true });
  const account = await createAccount(db, org.id, { ...line, appSecret: SECRET, accessToken: TOKEN });
  accountId = account.id;
  await fakeGraph.registerAccount(line.phoneNumberId, TOKEN);
  // A long tone keeps audio flowing for the whole drill.
  const { asset } = await toneAsset(db, org.id, { name: "Long tone", frequency: 440, seconds: 60 });
  await createFlow(db, org.id, {
    accountId,
    document: {
      version: 1,
      entryNodeId: "tone",
      nodes: [
        { id: "tone", type: "greeting", label: "Tone", position: { x: 0, y: 0 }, config: { prompt: { assetId: asset.id }, interruptible: false } },
        { id: "bye", type: "hangup", label: "Bye", position: { x: 0, y: 100 }, config: {} },
      ],
      edges: [{ id: "e1", source: "tone", sourceHandle: "default", target: "bye" }],
    },
  });
  await gwA.start();
  await gwB.start();
}, 60_000);

afterAll(async () => {
  // The callers hang up first: a gateway stopping with a call still up drains for shutdown_grace_secs (30 s).
  await Promise.all(callers.map((c) => c.hangUp().catch(() => {})));
  await Promise.all([gwA.kill(), gwB.kill()]);
  gwA.saveLog("e2e-redis-blip-gw-a");
  gwB.saveLog("e2e-redis-blip-gw-b");
  await stopRedis();
  await db.$disconnect();
});

describe("Redis fault drill", () => {
  it("keeps calls going through a 10 s Redis stall and a restart, reaps nobody, and takes new calls after", async () => {
    const first = caller("5511911110001");
    await first.dial();
    await first.waitForAudio(25);

    // 1. Redis stalls for 10 s: heartbeats and reapers queue up behind it, with stale scores.
    const admin = new Redis(PORT, "127.0.0.1");
    await admin.client("PAUSE", 10_000, "ALL");
    admin.disconnect();
    const duringStall = first.heard.length;
    await sleep(11_000);
    // Audio kept flowing while Redis was silent (50 packets/s; allow for scheduling).
    expect(first.heard.length - duringStall).toBeGreaterThan(400);
    // The reapers that ran right after the stall saw stale heartbeats; neither gateway may be reaped.
    await sleep(12_000);
    const probe = new Redis(PORT, "127.0.0.1");
    expect(await probe.zrange(keys.registry, 0, -1)).toEqual(expect.arrayContaining(["blip-gw-a", "blip-gw-b"]));
    expect(await probe.exists(keys.fenced("blip-gw-a"), keys.fenced("blip-gw-b"))).toBe(0);
    probe.disconnect();
    expect((await callOf(first.callId)).endedAt).toBeNull();
    expect((await fakeGraph.requests(first.callId)).map((r) => r.action)).not.toContain("terminate");

    // 2. Redis restarts empty after 10 s down.
    const beforeRestart = first.heard.length;
    await stopRedis();
    await sleep(10_000);
    await startRedis();
    expect(first.heard.length - beforeRestart).toBeGreaterThan(400);
    // Both gateways register again within a few heartbeats.
    const after = new Redis(PORT, "127.0.0.1");
    await expect.poll(async () => (await after.zrange(keys.registry, 0, -1)).sort(), { timeout: 10_000 }).toEqual(["blip-gw-a", "blip-gw-b"]);
    // The first call's owner key, lost with Redis, is back (agent commands find its gateway).
    const firstRow = await callOf(first.callId);
    await expect.poll(() => after.get(keys.owner(firstRow.id)), { timeout: 20_000 }).toBe(firstRow.gatewayId);
    after.disconnect();
    expect((await callOf(first.callId)).endedAt).toBeNull();

    // 3. A new call is answered and hears the tone.
    const second = caller("5511911110002");
    await second.dial();
    await second.waitForAudio(25);
    expect((await callOf(second.callId)).gatewayId).toMatch(/^blip-gw-[ab]$/);
    await Promise.all([first.close(), second.close()]);
  }, 120_000);
});
