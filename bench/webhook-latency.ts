// Usage: npx tsx bench/webhook-latency.ts [rate=50] [secs=60] [holdSecs=3]
//
// Call setup under sustained load, end to end on loopback: WhatsApp-like callers (werift ICE-lite
// offerers, as tools/wa-sim, in a child process: bench/setup-callers.ts) ring at `rate` calls/s for
// `secs` seconds; each signed connect webhook goes through the webhook code (in this process, as the
// web tier would run it) to one real media-gateway process (UDP 22000–23999; BENCH_GATEWAYS for more), which answers through
// a fake Graph API (a process of its own, bench/graph-child.ts, stamping each request as it arrives) and plays the flow's greeting, a tone prompt. Each caller connects media, talks Opus silence, and
// hangs up `holdSecs` after it connected, so about rate × (setup + holdSecs) calls are up at once.
// Ten warm-up calls (Prisma's first queries, first connections, JIT) go first and are not counted.
// Prints p50/p95/p99/max of webhook → 200 reply, → assignment (Redis admitted the call into the
// gateway's inbox), → pre_accept received by the fake Graph API, → first greeting packet at the
// caller; counts (placed, answered, rejected, failed); gateway and bench CPU; cores and load.
//
// It drops and recreates its database: DATABASE_URL (its name must end in _bench; default
// ringflow_setup_bench) and flushes REDIS_URL's db (default db 8), so it runs on a fresh machine.
// BENCH_CALLERS=2 splits the callers between two processes (calls alternate between them, on one
// schedule; shard 0 places the warm-up calls): one callers' loop then carries half the calls, so its
// own lateness counts less in the stamps (WhatsApp's side is not on our machine in reality).
// BENCH_GATEWAYS=2 runs two gateway processes with half the UDP range each, as `npm run gateway` does
// on this 2-core machine (one per core); the default is one.
// Diagnostics: BENCH_GATEWAY_NODE_ARGS adds node flags to the gateway (e.g. "--cpu-prof
// --cpu-prof-dir=/tmp/gw-prof"; the profile is written when the gateway exits at the end), and
// BENCH_CALLERS_NODE_ARGS the same to the callers' process (NODE_OPTIONS refuses --cpu-prof; profile
// this process itself with `node --cpu-prof --import tsx bench/webhook-latency.ts …`).
// Gateway log: /tmp/ringflow-bench-webhook-latency-gateway.log.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import type { RecordedRequest } from "../tools/wa-sim/fake-graph";
import { startGraphProcess, watchRejectsSent } from "./graph-child";
import { Bench, f1, out, processCount, sleep } from "./harness";
import { CallersPool } from "./setup-callers-pool";

const RATE = Number(process.argv[2] ?? 50);
const SECS = Number(process.argv[3] ?? 60);
const HOLD_SECS = Number(process.argv[4] ?? 3);
if (!(RATE > 0) || !(SECS > 0) || !(HOLD_SECS >= 0)) {
  process.stderr.write("Usage: npx tsx bench/webhook-latency.ts [rate=50] [secs=60] [holdSecs=3]\n");
  process.exit(2);
}
const CALLS = Math.round(RATE * SECS);
// Below the kernel's ephemeral ports (32768–60999 here): the callers' sockets bind there and would take ports calls were given.
const UDP = [22000, 23999] as const;
const GATEWAYS = processCount("BENCH_GATEWAYS");
const CALLER_PROCESSES = processCount("BENCH_CALLERS");
const RING_TIMEOUT_MS = 20_000;
const GREETING_SECS = HOLD_SECS + 30;
/** Calls placed and finished before the measured ones (Prisma's first queries, JIT, first connections). */
const WARMUP_CALLS = 10;

const root = path.resolve(import.meta.dirname, "..");

const dbUrl = benchDatabaseUrl(process.env.DATABASE_URL || "postgresql://postgres@127.0.0.1:5432/ringflow_setup_bench");
const redisUrl = process.env.REDIS_URL || "redis://127.0.0.1:6379/8";

// ---------- configuration, written before any project module reads it ----------

