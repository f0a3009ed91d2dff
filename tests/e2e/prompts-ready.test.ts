// Prompts are ready before calls: a flow published with brand-new TTS text is rendered by the
// workers during publish, so a call placed at once hears the rendered greeting straight after
// `accept`, and the media gateway starts no child process (no synthesis on the call path).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readOggOpus } from "../../lib/audio/ogg";
import { createFlow, publishFlow, saveDraft } from "../../lib/flows/editor-service";
import { closeQueues } from "../../lib/jobs/registry";
import { startWorker } from "../../lib/jobs/runner";
import { createAccount, createOrg } from "../../lib/seed/factories";
import { storage } from "../../lib/storage";
import { receiveWebhook } from "../../lib/whatsapp/webhook/receive";
import { SimulatedCaller } from "../../tools/wa-sim/caller";
import type { Line } from "../../tools/wa-sim/payloads";
import { fakeGraph } from "../helpers/fake-graph";
import { GatewayProcess } from "../helpers/gateway-process";
import { testDb as db } from "../helpers/test-db";

const SECRET = "prompts-app-secret";
const TOKEN = "EAAG-prompts-token";
const COUNTER = path.resolve(import.meta.dirname, "../helpers/spawn-counter.mjs");
const spawnLog = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "rf-spawns-")), "gateway.jsonl");
const gateway = new GatewayProcess("e2e-gw-prompts", {
  NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --import=${COUNTER}`.trim(),
  RINGFLOW_SPAWN_LOG: spawnLog,
});
const worker = startWorker({ concurrency: 2, log: pino({ level: "silent" }), storage: storage() });
const line: Line = { phoneNumberId: String(4e14 + Math.floor(Math.random() * 1e13)), displayPhone: "15550007777" };
let orgId: string;
let accountId: string;

type SpawnRecord = { pid: number; at: number; kind: string; file: string | null };
const spawns = (): SpawnRecord[] =>
  fs.existsSync(spawnLog)
    ? fs
        .readFileSync(spawnLog, "utf8")
        .trim()
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as SpawnRecord)
    : [];

beforeAll(async () => {
  orgId = (await createOrg(db, { name: "Prompts Ready Org", callingEnabled: true })).id;
  accountId = (await createAccount(db, orgId, { ...line, appSecret: SECRET, accessToken: TOKEN })).id;
  await fakeGraph.registerAccount(line.phoneNumberId, TOKEN);
  await gateway.start();
});

afterAll(async () => {
  await gateway.kill();
  gateway.saveLog("e2e-gateway-prompts");
  await worker.close();
  await closeQueues();
  await db.$disconnect();
});

describe("prompts ready before the first call", () => {
  it("the spawn counter sees child processes (so an empty count means something)", () => {
    const log = path.join(path.dirname(spawnLog), "self-check.jsonl");
    const script = 'import { execFile } from "node:child_process"; execFile("true", () => {});';
    execFileSync(process.execPath, [`--import=${COUNTER}`, "--input-type=module", "-e", script], { env: { ...process.env, RINGFLOW_SPAWN_LOG: log } });
    const kinds = fs
      .readFileSync(log, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l).kind);
    expect(kinds).toEqual(["loaded", "spawn"]);
  });

  it("publishes new TTS text rendered, and a call placed at once hears it right after accept, with no child process in the gateway", async () => {
    const greeting = `Welcome to the ready audio test, run ${Date.now()}.`;
    const flow = await createFlow(orgId, { name: "Ready audio", description: undefined, accountId, active: true, isCallStart: true });
    await saveDraft(orgId, flow.id, {
      version: 1,
      entryNodeId: "hello",
      nodes: [
        { id: "hello", type: "greeting", label: "Hello", position: { x: 0, y: 0 }, config: { prompt: { text: greeting }, interruptible: false } },
        { id: "bye", type: "hangup", label: "Bye", position: { x: 0, y: 100 }, config: { prompt: { text: "Goodbye." } } },
      ],
      edges: [{ id: "e1", source: "hello", sourceHandle: "default", target: "bye" }],
    });
    const publishStarted = Date.now();
    await publishFlow(orgId, flow.id);
    const publishMs = Date.now() - publishStarted;

    // The ready state: the published greeting plays a rendered asset.
    const published = await db.ivrFlow.findUniqueOrThrow({ where: { id: flow.id }, select: { publishedDocument: true } });
    const hello = (published.publishedDocument as { nodes: { id: string; config: { prompt: { assetId?: string; text: string } } }[] }).nodes[0]!;
    expect(hello.config.prompt.text).toBe(greeting);
    const asset = await db.audioAsset.findFirstOrThrow({ where: { id: hello.config.prompt.assetId ?? "none", orgId } });
    expect(asset).toMatchObject({ status: "ready", kind: "tts", sourceText: greeting });
    const rendered = readOggOpus(await storage().get(asset.storageKey!)).packets;

    const before = spawns();
    expect(before.some((s) => s.kind === "loaded" && s.pid === gateway.child?.pid)).toBe(true);

    const c = new SimulatedCaller({
      line,
      appSecret: SECRET,
      from: "5511977770000",
      name: "Ready Caller",
      deliver: async (raw, sig) => {
        const r = await receiveWebhook(raw, sig);
        await r.process();
        return r;
      },
      graphRequests: (id) => fakeGraph.requests(id),
    });
    // Note when the first greeting packet arrives (the caller keeps packets, not arrival times).
    let firstPacketAt = 0;
    const watch = setInterval(() => {
      if (!firstPacketAt && c.audio()[0]?.equals(rendered[0]!)) firstPacketAt = Date.now();
    }, 1);
    try {
      await c.dial();
      await c.waitForAudio(rendered.length);
    } finally {
      clearInterval(watch);
    }
    expect(c.audio().slice(0, rendered.length)).toEqual(rendered);
    const accept = (await fakeGraph.requests(c.callId)).find((r) => r.action === "accept");
    expect(accept).toBeDefined();
    const firstPacketMs = firstPacketAt - accept!.at;
    process.stdout.write(`prompts-ready: publish (render + wait) ${publishMs} ms; accept → first greeting packet ${firstPacketMs} ms (goal < 400 ms)\n`);

    await expect.poll(async () => (await fakeGraph.requests(c.callId)).some((r) => r.action === "terminate"), { timeout: 30_000 }).toBe(true);
    await c.close();
    // Nothing was synthesized or transcoded on the call path: the gateway started no child process.
    const during = spawns()
      .slice(before.length)
      .filter((s) => s.pid === gateway.child?.pid);
    expect(during).toEqual([]);
    expect(gateway.output).not.toMatch(/prompt audio is missing/);
  });
});
