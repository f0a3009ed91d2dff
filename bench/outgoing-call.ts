// Usage: npx tsx bench/outgoing-call.ts [calls=20]
//
// Outgoing calls on loopback, one after another: a fresh PostgreSQL database
// (ringflow_bench_outgoing), Redis db 14 (flushed), an in-process fake Graph API, one real
// media-gateway process, the agent routes' lib functions (tests/e2e/outgoing-rig) and a script agent
// calling simulated WhatsApp users. Prints p50/p95/max of:
//   1. place: POST /api/calls → `{callId, sdp}` (permission check, call log, gateway answers the
//      agent, gathers its WhatsApp offer, `connect` answered);
//   2. ringback: the RINGING webhook delivered → first ringback packet at the agent;
//   3. bridge: the callee starts answering (answer webhook) → first packet of the callee's voice at the agent.
import path from "node:path";
import { performance } from "node:perf_hooks";

const CALLS = Number(process.argv[2] ?? 20);
const root = path.resolve(import.meta.dirname, "..");
const out = (s = "") => process.stdout.write(`${s}\n`);

const { recreateDatabase, urlFor } = await import("../tests/helpers/pg");
const { FakeGraphApi } = await import("../tools/wa-sim/fake-graph");
const graph = new FakeGraphApi();
const graphUrl = await graph.listen(0);
Object.assign(process.env, {
  CONFIG_FILE: path.join(root, "tests/helpers/test-config.toml"),
  DATABASE_URL: urlFor("ringflow_bench_outgoing"),
  REDIS_URL: "redis://127.0.0.1:6379/14",
  GRAPH_API_BASE: graphUrl,
  LOG_LEVEL: "warn",
});
const { deployMigrations } = await import("../lib/db/schema-engine");
await deployMigrations(await recreateDatabase("ringflow_bench_outgoing"));
const { Redis } = await import("ioredis");
const redis = new Redis(process.env.REDIS_URL!);
await redis.flushdb();
redis.disconnect();

const { OutgoingRig } = await import("../tests/e2e/outgoing-rig");
const { tonePackets } = await import("../tools/wa-sim/tone");
const { OPUS_SILENCE } = await import("../lib/media/opus");
const { testDb } = await import("../tests/helpers/test-db");

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const line = (name: string, xs: number[]) =>
  out(
    `${name.padEnd(10)} p50 ${pct(xs, 50).toFixed(1).padStart(7)} ms   p95 ${pct(xs, 95).toFixed(1).padStart(7)} ms   max ${Math.max(...xs)
      .toFixed(1)
      .padStart(7)} ms   (n=${xs.length})`,
  );
async function until(fn: () => boolean, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!fn()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 2));
  }
}

const rig = new OutgoingRig();
const place: number[] = [];
const ringback: number[] = [];
const bridge: number[] = [];
try {
  await rig.start("bench-out-gw");
  const tone = new Set(tonePackets(440, 1).map((p) => p.toString("base64")));
  for (let i = 0; i < CALLS; i++) {
    const { contactId, callee } = await rig.contact(`Bench ${i}`);
    const contact = await testDb.contact.findUniqueOrThrow({ where: { id: contactId } });
    await fetch(`${graphUrl}/_sim/permissions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ userWaId: contact.waId, status: "granted" }),
    });
    const agent = rig.agent();
    const offer = await agent.createOffer();
    const t0 = performance.now();
    const res = await agent.call(contactId, rig.accountId, {}, offer);
    if (!res.ok) throw new Error(`place failed: ${res.status} ${await res.text()}`);
    place.push(performance.now() - t0);

    await callee.waitForCall();
    const rang = performance.now(); // RINGING has been delivered and processed
    const firstRingback = () => agent.heard.find((h) => h.at > rang && !h.packet.payload.equals(OPUS_SILENCE));
    await until(() => !!firstRingback(), 10_000);
    ringback.push(firstRingback()!.at - rang);

    const answering = performance.now();
    await callee.answer();
    callee.talk(tonePackets(440, 1));
    const isTone = (h: { packet: { payload: Buffer } }) => tone.has(h.packet.payload.toString("base64"));
    await until(() => agent.heard.some(isTone), 10_000);
    bridge.push(agent.heard.find(isTone)!.at - answering);

    await agent.control("hangup");
    await agent.close();
    await callee.close();
  }
} finally {
  await rig.stop();
  await graph.close();
  await testDb.$disconnect();
}
line("place", place);
line("ringback", ringback);
line("bridge", bridge);