const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), "ringflow-bench-setup-"));
const audioDir = path.join(tmpDir, "audio");
const configFile = path.join(tmpDir, "config.toml");
// The fake Graph API runs in a process of its own, as Meta's servers do (bench/graph-child.ts).
const graphRequests: ((r: RecordedRequest, at: number) => void)[] = [];
const graph = await startGraphProcess((r, at) => {
  for (const hear of graphRequests) hear(r, at);
});
const graphUrl = graph.url;
{
  const { stringify } = await import("smol-toml");
  const cfg = {
    // A throwaway database, so throwaway secrets (a fresh machine has no config.toml).
    server: { auth_secret: randomBytes(24).toString("hex"), encryption_key: randomBytes(32).toString("hex") },
    calling: { audio_dir: audioDir, udp_port_min: UDP[0], udp_port_max: UDP[1] },
    whatsapp: { graph_api_base: graphUrl },
    // No metrics port: other benches' gateways may hold the default one.
    gateway: { capacity: 1000, shutdown_grace_secs: 2, metrics_port: 0 },
  };
  fs.writeFileSync(configFile, `# Written by bench/webhook-latency.ts\n${stringify(cfg)}\n`);
}
// Per-call logs in this process would compete with the callers (and each rejected call warns; the bench
// counts them and lists their reasons); the gateway logs at info as in production.
Object.assign(process.env, { CONFIG_FILE: configFile, DATABASE_URL: dbUrl, REDIS_URL: redisUrl, GRAPH_API_BASE: graphUrl, LOG_LEVEL: "error" });

const { redis: webRedis } = await import("../lib/gateway/redis");
const { createFlow } = await import("../lib/seed/factories");
const { receiveWebhook } = await import("../lib/whatsapp/webhook/receive");
const { cpuTicks, machineTicks, summary } = await import("./rtp-probe");
const { epochMs } = await import("./caller-link");

// ---------- lifecycle: everything started is stopped, even on failure ----------

const bench = new Bench((SECS + HOLD_SECS + 180) * 1000);
bench.defer(() => fs.rmSync(tmpDir, { recursive: true, force: true }));
bench.defer(() => graph.stop());

/** What one call saw, in epoch ms (the callers' process stamps the greeting on the same clock). */
interface CallTimes {
  /** When the callers' process sent the webhook (the bench's loop may take it up later). */
  sent?: number;
  webhook: number;
  reply?: number;
  assigned?: number;
  preAccept?: number;
  /** When the business's accept reached the Graph API (after ICE and DTLS connected). */
  accepted?: number;
  greeting?: number;
  connected?: boolean;
  rejected?: boolean;
  /** When the business's reject reached the Graph API (refused calls only). */
  rejectedAt?: number;
  /** When the web tier's code handed that reject to fetch(). */
  rejectSentAt?: number;
  error?: string;
}
const calls = new Map<string, CallTimes>();

