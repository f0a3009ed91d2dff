import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localTime } from "../../lib/ivr";
import { readOggOpus } from "../../lib/audio/ogg";
import { createAccount, createFlow, createOrg, createTeam } from "../../lib/seed/factories";
import { receiveWebhook } from "../../lib/whatsapp/webhook/receive";
import { SimulatedCaller } from "../../tools/wa-sim/caller";
import { connectPayload, type Line, newCallId, sampleOffer } from "../../tools/wa-sim/payloads";
import { signBody } from "../../lib/whatsapp/signature";
import { fakeGraph } from "../helpers/fake-graph";
import { GatewayProcess } from "../helpers/gateway-process";
import { toneAsset } from "../helpers/tone";
import { testDb as db } from "../helpers/test-db";

const SECRET = "e2e-app-secret";
const TOKEN = "EAAG-e2e-token";
let line: Line;
let orgId: string;
let accountId: string;
let greetingPackets: Buffer[];
const gateway = new GatewayProcess("e2e-gw-1");
const hooks: { body: string; url: string }[] = [];
let hookServer: http.Server;
let hookUrl = "";

const deliver = async (raw: Buffer, sig: string) => {
  const r = await receiveWebhook(raw, sig);
  await r.process();
  return r;
};
const caller = (from = "5511987654321") =>
  new SimulatedCaller({ line, appSecret: SECRET, from, name: "Ana Souza", deliver, graphRequests: (id) => fakeGraph.requests(id) });
const callRow = (waCallId: string) =>
  db.call.findUniqueOrThrow({ where: { accountId_waCallId: { accountId, waCallId } }, include: { steps: { orderBy: { seq: "asc" } } } });
// Closed every weekday, but open for two hours around "now" today through a date override: the
// gateway's timing node must read the real clock in the node's zone and apply the override.
const closedWeek = Object.fromEntries(["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map((d) => [d, { enabled: false, start: "09:00", end: "17:00" }]));
function openAroundNow(timezone: string) {
  const { date, minute } = localTime(Date.now(), timezone);
  const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
  return {
    timezone,
    schedule: closedWeek,
    overrides: [{ date, closed: false, start: hhmm(Math.max(0, minute - 60)), end: minute + 60 >= 1440 ? "24:00" : hhmm(minute + 60) }],
  };
}

async function useFlow(nodes: object[], edges: [string, string, string][]) {
  await db.ivrFlow.updateMany({ where: { accountId }, data: { active: false } });
  await createFlow(db, orgId, {
    accountId,
    document: {
      version: 1,
      entryNodeId: (nodes[0] as { id: string }).id,
      nodes,
      edges: edges.map(([source, sourceHandle, target], i) => ({ id: `e${i}`, source, sourceHandle, target })),
    },
  });
}
const node = (id: string, type: string, config: object, label = id) => ({ id, type, label, position: { x: 0, y: 0 }, config });

beforeAll(async () => {
  hookServer = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      hooks.push({ body, url: req.url ?? "" });
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ customer: { name: "Ana" } }));
    });
  });
  await new Promise<void>((r) => hookServer.listen(0, "127.0.0.1", r));
  hookUrl = `http://127.0.0.1:${(hookServer.address() as AddressInfo).port}`;

  const org = await createOrg(db, { name: "E2E Org", callingEnabled: true });
  orgId = org.id;
  line = { phoneNumberId: "555000555000555", displayPhone: "15550005555" };
  const account = await createAccount(db, orgId, { ...line, appSecret: SECRET, accessToken: TOKEN });
  accountId = account.id;
  await fakeGraph.registerAccount(line.phoneNumberId, TOKEN);
  await createTeam(db, orgId, "Support");

  // The greeting is an uploaded asset: a short tone, stored where the gateway reads audio.
  const { asset, file } = await toneAsset(db, orgId, { name: "Greeting tone", frequency: 523, seconds: 0.6 });
  greetingPackets = readOggOpus(fs.readFileSync(file)).packets;

  await useFlow(
    [
      node("hello", "greeting", { prompt: { assetId: asset.id }, interruptible: false }, "Welcome"),
      node(
        "menu",
        "menu",
        { prompt: { text: "Press one for orders." }, options: [{ digit: "1", label: "Orders" }], timeoutSecs: 5, maxRetries: 1 },
        "Main menu",
      ),
      node("order", "gather", { prompt: { text: "Enter your order number then hash." }, storeAs: "order", timeoutSecs: 5 }, "Order number"),
      node(
        "hook",
        "http_callback",
        { url: `${hookUrl}/orders`, method: "POST", bodyTemplate: '{"phone":"{{caller_phone}}","order":"{{order}}"}', storeResponseAs: "crm" },
        "CRM",
      ),
      node("hours", "timing", openAroundNow("Asia/Kolkata"), "Hours"),
      node("bye", "hangup", { prompt: { text: "Goodbye." } }, "Goodbye"),
    ],
    [
      ["hello", "default", "menu"],
      ["menu", "digit:1", "order"],
      ["menu", "max_retries", "bye"],
      ["order", "default", "hook"],
      ["order", "max_retries", "bye"],
      ["hook", "default", "hours"],
      ["hours", "in_hours", "bye"],
      ["hours", "out_of_hours", "bye"],
    ],
  );
  await gateway.start();
});

afterAll(async () => {
  await gateway.kill();
  gateway.saveLog("e2e-gateway");
  hookServer.close();
  await db.$disconnect();
});

