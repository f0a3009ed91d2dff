// Usage: npx tsx bench/gateway-capacity.ts [N list=50,100,200] [windowSecs=15]   (env BENCH_SRTP_PROFILES, BENCH_GATEWAYS)
//
// Gateway capacity: for each N, N concurrent IVR calls against one real media-gateway process (or BENCH_GATEWAYS of them)
// (`node --import tsx media-gateway/main.ts`, UDP 30000–31999, capacity 1000), then N bare werift
// pairs in a child process doing the same packets, both measured over the same window length.
// Everything runs on loopback: a fresh database `ringflow_bench_capacity`, Redis db 13 (flushed), an
// in-process fake Graph API. Callers (SimulatedCaller from tools/wa-sim) live in a child process of
// their own (bench/capacity-callers.ts): their signed webhooks come here over IPC and run through the
// web tier's code (receiveWebhook) in this process, so callers, web tier and gateway each have a loop.
//
// The flow: a menu whose prompt is a long uploaded tone (option 1 → a greeting with the same tone →
// a second menu with the tone), so every call receives prompt audio through the window. Callers
// talk Opus silence at 50 packets/s (as WhatsApp keeps sending), and each presses "1" (RFC 4733)
// early in the window; afterwards call_steps tell whether the digit was detected exactly once.
// BENCH_GATEWAYS=2 runs two gateway processes instead of one, each with half the UDP range and its own
// metrics port, as `npm run gateway` does on a 2-core machine; their CPU and tick histograms are summed.
// Prints a table and the machine's core count; the gateway log goes to
// /tmp/ringflow-bench-gateway-capacity-gateway.log. Everything it starts is stopped at the end.
// The bare pairs run in bench/gateway-capacity-bare.ts, a child process.
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { FromCapacityCallers, ToCapacityCallers } from "./capacity-callers";
import { clkTck, cpuSecs, machinePct, machineTicks, runBarePairs, SETTLE_MS, SETUP_CONCURRENCY } from "./gateway-capacity-measure";
import { freePort } from "../tests/helpers/free-port";
import { Bench, f1, f2, out, processCount, sleep } from "./harness";

const root = path.resolve(import.meta.dirname, "..");
/** Calls dialled and hung up one by one before the first N, not counted. */
const WARM_UP_CALLS = 5;
/** BENCH_SRTP_PROFILES (comma-separated) sets the gateway's [calling] srtp_profiles; its default otherwise. */
const srtpProfilesEnv = (process.env.BENCH_SRTP_PROFILES ?? "").split(",").filter(Boolean);
const SRTP_PROFILES = srtpProfilesEnv.length ? srtpProfilesEnv : undefined;

await main();

// ---------- the gateway run (this process: fake Graph API, webhook code; the callers in a child) ----------

