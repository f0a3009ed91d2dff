// Webhook → gateway assignment latency at a steady 50 calls/s (loopback, real PostgreSQL/Redis).
// Measures from the moment the signed body is handed to the webhook code until a stand-in gateway
// pops the call.assign command from its Redis inbox. Run: npx tsx bench/webhook-latency.ts [calls] [rate]
// It drops and recreates the database it is configured with (DATABASE_URL, as in the README), so it
// runs on a fresh machine; that database's name must end in _bench so no real data is at risk.
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";

// A fresh machine has no config.toml: the accounts stored in this throwaway database are sealed
// with a throwaway key (and per-call info logs would drown the result). Set before the app's
// modules load, as they read the config once.
process.env.ENCRYPTION_KEY ||= randomBytes(32).toString("hex");
process.env.LOG_LEVEL ||= "warn";
const { config } = await import("../lib/config");
const { createPrisma } = await import("../lib/db");
const { deployMigrations } = await import("../lib/db/schema-engine");
const { GatewayAgent } = await import("../lib/gateway/agent");
const { createAccount, createFlow, createOrg } = await import("../lib/seed/factories");
const { signBody } = await import("../lib/whatsapp/signature");
const { receiveWebhook } = await import("../lib/whatsapp/webhook/receive");
const { connectPayload, newCallId, sampleOffer } = await import("../tools/wa-sim/payloads");
const { recreateDatabaseAt } = await import("../tests/helpers/pg");

const CALLS = Number(process.argv[2] ?? 500);
const RATE = Number(process.argv[3] ?? 50);
// The webhook code under test uses the configured database and Redis; the benchmark uses the same.
const { database, redis: redisConfig } = config();
const dbUrl = benchDatabaseUrl(database.url);
await recreateDatabaseAt(dbUrl);
await deployMigrations(dbUrl);
const db = createPrisma(dbUrl);
const org = await createOrg(db, { name: "Bench" });
const secret = "bench-secret";
const line = { phoneNumberId: `9${Date.now()}`.slice(0, 15), displayPhone: "15550009999" };
const account = await createAccount(db, org.id, { ...line, appSecret: secret });
await createFlow(db, org.id, { accountId: account.id });

const r1 = new Redis(redisConfig.url);
const r2 = new Redis(redisConfig.url);
const gw = new GatewayAgent(r1, r2, {
  id: `bench-${randomBytes(3).toString("hex")}`,
  host: "bench",
  pid: process.pid,
  load: 0,
  capacity: 100_000,
  startedAt: Date.now(),
  draining: false,
});
await gw.start();

const sentAt = new Map<string, number>();
const latencies: number[] = [];
const consumer = (async () => {
  while (latencies.length < CALLS) {
    const env = await gw.next(2);
    if (!env) break;
    if (env.command.type === "call.assign") latencies.push(performance.now() - sentAt.get(env.command.waCallId)!);
  }
})();

const started = performance.now();
const inflight: Promise<void>[] = [];
for (let i = 0; i < CALLS; i++) {
  const due = started + (i * 1000) / RATE;
  const wait = due - performance.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  const callId = newCallId();
  const raw = Buffer.from(JSON.stringify(connectPayload(line, { callId, from: `55119${String(i).padStart(8, "0")}`, sdp: sampleOffer() })));
  sentAt.set(callId, performance.now());
  inflight.push(receiveWebhook(raw, signBody(raw, secret)).then((r) => r.process()));
}
await Promise.all(inflight);
await consumer;
const sorted = latencies.sort((a, b) => a - b);
const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]?.toFixed(1);
process.stdout.write(
  `webhook→assignment at ${RATE} calls/s: ${sorted.length}/${CALLS} assigned, p50 ${pct(50)} ms, p95 ${pct(95)} ms, p99 ${pct(99)} ms, max ${sorted.at(-1)?.toFixed(1)} ms\n`,
);
await gw.close();
r1.disconnect();
r2.disconnect();
await db.$disconnect();
// The webhook code's shared Redis and Prisma clients would keep the process alive.
process.exit(0);

function benchDatabaseUrl(url: string): string {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  if (!name.endsWith("_bench")) {
    process.stderr.write(
      `bench/webhook-latency.ts drops and recreates its database, so its name must end in _bench (got "${name}"). Run:\n` +
        "DATABASE_URL=postgresql://postgres@127.0.0.1:5432/ringflow_bench REDIS_URL=redis://127.0.0.1:6379/8 npx tsx bench/webhook-latency.ts 500 50\n",
    );
    process.exit(2);
  }
  return url;
}