describe("an incoming call through the IVR", () => {
  it("plays the greeting byte for byte, follows DTMF, calls the CRM and hangs up with a goodbye", async () => {
    const c = caller();
    await c.dial();
    await c.waitForAudio(greetingPackets.length + 10);
    expect(c.audio().slice(0, greetingPackets.length)).toEqual(greetingPackets);
    const heardBefore = c.heard.map((p) => p.header.sequenceNumber);
    for (let i = 1; i < heardBefore.length; i++) expect((heardBefore[i]! - heardBefore[i - 1]! + 0x10000) % 0x10000).toBe(1);

    await c.press("1");
    await c.press("1234#");
    await expect.poll(() => hooks.length, { timeout: 15_000 }).toBe(1);
    expect(JSON.parse(hooks[0]!.body)).toEqual({ phone: "5511987654321", order: "1234" });

    await expect.poll(async () => (await fakeGraph.requests(c.callId)).some((r) => r.action === "terminate"), { timeout: 20_000 }).toBe(true);
    const actions = (await fakeGraph.requests(c.callId)).map((r) => r.action);
    expect(actions).toEqual(["pre_accept", "accept", "terminate"]);
    await c.close();

    const call = await callRow(c.callId);
    expect(call).toMatchObject({ status: "completed", disconnectedBy: "system", gatewayId: "e2e-gw-1" });
    expect(call.answeredAt).not.toBeNull();
    expect(call.durationSecs).toBeGreaterThanOrEqual(1);
    expect(call.steps.map((s) => `${s.nodeId}:${s.handle ?? "end"}${s.digits ? `[${s.digits}]` : ""}`)).toEqual([
      "hello:default",
      "menu:digit:1[1]",
      "order:default[1234]",
      "hook:default",
      "hours:in_hours",
      "bye:end",
    ]);
  });

  it("closes the call when the caller hangs up mid-prompt", async () => {
    const c = caller("5511900000001");
    await c.dial();
    await c.waitForAudio(5);
    await c.hangUp();
    await expect.poll(async () => (await callRow(c.callId)).steps.at(-1)?.handle, { timeout: 10_000 }).toBe("caller_hangup");
    const call = await callRow(c.callId);
    expect(call).toMatchObject({ status: "completed", disconnectedBy: "client" });
    expect(call.steps.map((s) => s.nodeId)).toEqual(["hello"]);
    expect((await fakeGraph.requests(c.callId)).map((r) => r.action)).toEqual(["pre_accept", "accept"]);
  });

  it("retries a silent menu, then follows max_retries to the goodbye", async () => {
    await useFlow(
      [
        node("menu", "menu", { prompt: { text: "Press one." }, options: [{ digit: "1" }], timeoutSecs: 1, maxRetries: 1 }, "Menu"),
        node("t", "transfer", { teamId: "unused" }),
        node("bye", "hangup", { prompt: { text: "Goodbye." } }, "Goodbye"),
      ],
      [
        ["menu", "digit:1", "t"],
        ["menu", "max_retries", "bye"],
      ],
    );
    const c = caller("5511900000002");
    await c.dial();
    await expect.poll(async () => (await fakeGraph.requests(c.callId)).some((r) => r.action === "terminate"), { timeout: 30_000 }).toBe(true);
    await c.close();
    const call = await callRow(c.callId);
    expect(call.steps.map((s) => `${s.nodeId}:${s.handle ?? "end"}`)).toEqual(["menu:max_retries", "bye:end"]);
    expect(call).toMatchObject({ status: "completed", disconnectedBy: "system" });
  });
});

describe("a gateway shutting down", () => {
  it("stops taking calls on SIGTERM, lets the active call finish, then exits 0", async () => {
    await useFlow(
      [node("long", "greeting", { prompt: { text: "Thank you for calling. We are closing this line for maintenance." } }), node("bye", "hangup", {})],
      [["long", "default", "bye"]],
    );
    const c = caller("5511900000004");
    await c.dial();
    await c.waitForAudio(5);
    const exited = gateway.kill("SIGTERM");
    // While it drains, a new call finds no gateway and is rejected, not left ringing.
    await new Promise((r) => setTimeout(r, 500));
    const late = newCallId();
    const raw = Buffer.from(JSON.stringify(connectPayload(line, { callId: late, from: "5511900000005", sdp: sampleOffer() })));
    await deliver(raw, signBody(raw, SECRET));
    expect((await fakeGraph.requests(late)).map((r) => r.action)).toEqual(["reject"]);
    expect(await exited).toBe(0);
    await c.close();
    const call = await callRow(c.callId);
    expect(call).toMatchObject({ status: "completed", disconnectedBy: "system", error: null });
    expect(call.steps.map((s) => `${s.nodeId}:${s.handle ?? "end"}`)).toEqual(["long:default", "bye:end"]);
    await gateway.start();
  });
});

describe("a gateway that dies mid-call", () => {
  it("has its call terminated at WhatsApp and its log closed by the reaper", async () => {
    await useFlow(
      [node("long", "greeting", { prompt: { text: "Please hold while we look at your account. This will take a little while." } }), node("bye", "hangup", {})],
      [["long", "default", "bye"]],
    );
    const c = caller("5511900000003");
    await c.dial();
    await c.waitForAudio(5);
    expect(await gateway.kill("SIGKILL")).toBeNull();
    const successor = new GatewayProcess("e2e-gw-2");
    try {
      await successor.start();
      await expect.poll(async () => (await callRow(c.callId)).endedAt, { timeout: 40_000 }).not.toBeNull();
      expect((await fakeGraph.requests(c.callId)).map((r) => r.action)).toEqual(["pre_accept", "accept", "terminate"]);
      const call = await callRow(c.callId);
      expect(call).toMatchObject({ status: "completed", disconnectedBy: "system", gatewayId: "e2e-gw-1" });
      expect(call.error).toBe("Media gateway e2e-gw-1 stopped responding; the call was ended");
    } finally {
      await c.close();
      await successor.kill();
      successor.saveLog("e2e-gateway-2");
    }
  });
});