async function main() {
  const NS = (process.argv[2] ?? "50,100,200").split(",").map(Number);
  const WINDOW_SECS = Number(process.argv[3] ?? 15);
  if (NS.some((n) => !Number.isInteger(n) || n < 1) || !(WINDOW_SECS > 0)) {
    process.stderr.write("Usage: npx tsx bench/gateway-capacity.ts [N list=50,100,200] [windowSecs=15]\n");
    process.exit(2);
  }
  const DB_NAME = "ringflow_bench_capacity";
  // 5–9 are the test suites', 11 audio-jobs, 12 bench/agent-bridge.ts.
  const REDIS_URL = "redis://127.0.0.1:6379/13";
  const UDP = [30000, 31999] as const;
  const TONE_SECS = 60;
  const GATEWAYS = processCount("BENCH_GATEWAYS");
  const tck = clkTck();
  const bench = new Bench(12 * 60_000);
  let bareChildProc: ChildProcess | null = null;

  const rows: string[] = [];
  const results: { n: number; ok: boolean; gatewayOk: boolean }[] = [];
  await bench.run(
    async () => {
      // ---------- configuration, before any project module reads it ----------
      const { FakeGraphApi } = await import("../tools/wa-sim/fake-graph");
      const graph = new FakeGraphApi();
      const graphUrl = await graph.listen(0);
      bench.defer(() => graph.close());
      const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), "ringflow-bench-capacity-"));
      bench.defer(() => fs.rmSync(tmpDir, { recursive: true, force: true }));
      const configFile = path.join(tmpDir, "config.toml");
      // The gateway's /metrics: its send-interval histogram is read before and after each window.
      const METRICS_PORTS: number[] = [];
      for (let i = 0; i < GATEWAYS; i++) METRICS_PORTS.push(await freePort());
      const audioDir = path.join(tmpDir, "audio");
      {
        const { parse, stringify } = await import("smol-toml");
        const base = parse(fs.readFileSync(path.join(root, "tests/helpers/test-config.toml"), "utf8")) as Record<string, Record<string, unknown>>;
        const cfg = {
          server: { auth_secret: base.server!.auth_secret, encryption_key: base.server!.encryption_key },
          // The test config's audio_dir is relative to the tree; the bench keeps its tone in its own temp dir.
          calling: { audio_dir: audioDir, udp_port_min: UDP[0], udp_port_max: UDP[1], ...(SRTP_PROFILES ? { srtp_profiles: SRTP_PROFILES } : {}) },
          whatsapp: { graph_api_base: graphUrl, graph_api_version: base.whatsapp?.graph_api_version ?? "v23.0" },
          gateway: { capacity: 1000, shutdown_grace_secs: 2, metrics_port: METRICS_PORTS[0]! },
        };
        fs.writeFileSync(configFile, `# Written by bench/gateway-capacity.ts\n${stringify(cfg)}\n`);
      }
      const { urlFor } = await import("../tests/helpers/pg");
      const dbUrl = urlFor(DB_NAME);
      Object.assign(process.env, { CONFIG_FILE: configFile, DATABASE_URL: dbUrl, REDIS_URL, GRAPH_API_BASE: graphUrl, LOG_LEVEL: "error" }); // a rejected call warns; the table counts them

      const { createFlow } = await import("../lib/seed/factories");
      const { readOggOpus } = await import("../lib/audio/ogg");
      const { receiveWebhook } = await import("../lib/whatsapp/webhook/receive");

      bench.mark(`fresh database ${DB_NAME}, Redis db 13 (flushed), fake Graph API ${graphUrl}`);
      const { freshStores, seedToneLine } = await import("./tone-line");
      const { db } = await freshStores(dbUrl, REDIS_URL, bench.cleanups);

      // ---------- seed: a long tone asset and the flow ----------
      const { toneFile, secret, org, account, asset, line } = await seedToneLine(db, graph, {
        name: "Bench capacity",
        phoneNumberId: "555000888000888",
        displayPhone: "15550008888",
        audioDir,
        toneKey: "bench/tone.ogg",
        toneSecs: TONE_SECS,
      });
      const tonePackets = readOggOpus(fs.readFileSync(toneFile)).packets;
      const prompt = { assetId: asset.id };
      const node = (id: string, type: string, config: object) => ({ id, type, label: id, position: { x: 0, y: 0 }, config });
      const edges: [string, string, string][] = [
        ["menu", "digit:1", "ack"],
        ["menu", "max_retries", "bye"],
        ["ack", "default", "hold"],
        ["hold", "digit:9", "bye"],
        ["hold", "max_retries", "bye"],
      ];
      await createFlow(db, org.id, {
        accountId: account.id,
        document: {
          version: 1,
          entryNodeId: "menu",
          nodes: [
            node("menu", "menu", { prompt, options: [{ digit: "1", label: "One" }], timeoutSecs: 120, maxRetries: 3 }),
            node("ack", "greeting", { prompt, interruptible: false }),
            node("hold", "menu", { prompt, options: [{ digit: "9", label: "Nine" }], timeoutSecs: 120, maxRetries: 3 }),
            node("bye", "hangup", {}),
          ],
          edges: edges.map(([source, sourceHandle, target], i) => ({ id: `e${i}`, source, sourceHandle, target })),
        },
      });

      // ---------- the gateway ----------
      const gateways = await bench.startGateways(
        GATEWAYS,
        `bench-cap-gw-${process.pid}`,
        UDP,
        { CONFIG_FILE: configFile, DATABASE_URL: dbUrl, REDIS_URL, GRAPH_API_BASE: graphUrl },
        path.join(os.tmpdir(), "ringflow-bench-gateway-capacity-gateway"),
        (i) => ({ GATEWAY_METRICS_PORT: String(METRICS_PORTS[i]) }),
      );
      const gwPids = gateways.pids;
      const gwCpuSecs = () => gwPids.reduce((sum, pid) => sum + cpuSecs(pid, tck), 0);
      // Stopped first: a bare-pairs child still running when the bench is stopped early.
      bench.defer(() => bareChildProc?.kill("SIGKILL"));
      bench.mark(`tone ${TONE_SECS} s = ${tonePackets.length} packets`);

      // ---------- the callers, a process of their own; their webhooks arrive here over IPC ----------
      const callersProc = spawn(process.execPath, ["--import", "tsx", "bench/capacity-callers.ts"], {
        cwd: root,
        stdio: ["ignore", "inherit", "inherit", "ipc"],
      });
      const callersPid = callersProc.pid!;
      bench.defer(() => callersProc.exitCode === null && callersProc.signalCode === null && callersProc.kill("SIGKILL"));
      const toCallers = (m: ToCapacityCallers) => callersProc.connected && callersProc.send(m);
      const replies = new Map<string, (m: FromCapacityCallers) => void>();
      const callersExited = new Promise<never>((_, reject) =>
        callersProc.once("exit", (code, signal) => reject(new Error(`the callers' process exited (${signal ?? code})`))),
      );
      callersExited.catch(() => {});
      callersProc.on("message", (m: FromCapacityCallers) => {
        if (m.type !== "webhook") return replies.get(m.type)?.(m);
        void receiveWebhook(Buffer.from(m.raw, "base64"), m.signature)
          .then((r) => r.process())
          .then(
            () => toCallers({ type: "delivered", id: m.id }),
            (err: Error) => toCallers({ type: "delivered", id: m.id, error: err.message }),
          );
      });
      bench.defer(
        graph.onRequest((r) => {
          if (r.action === "pre_accept" || r.action === "reject") toCallers({ type: "graph", request: r });
        }),
      );
      /** Sends the callers a command and waits for its reply (or for their process to die). */
      const ask = <T extends FromCapacityCallers["type"]>(m: ToCapacityCallers, reply: T) =>
        Promise.race([
          callersExited,
          new Promise<Extract<FromCapacityCallers, { type: T }>>((resolve) => {
            replies.set(reply, (r) => {
              replies.delete(reply);
              resolve(r as Extract<FromCapacityCallers, { type: T }>);
            });
            toCallers(m);
          }),
        ]);
      const dial = (n: number, from: number, concurrency = SETUP_CONCURRENCY) =>
        ask({ type: "dial", line, appSecret: secret, n, from, concurrency }, "dialled");

      // ---------- warm-up, not counted: the first calls of a cold process (JIT, the pg pool's first
      // connections, the account's cached keys) run slow, and the callers' first werift peers too.
      const warm = await dial(WARM_UP_CALLS, 0, 1);
      if (warm.errors.length) bench.mark(`warm-up calls: ${warm.errors.join(" | ")}`);
      await ask({ type: "hang up" }, "hung up");
      bench.mark(`${WARM_UP_CALLS} warm-up calls done (callers pid ${callersPid})`);

      for (const n of NS) {
        // ---------- N calls through the gateway ----------
        bench.mark(`N=${n}: dialling ${n} calls, ${SETUP_CONCURRENCY} at a time`);
        const setupStart = performance.now();
        const dialled = await dial(n, n * 1000);
        const connected = dialled.connected;
        const setupSecs = (performance.now() - setupStart) / 1000;
        bench.mark(`N=${n}: ${connected}/${n} connected in ${setupSecs.toFixed(1)} s; settling, then a ${WINDOW_SECS} s window`);
        await sleep(SETTLE_MS);
        const gw0 = gwCpuSecs();
        const ticks0 = await tickIntervals(METRICS_PORTS);
        const callers0 = cpuSecs(callersPid, tck);
        const self0 = process.cpuUsage();
        const m0 = machineTicks();
        const t0 = performance.now();
        // Each caller presses 1 once, spread over the first 2 s of the window.
        toCallers({ type: "record" });
        await sleep(WINDOW_SECS * 1000);
        const gw1 = gwCpuSecs();
        const ticks = tickShare(ticks0, await tickIntervals(METRICS_PORTS));
        const callers1 = cpuSecs(callersPid, tck);
        const self1 = process.cpuUsage(self0);
        const m1 = machineTicks();
        const elapsed = (performance.now() - t0) / 1000;
        const { stats: s, errors: callerErrors, loopP99Ms: callersLoopP99 } = await ask({ type: "stop" }, "arrivals");
        const gwCpu = ((gw1 - gw0) / elapsed) * 100;
        const callersCpu = ((callers1 - callers0) / elapsed) * 100;
        const webCpu = ((self1.user + self1.system) / 1e6 / elapsed) * 100;
        const otherCpu = machinePct(m0, m1) - gwCpu - callersCpu - webCpu;

        bench.mark(`N=${n}: hanging up`);
        const { callIds: ids } = await ask({ type: "hang up" }, "hung up");
        const endBy = Date.now() + 20_000;
        while ((await db.call.count({ where: { accountId: account.id, endedAt: null } })) > 0 && Date.now() < endBy) await sleep(200);
        const open = await db.call.count({ where: { accountId: account.id, endedAt: null } });
        const rowsDb = await db.call.findMany({ where: { accountId: account.id, waCallId: { in: ids } }, include: { steps: true } });
        const once = rowsDb.filter(
          (r) => r.steps.filter((st) => st.digits === "1").length === 1 && r.steps.some((st) => st.nodeId === "menu" && st.handle === "digit:1"),
        ).length;
        const twice = rowsDb.filter((r) => r.steps.filter((st) => st.digits === "1").length > 1).length;

        // ---------- N bare werift pairs in a child process ----------
        bench.mark(`N=${n}: ${n} bare werift pairs in a child process`);
        const bare = await runBarePairs(n, WINDOW_SECS, toneFile, (child) => {
          bareChildProc = child;
        });

        const perCall = gwCpu / Math.max(1, connected);
        const barePerPeer = bare.cpuPct / Math.max(1, 2 * bare.connected);
        // Packets heard ÷ what 50 packets/s per caller would deliver in the window: the gateway's clock skips
        // ticks it missed by far (no burst), so a stream can fall behind real time with no sequence gap.
        const rate = (100 * s.received) / Math.max(1, (connected * elapsed * 1000) / 20);
        const delivered = connected === n && s.lost === 0 && s.silentReceivers === 0 && rate >= 99;
        const ok = delivered && s.p99 <= 25;
        // The gateway's side alone: at most 1% of its own clock's ticks more than 25 ms apart.
        const gatewayOk = delivered && ticks.over25Pct <= 1;
        results.push({ n, ok, gatewayOk });
        rows.push(
          [
            String(n).padStart(5),
            `${connected}`.padStart(5),
            f1(setupSecs).padStart(6),
            f1(gwCpu).padStart(7),
            f2(perCall).padStart(7),
            f1(s.p50).padStart(6),
            f1(s.p99).padStart(6),
            f1(s.max).padStart(6),
            `≤${ticks.p99Bound}`.padStart(5),
            f2(ticks.over25Pct).padStart(6),
            `${s.lost}/${s.received + s.lost}`.padStart(12),
            f1(rate).padStart(5),
            `${once}/${connected}`.padStart(8),
            f1(callersCpu).padStart(7),
            f1(callersLoopP99).padStart(6),
            f1(webCpu).padStart(6),
            f1(otherCpu).padStart(6),
            `${bare.connected}`.padStart(5),
            f1(bare.cpuPct).padStart(7),
            f1(bare.machinePct - bare.cpuPct).padStart(6),
            f2(barePerPeer).padStart(7),
            f1(bare.p99).padStart(6),
            `${bare.lost}`.padStart(5),
            f2(perCall / barePerPeer).padStart(6),
            ok ? "  yes" : "   no",
          ].join(" "),
        );
        const extras = [
          callerErrors.length ? `setup/press errors ${callerErrors.length}: ${[...new Set(callerErrors)].slice(0, 3).join(" | ")}` : "",
          s.reordered ? `reordered/duplicate ${s.reordered}` : "",
          s.silentReceivers ? `callers that heard nothing in the window ${s.silentReceivers}` : "",
          twice ? `calls with digit 1 recorded more than once ${twice}` : "",
          open ? `calls still open 20 s after hang-up ${open}` : "",
          bare.errors.length ? `bare setup errors: ${bare.errors.join(" | ")}` : "",
        ].filter(Boolean);
        if (extras.length) rows.push(`        N=${n}: ${extras.join("; ")}`);
        bench.mark(`N=${n} done: ${rows.at(-1)}`);
      }

      // ---------- report ----------
      out();
      out(
        `Ringflow gateway capacity — ${os.availableParallelism()} cores (os.availableParallelism), ${GATEWAYS === 1 ? "one gateway process" : `${GATEWAYS} gateway processes`} (pid ${gwPids.join(", ")}, SRTP profiles offered: ${SRTP_PROFILES?.join(", ") ?? "the default"}), loopback, ${WINDOW_SECS} s window per N, ${new Date().toISOString()}`,
      );
      out();
      out(
        [
          "    N",
          " conn",
          " setup",
          "  gwCPU",
          " gw/call",
          " p50",
          "   p99",
          "   max",
          " gw99",
          " gw>25",
          "  lost/expect",
          "rate%",
          " DTMF=1×",
          " callCPU",
          " cLag",
          " webCPU",
          " other",
          " bare",
          " bareCPU",
          "bother",
          " b/peer",
          "bp99",
          " blost",
          " ratio",
          " ok",
        ].join(" "),
      );
      for (const r of rows) out(r);
      const best = results.filter((r) => r.ok).map((r) => r.n);
      out();
      out(
        `largest N with all calls connected, p99 inter-arrival ≤ 25 ms, zero loss and rate ≥ 99%: ${best.length ? Math.max(...best) : "none of those tried"}`,
      );
      const gatewayBest = results.filter((r) => r.gatewayOk).map((r) => r.n);
      out(
        `largest N with all calls connected, zero loss, rate ≥ 99% and the gateway's own clock at most 1% of ticks over 25 ms: ${gatewayBest.length ? Math.max(...gatewayBest) : "none of those tried"}`,
      );
      out("  (the first line times packets at the callers, on the same two cores: their own lateness counts; see cLag and bp99)");
      out("columns: conn = calls connected; setup = s to dial them all (10 at a time); gwCPU = gateway utime+stime");
      out("  (/proc/<pid>/stat) over the window, % of one core; gw/call = gwCPU ÷ connected calls; gw99 / gw>25 = the");
      out("  gateway's own 20 ms media clock in the window (its send-interval histogram): the bucket its p99 tick");
      out("  interval falls in (ms), and the % of ticks more than 25 ms after the one before; p50/p99/max =");
      out("  inter-arrival (ms) of every packet from the gateway at the callers, pooled; lost/expect = sequence gaps");
      out("  summed per caller / packets expected from the sequence numbers; rate% = packets heard ÷ (50/s × window)");
      out("  per caller (below 100: the stream fell behind real time with no gap, as the gateway clock skips ticks it");
      out("  missed by far); DTMF=1× = calls whose call_steps record digit 1 exactly once");
      out("  (menu → digit:1); callCPU = the callers' process, % of one core; cLag = p99 event-loop delay (ms) of the");
      out("  callers' process in the window: how late the callers themselves may have noticed arrivals; webCPU = this");
      out("  process (the web tier's webhook code, fake Graph API), % of one core. bare = werift pairs");
      out("  connected in a child process (caller-like ICE-lite offerer talking Opus silence ↔ answerer playing the");
      out("  same tone packets, 50 packets/s each way on one drift-free 20 ms clock); bareCPU = that child's CPU;");
      out("  b/peer = bareCPU ÷ (2 × pairs); bp99/blost = inter-arrival p99 and sequence gaps at the caller-like side;");
      out("  ratio = gw/call ÷ b/peer: gateway cost per call over bare transport cost per peer (1.0 = the gateway");
      out("  adds nothing to one werift peer's send + receive). The bare pairs run after the gateway calls are torn");
      out("  down, so the two never share the machine; the callers do share it with the gateway (see callCPU).");
      out("other / bother = the rest of the machine (/proc/stat busy minus the processes above) during each window:");
      out("  anything else running on the machine competes with the gateway and skews the timings.");
      out(`gateway log → ${gateways.logs.join(", ")}`);
    },
    () => {
      if (rows.length) out(rows.join("\n"));
    },
  );
}

/** The gateways' send-interval histograms (ringflow_gateway_send_interval_ms): cumulative count per bucket, summed. */
async function tickIntervals(ports: number[]): Promise<Map<string, number>> {
  const buckets = new Map<string, number>();
  for (const port of ports) {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    for (const m of text.matchAll(/^ringflow_gateway_send_interval_ms_bucket\{[^}]*\ble="([^"]+)"[^}]*\} (\d+)/gm)) {
      buckets.set(m[1]!, (buckets.get(m[1]!) ?? 0) + Number(m[2]));
    }
  }
  return buckets;
}

/** Between two scrapes: the bucket holding the p99 tick interval, and the % of ticks over 25 ms. */
function tickShare(before: Map<string, number>, after: Map<string, number>) {
  const counts = [...after].map(([le, n]) => [le, n - (before.get(le) ?? 0)] as const);
  const total = counts.find(([le]) => le === "+Inf")?.[1] ?? 0;
  const upTo25 = counts.find(([le]) => le === "25")?.[1] ?? 0;
  const p99Bound = counts.find(([, n]) => n >= 0.99 * total)?.[0] ?? "?";
  return { p99Bound, over25Pct: total ? (100 * (total - upTo25)) / total : Number.NaN };
}
