// Real gateway processes with small UDP ranges: a gateway takes as many calls as its ports hold,
// the next call is rejected through the Graph API at once (or taken by a second gateway), and a
// call that ends frees its slot. Never a caller left ringing into 20 s of silence.
import fs from "node:fs";
import path from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keys } from "../../lib/gateway/messages";
import { createAccount, createFlow, createOrg } from "../../lib/seed/factories";
import { signBody } from "../../lib/whatsapp/signature";
import { receiveWebhook } from "../../lib/whatsapp/webhook/receive";
import { SimulatedCaller } from "../../tools/wa-sim/caller";
import { connectPayload, type Line, newCallId, sampleOffer } from "../../tools/wa-sim/payloads";
import { fakeGraph } from "../helpers/fake-graph";
import { GatewayProcess } from "../helpers/gateway-process";
import { testDb as db } from "../helpers/test-db";

const SECRET = "capacity-app-secret";
const TOKEN = "EAAG-capacity-token";
const line: Line = { phoneNumberId: String(4e14 + Math.floor(Math.random() * 1e13)), displayPhone: "15550007777" };
let accountId: string;
const redis = new Redis(process.env.REDIS_URL!);
const callers: SimulatedCaller[] = [];

/** The test config with this gateway's own UDP range: 4 peers, so 2 calls (caller + agent leg each). */
function configWithPorts(name: string, min: number, max: number): string {
  const base = fs.readFileSync(path.resolve(import.meta.dirname, "../helpers/test-config.toml"), "utf8");
  const file = path.resolve(import.meta.dirname, `../../tmp/${name}.toml`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const text = base.replace("[calling]\n", `[calling]\nudp_port_min = ${min}\nudp_port_max = ${max}\n`);
  fs.writeFileSync(file, `${text}\n[gateway]\nshutdown_grace_secs = 1\n`);
  return file;
}

const first = new GatewayProcess("cap-gw-1", { CONFIG_FILE: configWithPorts("cap-gw-1", 10300, 10304) });
const second = new GatewayProcess("cap-gw-2", { CONFIG_FILE: configWithPorts("cap-gw-2", 10310, 10314) });

const deliver = async (raw: Buffer, sig: string) => {
  const r = await receiveWebhook(raw, sig);
  await r.process();
  return r;
};
function caller(from: string) {
  const c = new SimulatedCaller({ line, appSecret: SECRET, from, deliver, graphRequests: (id) => fakeGraph.requests(id) });
  callers.push(c);
  return c;
}
const callRow = (waCallId: string) => db.call.findUniqueOrThrow({ where: { accountId_waCallId: { accountId, waCallId } } });

/** Rings without a media peer of our own: only the business's reply matters. */
async function ring(from: string): Promise<{ waCallId: string; deliveredInMs: number }> {
  const waCallId = newCallId();
  const raw = Buffer.from(JSON.stringify(connectPayload(line, { callId: waCallId, from, sdp: sampleOffer() })));
  const started = performance.now();
  await deliver(raw, signBody(raw, SECRET));
  return { waCallId, deliveredInMs: performance.now() - started };
}

beforeAll(async () => {
  const org = await createOrg(db, { name: "Capacity Org", callingEnabled: true });
  const account = await createAccount(db, org.id, { ...line, appSecret: SECRET, accessToken: TOKEN });
  accountId = account.id;
  await fakeGraph.registerAccount(line.phoneNumberId, TOKEN);
  // A menu that waits a minute for a digit keeps every call up for the whole test.
  await createFlow(db, org.id, {
    accountId,
    document: {
      version: 1,
      entryNodeId: "menu",
      nodes: [
        {
          id: "menu",
          type: "menu",
          label: "Menu",
          position: { x: 0, y: 0 },
          config: { prompt: { text: "Press one." }, options: [{ digit: "1" }], timeoutSecs: 60, maxRetries: 0 },
        },
        { id: "bye", type: "hangup", label: "Goodbye", position: { x: 0, y: 0 }, config: {} },
      ],
      edges: [
        { id: "e1", source: "menu", sourceHandle: "digit:1", target: "bye" },
        { id: "e2", source: "menu", sourceHandle: "max_retries", target: "bye" },
      ],
    },
  });
  await first.start();
});

afterAll(async () => {
  await Promise.all(callers.map((c) => c.close()));
  await Promise.all([first.kill(), second.kill()]);
  first.saveLog("e2e-capacity-gateway-1");
  second.saveLog("e2e-capacity-gateway-2");
  redis.disconnect();
  await db.$disconnect();
});

describe("a gateway's capacity comes from its UDP ports", () => {
  it("takes as many calls as its ports hold and rejects the next through the Graph API at once", async () => {
    const info = JSON.parse((await redis.get(keys.gateway("cap-gw-1")))!);
    expect(info.capacity).toBe(2);

    const a = caller("5511900001001");
    const b = caller("5511900001002");
    await Promise.all([a.dial(), b.dial()]);
    expect((await callRow(a.callId)).gatewayId).toBe("cap-gw-1");
    expect((await callRow(b.callId)).gatewayId).toBe("cap-gw-1");

    const late = await ring("5511900001003");
    expect(late.deliveredInMs).toBeLessThan(1_000);
    expect((await fakeGraph.requests(late.waCallId)).map((r) => r.action)).toEqual(["reject"]);
    expect(await callRow(late.waCallId)).toMatchObject({
      status: "rejected",
      disconnectedBy: "system",
      error: "Every live media gateway is at capacity (1 gateway, 2 calls)",
    });
  });

  it("refuses a call itself, at once, when the web tier's count of its calls was lost", async () => {
    const held = await redis.zrange(keys.calls("cap-gw-1"), 0, -1);
    expect(held).toHaveLength(2);
    await redis.del(keys.calls("cap-gw-1"));
    const late = await ring("5511900001004");
    const started = performance.now();
    await expect.poll(async () => (await fakeGraph.requests(late.waCallId)).map((r) => r.action), { timeout: 1_000, interval: 20 }).toEqual(["reject"]);
    expect(performance.now() - started + late.deliveredInMs).toBeLessThan(1_000);
    await expect.poll(async () => (await callRow(late.waCallId)).status).toBe("rejected");
    expect((await callRow(late.waCallId)).error).toBe("Media gateway cap-gw-1 is full (2 of 2 calls)");
    // Put the count back as the gateway's own reconciliation would.
    await redis.zadd(keys.calls("cap-gw-1"), Date.now(), held[0]!, Date.now(), held[1]!);
  });

  it("sends the overflow to a second gateway", async () => {
    await second.start();
    const c = caller("5511900001005");
    await c.dial();
    expect((await callRow(c.callId)).gatewayId).toBe("cap-gw-2");
  });

  it("frees a call's slot and ports when it ends, so the next call is answered", async () => {
    const [a] = callers;
    await a!.hangUp();
    await expect.poll(() => redis.zcard(keys.calls("cap-gw-1")), { timeout: 5_000 }).toBe(1);
    // Both gateways now hold one call of two: whichever takes the next, it connects.
    const c = caller("5511900001006");
    await c.dial();
    expect(["cap-gw-1", "cap-gw-2"]).toContain((await callRow(c.callId)).gatewayId);
  });
});
