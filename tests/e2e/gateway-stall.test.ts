// A gateway that falls behind (here: stopped outright for 1.5 s, as a starved or paused process is)
// rejects the calls it could only answer late (`[gateway] setup_deadline_ms`) instead of answering
// them seconds after they rang, and answers the next call normally once it has caught up.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAccount, createFlow, createOrg } from "../../lib/seed/factories";
import { signBody } from "../../lib/whatsapp/signature";
import { receiveWebhook } from "../../lib/whatsapp/webhook/receive";
import { SimulatedCaller } from "../../tools/wa-sim/caller";
import { connectPayload, type Line, newCallId, sampleOffer } from "../../tools/wa-sim/payloads";
import { fakeGraph } from "../helpers/fake-graph";
import { GatewayProcess } from "../helpers/gateway-process";
import { testDb as db } from "../helpers/test-db";

const SECRET = "stall-app-secret";
const TOKEN = "EAAG-stall-token";
const DEADLINE_MS = 1000;
const line: Line = { phoneNumberId: String(5e14 + Math.floor(Math.random() * 1e13)), displayPhone: "15550008888" };
let accountId: string;
const callers: SimulatedCaller[] = [];

function config(): string {
  const base = fs.readFileSync(path.resolve(import.meta.dirname, "../helpers/test-config.toml"), "utf8");
  const file = path.resolve(import.meta.dirname, "../../tmp/stall-gw.toml");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${base.replace("[calling]\n", "[calling]\nudp_port_min = 10320\nudp_port_max = 10339\n")}\n[gateway]\nshutdown_grace_secs = 1\n`);
  return file;
}
const gateway = new GatewayProcess("stall-gw", { CONFIG_FILE: config(), GATEWAY_SETUP_DEADLINE_MS: String(DEADLINE_MS) });

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
const actions = async (waCallId: string) => (await fakeGraph.requests(waCallId)).map((r) => r.action);

beforeAll(async () => {
  const org = await createOrg(db, { name: "Stall Org", callingEnabled: true });
  const account = await createAccount(db, org.id, { ...line, appSecret: SECRET, accessToken: TOKEN });
  accountId = account.id;
  await fakeGraph.registerAccount(line.phoneNumberId, TOKEN);
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
  await gateway.start();
});

afterAll(async () => {
  gateway.child?.kill("SIGCONT");
  await Promise.all(callers.map((c) => c.close()));
  await gateway.kill();
  gateway.saveLog("e2e-stall-gateway");
  await db.$disconnect();
});

describe("a gateway that fell behind", () => {
  it("answers calls as usual while it keeps up", async () => {
    const c = caller("5511900002001");
    await c.dial();
    await expect.poll(() => actions(c.callId)).toEqual(["pre_accept", "accept"]);
  });

  it("rejects the calls that rang while it was stopped, at once when it resumes, and answers the next one", async () => {
    const pid = gateway.child!.pid!;
    process.kill(pid, "SIGSTOP");
    const rang: string[] = [];
    try {
      for (const from of ["5511900002002", "5511900002003"]) {
        const waCallId = newCallId();
        const raw = Buffer.from(JSON.stringify(connectPayload(line, { callId: waCallId, from, sdp: sampleOffer() })));
        await deliver(raw, signBody(raw, SECRET));
        rang.push(waCallId);
      }
      await new Promise((r) => setTimeout(r, DEADLINE_MS + 500));
    } finally {
      process.kill(pid, "SIGCONT");
    }
    const resumed = performance.now();
    for (const waCallId of rang) {
      await expect.poll(() => actions(waCallId), { timeout: 2_000, interval: 20 }).toEqual(["reject"]);
      await expect.poll(async () => (await callRow(waCallId)).status, { timeout: 2_000 }).toBe("rejected");
      const row = await callRow(waCallId);
      expect(row.disconnectedBy).toBe("system");
      expect(row.error).toMatch(/^The media gateway could not answer within 1000 ms of the call \(\d+ ms had passed; it is overloaded\)$/);
    }
    // Told within a second of the gateway running again, not after a 20 s wait for media.
    expect(performance.now() - resumed).toBeLessThan(1_000);

    const next = caller("5511900002004");
    await next.dial();
    await expect.poll(() => actions(next.callId)).toEqual(["pre_accept", "accept"]);
  });
});