await bench.run(async () => {
  // ---------- database, Redis, seed: a flow that starts with a greeting (a tone prompt) ----------
  bench.mark(`fresh database ${new URL(dbUrl).pathname.slice(1)}, ${redisUrl} (flushed), fake Graph API ${graphUrl}`);
  const { freshStores, seedToneLine } = await import("./tone-line");
  const { db } = await freshStores(dbUrl, redisUrl, bench.cleanups);
  const { secret, org, account, asset, line } = await seedToneLine(db, graph, {
    name: "Bench setup",
    phoneNumberId: "555000777000777",
    displayPhone: "15550007777",
    audioDir,
    toneKey: "bench/greeting.ogg",
    toneSecs: GREETING_SECS,
  });
  const node = (id: string, type: string, config: object) => ({ id, type, label: id, position: { x: 0, y: 0 }, config });
  await createFlow(db, org.id, {
    accountId: account.id,
    document: {
      version: 1,
      entryNodeId: "welcome",
      nodes: [node("welcome", "greeting", { prompt: { assetId: asset.id }, interruptible: false }), node("bye", "hangup", {})],
      edges: [{ id: "e0", source: "welcome", sourceHandle: "default", target: "bye" }],
    },
  });

  // ---------- the gateway: GATEWAYS processes of their own, each with its slice of the UDP range ----------
  const gateways = await bench.startGateways(
    GATEWAYS,
    `bench-setup-gw-${process.pid}`,
    UDP,
    { CONFIG_FILE: configFile, DATABASE_URL: dbUrl, REDIS_URL: redisUrl, GRAPH_API_BASE: graphUrl },
    path.join(os.tmpdir(), "ringflow-bench-webhook-latency-gateway"),
  );
  bench.mark(`${CALLS} calls at ${RATE}/s, each up ${HOLD_SECS} s after connecting`);

  // ---------- instrumentation: assignment (the web tier's Redis client) and the Graph API ----------
  // Assignment is the moment Redis answers the admission script that queued call.assign in the
  // gateway's inbox: observed on the web tier's own client, so nothing is added to the path.
  const web = webRedis();
  const evalCommand = web.eval.bind(web) as (...args: unknown[]) => Promise<unknown>;
  (web as unknown as { eval: (...args: unknown[]) => Promise<unknown> }).eval = async (...args) => {
    const result = await evalCommand(...args);
    const at = epochMs();
    if (Array.isArray(result) && result[0] === "assigned") {
      for (const a of args) {
        if (typeof a !== "string" || !a.includes('"call.assign"')) continue;
        const waCallId = (JSON.parse(a) as { command?: { waCallId?: string } }).command?.waCallId;
        const t = waCallId ? calls.get(waCallId) : undefined;
        if (t) t.assigned ??= at;
      }
    }
    return result;
  };

  // ---------- the callers, processes of their own; their webhooks arrive here over IPC ----------
  const callersNodeArgs = process.env.BENCH_CALLERS_NODE_ARGS?.split(" ").filter(Boolean) ?? [];
  const callers = new CallersPool(
    CALLER_PROCESSES,
    callersNodeArgs,
    root,
    (m, reply) => {
      switch (m.type) {
        case "webhook": {
          const at = epochMs();
          const first = !calls.has(m.callId);
          if (first) calls.set(m.callId, { webhook: at, sent: m.sentAt });
          void (async () => {
            const received = await receiveWebhook(Buffer.from(m.raw, "base64"), m.signature);
            if (first) calls.get(m.callId)!.reply = epochMs();
            await received.process();
          })().then(
            () => reply({ type: "delivered", id: m.id }),
            (err: Error) => reply({ type: "delivered", id: m.id, error: err.message }),
          );
          return;
        }
        case "connected":
          if (calls.has(m.callId)) calls.get(m.callId)!.connected = true;
          return;
        case "greeting":
          if (calls.has(m.callId)) calls.get(m.callId)!.greeting = m.at;
          return;
        case "failed": {
          const t = calls.get(m.callId);
          if (t) t.error = m.error;
          else calls.set(m.callId, { webhook: Number.NaN, error: m.error });
          return;
        }
      }
    },
    // The warm-up calls are over: only the measured ones count.
    () => calls.clear(),
  );
  bench.defer(() => callers.kill());
  // Stamps each reject as the web tier's code sends it, to tell its delay from the request's own.
  bench.defer(
    watchRejectsSent((waCallId) => {
      const t = calls.get(waCallId);
      if (t) t.rejectSentAt ??= epochMs();
    }),
  );
  graphRequests.push((r, at) => {
    if (!r.callId) return;
    const t = calls.get(r.callId);
    if (t && r.action === "pre_accept" && r.status === 200) t.preAccept ??= at;
    if (t && r.action === "accept" && r.status === 200) t.accepted ??= at;
    if (t && r.action === "reject") {
      t.rejected = true;
      t.rejectedAt ??= at;
    }
    if (r.action === "pre_accept" || r.action === "reject") callers.graph(r);
  });

  // ---------- drive: RATE webhooks per second for SECS seconds ----------
  const loop = monitorEventLoopDelay({ resolution: 1 });
  // PostgreSQL's share: the server processes of this bench's connections (the webhook code's and the gateway's).
  const pgBackends = async () => {
    const rows = await db.$queryRaw<{ pid: number }[]>`SELECT pid FROM pg_stat_activity WHERE datname = current_database()`;
    const ticks = new Map<number, number>();
    for (const { pid } of rows) ticks.set(pid, await cpuTicks(pid).catch(() => 0));
    return ticks;
  };
  const snapshot = async () => ({
    at: epochMs(),
    gw: (await Promise.all(gateways.pids.map(cpuTicks))).reduce((a, b) => a + b, 0),
    callers: (await Promise.all(callers.procs.map((p) => cpuTicks(p.pid!)))).reduce((a, b) => a + b, 0),
    self: process.cpuUsage(),
    machine: await machineTicks(),
    pg: await pgBackends(),
  });
  callers.start({ line, appSecret: secret, rate: RATE, secs: SECS, holdSecs: HOLD_SECS, ringTimeoutMs: RING_TIMEOUT_MS, warmup: WARMUP_CALLS });

  while (!callers.warm && callers.running()) await sleep(20);
  bench.mark(`${WARMUP_CALLS} warm-up calls done; measuring`);
  const cpu0 = await snapshot();
  loop.enable();
  while (!callers.placed && callers.running()) await sleep(100);
  await sleep(Math.max(0, (callers.placed?.lastDue ?? 0) - epochMs()));
  const cpu1 = await snapshot();
  const load = os.loadavg();
  loop.disable();
  bench.mark(`all ${CALLS} webhooks due; waiting for the last calls to finish`);
  await callers.done;
  const endBy = Date.now() + 20_000;
  while ((await db.call.count({ where: { endedAt: null } })) > 0 && Date.now() < endBy) await sleep(250);
  const statuses = await db.call.groupBy({ by: ["status"], _count: true });
  const open = await db.call.count({ where: { endedAt: null } });
  // Why calls were rejected, by the reason's first words (numbers in it vary per call).
  const rejectReasons = new Map<string, number>();
  // The rejections that came past 1 s, by the reason their call log gives.
  const lateReasons = new Map<string, number>();
  for (const c of await db.call.findMany({ where: { status: "rejected" }, select: { error: true, waCallId: true } })) {
    const why = (c.error ?? "(no reason)").replace(/[\d.]+/g, "N").slice(0, 70);
    rejectReasons.set(why, (rejectReasons.get(why) ?? 0) + 1);
    const t = calls.get(c.waCallId);
    if (t?.rejectedAt !== undefined && t.rejectedAt - t.webhook > 1000) lateReasons.set(why, (lateReasons.get(why) ?? 0) + 1);
  }

  // ---------- report ----------
  const tck = Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;
  const all = [...calls.values()];
  const since = (pick: (t: CallTimes) => number | undefined) => all.flatMap((t) => (pick(t) === undefined ? [] : [pick(t)! - t.webhook]));
  const webhooks = all.filter((t) => Number.isFinite(t.webhook)).map((t) => t.webhook);
  const sentSpan = (Math.max(...webhooks) - Math.min(...webhooks)) / 1000;
  const answered = all.filter((t) => t.connected).length;
  const rejected = all.filter((t) => t.rejected).length;
  const failed = all.filter((t) => !t.connected && !t.rejected).length;
  const driveSecs = (cpu1.at - cpu0.at) / 1000;
  const gwCpu = ((cpu1.gw - cpu0.gw) / tck / driveSecs) * 100;
  const callersCpu = ((cpu1.callers - cpu0.callers) / tck / driveSecs) * 100;
  const benchCpu = ((cpu1.self.user + cpu1.self.system - cpu0.self.user - cpu0.self.system) / 1e6 / driveSecs) * 100;
  // Backends that connected during the window did all their work in it.
  const pgCpu = ([...cpu1.pg].reduce((sum, [pid, t]) => sum + t - (cpu0.pg.get(pid) ?? 0), 0) / tck / driveSecs) * 100;
  const machineBusy = ((cpu1.machine.busy - cpu0.machine.busy) / Math.max(1, cpu1.machine.total - cpu0.machine.total)) * 100 * os.availableParallelism();
  out();
  out(
    `Ringflow call setup at ${RATE} calls/s for ${SECS} s (hold ${HOLD_SECS} s after connecting; after ${WARMUP_CALLS} warm-up calls) — ${os.availableParallelism()} cores, ${GATEWAYS === 1 ? "one gateway process" : `${GATEWAYS} gateway processes`}, loopback, ${new Date().toISOString()}`,
  );
  out();
  out("from the webhook to …                      n     p50     p95     p99     max  (ms)");
  const row = (label: string, values: number[]) => {
    const s = summary(values);
    out(`${label.padEnd(38)} ${String(s.n).padStart(5)} ${f1(s.p50).padStart(7)} ${f1(s.p95).padStart(7)} ${f1(s.p99).padStart(7)} ${f1(s.max).padStart(7)}`);
  };
  row(
    "200 reply (signature, dedupe, store)",
    since((t) => t.reply),
  );
  row(
    "assignment (call.assign queued)",
    since((t) => t.assigned),
  );
  row(
    "pre_accept at the Graph API",
    since((t) => t.preAccept),
  );
  row(
    "first greeting packet at the caller",
    since((t) => t.greeting),
  );
  row(
    "reject at the Graph API (refused calls)",
    since((t) => t.rejectedAt),
  );
  row(
    "  … by the web tier (never assigned)",
    since((t) => (t.assigned === undefined ? t.rejectedAt : undefined)),
  );
  row(
    "  … by the gateway (after assignment)",
    since((t) => (t.assigned === undefined ? undefined : t.rejectedAt)),
  );
  out("stages (per call, where both ends were seen):");
  const stage = (label: string, ends: (t: CallTimes) => [number | undefined, number | undefined]) =>
    row(
      label,
      all.flatMap((t) => {
        const [a, b] = ends(t);
        return a === undefined || b === undefined ? [] : [b - a];
      }),
    );
  stage("  200 reply → assignment (web tier)", (t) => [t.reply, t.assigned]);
  stage("  reject sent → at the Graph API", (t) => [t.rejectSentAt, t.rejectedAt]);
  stage("  assignment → pre_accept (gateway)", (t) => [t.assigned, t.preAccept]);
  stage("  pre_accept → greeting (ICE, DTLS, accept)", (t) => [t.preAccept, t.greeting]);
  stage("  accept → greeting", (t) => [t.accepted, t.greeting]);
  stage("  callers' send → webhook taken up here", (t) => [t.sent, t.webhook]);
  out();
  // Issue #13: every call either gets media within 1 s of accept or is rejected within 1 s.
  const lateMedia = all.filter((t) => t.accepted !== undefined && t.greeting !== undefined && t.greeting - t.accepted > 1000).length;
  const lateReject = all.filter((t) => t.rejectedAt !== undefined && t.rejectedAt - t.webhook > 1000).length;
  const lateSent = all.filter((t) => t.rejectSentAt !== undefined && t.rejectSentAt - t.webhook > 1000).length;
  out(
    `1 s rule: ${lateMedia} answered calls heard the greeting more than 1 s after accept, ${lateReject} rejections came more than 1 s after the webhook, ${failed} calls failed → ${lateMedia + lateReject + failed === 0 ? "held" : "NOT held"}`,
  );
  out(
    `  (the web tier handed ${lateSent} of its rejections to fetch() more than 1 s after the webhook; the request itself waits for this process's event loop too)`,
  );
  out(
    `calls placed ${all.length} (webhooks sent over ${f1(sentSpan)} s = ${f1((webhooks.length - 1) / Math.max(sentSpan, 1e-9))}/s), answered (media connected) ${answered}, rejected ${rejected}, failed ${failed}; peak connected at once ${callers.peakConnected}`,
  );
  const errors = new Map<string, number>();
  for (const t of all) if (t.error && !t.rejected) errors.set(t.error, (errors.get(t.error) ?? 0) + 1);
  if (errors.size) out(`failures: ${[...errors].map(([e, n]) => `${n}× ${e}`).join("; ")}`);
  out(
    `call log (warm-up calls included): ${statuses.map((s) => `${s.status} ${s._count}`).join(", ")}${open ? `; still open 20 s after the last hang-up: ${open}` : ""}`,
  );
  if (rejectReasons.size) out(`reject reasons: ${[...rejectReasons].map(([why, n]) => `${n}× ${why}`).join("; ")}`);
  if (lateReasons.size) out(`… of those, past 1 s: ${[...lateReasons].map(([why, n]) => `${n}× ${why}`).join("; ")}`);
  out(
    `while placing (${f1(driveSecs)} s): ${GATEWAYS === 1 ? "gateway" : `${GATEWAYS} gateway processes'`} CPU ${f1(gwCpu)}% of one core; callers ${f1(callersCpu)}%${CALLER_PROCESSES > 1 ? ` (${CALLER_PROCESSES} processes)` : ""}; bench process (webhook code) ${f1(benchCpu)}%; PostgreSQL (this database's backends) ${f1(pgCpu)}%; whole machine ${f1(machineBusy)}% of ${os.availableParallelism() * 100}%, so everything else (fake Graph API included) ${f1(machineBusy - gwCpu - callersCpu - benchCpu - pgCpu)}%`,
  );
  out(
    `bench event-loop delay p99 ${f1(loop.percentile(99) / 1e6)} ms, max ${f1(loop.max / 1e6)} ms (timestamps here are taken on that loop); callers' p99 ${f1(callers.loop.loopP99Ms)} ms, max ${f1(callers.loop.loopMaxMs)} ms (their connected and greeting stamps${CALLER_PROCESSES > 1 ? `; the worst of ${CALLER_PROCESSES} processes` : ""}); load average ${load.map((l) => l.toFixed(2)).join(" ")}`,
  );
  out(`gateway log → ${gateways.logs.join(", ")}`);
});

function benchDatabaseUrl(url: string): string {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  if (!name.endsWith("_bench")) {
    process.stderr.write(
      `bench/webhook-latency.ts drops and recreates its database, so its name must end in _bench (got "${name}"). Run:\n` +
        "DATABASE_URL=postgresql://postgres@127.0.0.1:5432/ringflow_setup_bench npx tsx bench/webhook-latency.ts 50 60\n",
    );
    process.exit(2);
  }
  return url;
}
