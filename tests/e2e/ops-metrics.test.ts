import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAccount, createFlow, createOrg } from "../../lib/seed/factories";
import { receiveWebhook } from "../../lib/whatsapp/webhook/receive";
import { SimulatedCaller } from "../../tools/wa-sim/caller";
import type { Line } from "../../tools/wa-sim/payloads";
import { tonePackets } from "../../tools/wa-sim/tone";
import { fakeGraph } from "../helpers/fake-graph";
import { freePort } from "../helpers/free-port";
import { GatewayProcess } from "../helpers/gateway-process";
import { toneAsset } from "../helpers/tone";
import { testDb as db } from "../helpers/test-db";

const SECRET = "e2e-ops-secret";
const TOKEN = "EAAG-e2e-ops-token";
const line: Line = { phoneNumberId: `5550${Math.floor(Math.random() * 1e10)}`, displayPhone: "15550007777" };
let gateway: GatewayProcess;
let base = "";

/** One sample of a metric from the Prometheus text, optionally the one carrying a label (e.g. `disconnected_by="client"`). */
async function metric(name: string, label = ""): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const sample = text.split("\n").find((l) => (l.startsWith(`${name}{`) || l.startsWith(`${name} `)) && l.includes(label));
  return sample ? Number(sample.trim().split(/\s+/).at(-1)) : Number.NaN;
}

const newCaller = () =>
  new SimulatedCaller({
    line,
    appSecret: SECRET,
    from: `55119${Math.floor(Math.random() * 1e8)}`,
    name: "Ops Caller",
    deliver: async (raw, sig) => {
      const r = await receiveWebhook(raw, sig);
      await r.process();
      return r;
    },
    graphRequests: (id) => fakeGraph.requests(id),
  });

beforeAll(async () => {
  const org = await createOrg(db, { name: "Ops Org", callingEnabled: true });
  const account = await createAccount(db, org.id, { ...line, appSecret: SECRET, accessToken: TOKEN });
  await fakeGraph.registerAccount(line.phoneNumberId, TOKEN);
  const { asset } = await toneAsset(db, org.id, { name: "Tone", frequency: 440, seconds: 0.4 });
  const node = (id: string, type: string, cfg: object) => ({ id, type, label: id, position: { x: 0, y: 0 }, config: cfg });
  await createFlow(db, org.id, {
    accountId: account.id,
    document: {
      version: 1,
      entryNodeId: "menu",
      nodes: [
        node("menu", "menu", { prompt: { assetId: asset.id }, options: [{ digit: "1" }, { digit: "2" }], timeoutSecs: 20, maxRetries: 1 }),
        node("bye", "hangup", {}),
      ],
      edges: [
        { id: "e1", source: "menu", sourceHandle: "digit:1", target: "bye" },
        { id: "e2", source: "menu", sourceHandle: "digit:2", target: "menu" },
        { id: "e3", source: "menu", sourceHandle: "max_retries", target: "bye" },
      ],
    },
  });
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  gateway = new GatewayProcess("e2e-ops-gw", { GATEWAY_METRICS_PORT: String(port) });
  await gateway.start();
});

afterAll(async () => {
  await gateway?.kill("SIGKILL");
  gateway?.saveLog("e2e-ops-gateway");
});

describe("the gateway's operations endpoint", () => {
  it("answers /healthz and /readyz and shows a live call in /metrics", async () => {
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect((await ready.json()).checks).toMatchObject({ redis: { ok: true }, postgres: { ok: true }, accepting: { ok: true } });
    expect(await metric("ringflow_gateway_active_calls")).toBe(0);
    expect(await metric("ringflow_gateway_udp_ports")).toBeGreaterThan(0);

    const caller = newCaller();
    await caller.dial();
    await caller.waitForAudio(10);
    expect(await metric("ringflow_gateway_active_calls")).toBe(1);
    expect(await metric("ringflow_gateway_call_setup_seconds_count")).toBe(1);
    const setupSecs = await metric("ringflow_gateway_call_setup_seconds_sum");
    expect(setupSecs).toBeGreaterThan(0);
    expect(setupSecs).toBeLessThan(20);
    expect(await metric("ringflow_gateway_udp_ports_in_use")).toBeGreaterThan(0);
    expect(await metric("ringflow_gateway_send_interval_ms_count")).toBeGreaterThan(5);
    caller.talk(tonePackets(300, 1));
    await expect.poll(() => metric("ringflow_gateway_rtp_packets_received_total"), { timeout: 5_000 }).toBeGreaterThan(20);
    caller.stopTalking();
    expect(await metric("ringflow_gateway_rtp_packets_lost_total")).toBe(0);

    await caller.press("2");
    await expect.poll(() => metric("ringflow_gateway_dtmf_digits_total"), { timeout: 5_000 }).toBe(1);
    await caller.hangUp();
    await expect.poll(() => metric("ringflow_gateway_active_calls"), { timeout: 10_000 }).toBe(0);
    expect(await metric("ringflow_gateway_calls_ended_total", 'disconnected_by="client"')).toBe(1);
    await caller.close();
  });

  it("is not ready while it drains a call, and says why", async () => {
    const caller = newCaller();
    await caller.dial();
    await caller.waitForAudio(5);
    const exited = gateway.kill("SIGTERM");
    // The call keeps the process draining (up to shutdown_grace_secs) until it ends.
    await expect.poll(async () => (await fetch(`${base}/readyz`)).status, { timeout: 5_000 }).toBe(503);
    const body = await (await fetch(`${base}/readyz`)).json();
    expect(body.checks.accepting).toMatchObject({ ok: false, error: expect.stringMatching(/draining/) });
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    await caller.hangUp();
    expect(await exited).toBe(0);
    await caller.close();
  });
});
