// Usage: npx tsx bench/agent-bridge.ts [calls=50] [latencyRuns=20]
//
// The agent leg, measured end to end on loopback: a fresh PostgreSQL database
// (ringflow_bench_agents), Redis db 12 (flushed), our Pusher-protocol server, the built web app
// (`next start`), a fake Graph API and one real media-gateway process. Simulated WhatsApp callers
// (ICE-lite werift peers, signed webhooks) and script agents (next-auth session + their own werift
// peer, the same routes as the browser) live in this process and send tagged Opus-like packets.
// Prints:
//   1. accept → two-way audio latency over `latencyRuns` sequential calls;
//   2. per-packet latency the bridge adds (through the gateway minus a direct werift pair whose ends are
//      two processes, as a caller and an agent are; a one-process pair is shown too);
//   3. `calls` concurrent bridged calls: gateway CPU, inter-arrival at the receivers, loss.
// Needs an existing `.next` build (`npx next build`). Everything it starts is stopped at the end.
// Diagnostics: BENCH_GATEWAY_NODE_ARGS adds node flags to the gateway (e.g. "--cpu-prof
// --cpu-prof-dir=/tmp/gw-prof"); BENCH_DUMP=<file> writes raw arrivals of 5 calls.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "../tests/helpers/free-port";

const CALLS = Number(process.argv[2] ?? 50);
const RUNS = Number(process.argv[3] ?? 20);
const FORWARD_SECS = 30;
const WINDOW_SECS = 20;
const SETUP_CONCURRENCY = 5;
const DB_NAME = "ringflow_bench_agents";
// 11 is taken by tests/integration/audio-jobs.test.ts; 5–9 by the other suites and benches.
const REDIS_URL = "redis://127.0.0.1:6379/12";
const UDP = [20000, 20999] as const;
const PASSWORD = "bench-agents-are-people-too";
const DIR_TO_AGENT = 1;
const DIR_TO_CALLER = 2;
const OVERALL_TIMEOUT_MS = 6 * 60_000;

const root = path.resolve(import.meta.dirname, "..");
const out = (s = "") => process.stdout.write(`${s}\n`);
const note = (s: string) => process.stderr.write(`[bench] ${s}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : "–");
const f2 = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : "–");

if (!Number.isInteger(CALLS) || CALLS < 1 || !Number.isInteger(RUNS) || RUNS < 1) {
  process.stderr.write("Usage: npx tsx bench/agent-bridge.ts [calls=50] [latencyRuns=20]\n");
  process.exit(2);
}
if (!fs.existsSync(path.join(root, ".next/BUILD_ID"))) {
  process.stderr.write("bench/agent-bridge.ts needs a production build of the web app: run `npx next build` first.\n");
  process.exit(1);
}

// ---------- configuration (before any project module reads it) ----------

const webPort = await freePort();
const pusherPort = await freePort();
const webUrl = `http://127.0.0.1:${webPort}`;
const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), "ringflow-bench-agents-"));
const configFile = path.join(tmpDir, "config.toml");
{
  // Only the keys this bench needs, taken from the test config: the web app runs from the last
  // `.next` build, which may predate sections other work has since added to test-config.toml.
  const { parse, stringify } = await import("smol-toml");
  const base = parse(fs.readFileSync(path.join(root, "tests/helpers/test-config.toml"), "utf8")) as Record<string, Record<string, unknown>>;
  const pick = (section: string, keys: string[]) => Object.fromEntries(keys.filter((k) => base[section]?.[k] !== undefined).map((k) => [k, base[section]![k]]));
  const config = {
    server: pick("server", ["auth_secret", "encryption_key"]),
    calling: { ...pick("calling", ["audio_dir"]), udp_port_min: UDP[0], udp_port_max: UDP[1] },
    whatsapp: pick("whatsapp", ["graph_api_base", "graph_api_version"]),
    pusher: { ...pick("pusher", ["app_id", "key", "secret", "host", "use_tls"]), port: pusherPort },
    gateway: { capacity: Math.max(60, CALLS + 10), shutdown_grace_secs: 2 },
  };
  fs.writeFileSync(configFile, `# Written by bench/agent-bridge.ts from tests/helpers/test-config.toml\n${stringify(config)}\n`);
}
const { recreateDatabase, urlFor } = await import("../tests/helpers/pg");
const dbUrl = urlFor(DB_NAME);
Object.assign(process.env, { CONFIG_FILE: configFile, DATABASE_URL: dbUrl, REDIS_URL, LOG_LEVEL: "warn" });

const { Redis } = await import("ioredis");
const { deployMigrations } = await import("../lib/db/schema-engine");
const { createPrisma } = await import("../lib/db");
const { createAccount, createFlow, createOrg, createTeam } = await import("../lib/seed/factories");
const { hashPassword } = await import("../lib/crypto/password");
const { loadConfig } = await import("../lib/config");
const { PusherServer } = await import("../tools/pusher-server/server");
const { FakeGraphApi } = await import("../tools/wa-sim/fake-graph");
const { connectPayload, newCallId, terminatePayload } = await import("../tools/wa-sim/payloads");
const { signBody } = await import("../lib/whatsapp/signature");
const { ScriptAgent } = await import("../tools/agent-sim/agent");
const { keys } = await import("../lib/gateway/messages");
const { whatsappCodecs, waitConnected } = await import("../lib/media/webrtc");
const { MediaClock } = await import("../media-gateway/media/clock");
const { RTCRtpCodecParameters } = await import("werift");
const { ProbePeer, RemoteAnswerer, Talker, cpuTicks, machineTicks, summary } = await import("./rtp-probe");
type ProbePeerT = InstanceType<typeof ProbePeer>;
type TalkerT = InstanceType<typeof Talker>;
type Agent = InstanceType<typeof ScriptAgent>;

// ---------- lifecycle: everything started is stopped, even on failure ----------

const cleanups: (() => Promise<unknown> | unknown)[] = [];
let cleaning: Promise<void> | null = null;
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    for (const fn of cleanups.reverse()) {
      try {
        await Promise.race([fn(), sleep(10_000)]);
      } catch (err) {
        note(`cleanup step failed: ${(err as Error).message}`);
      }
    }
  })();
  return cleaning;
}
const watchdog = setTimeout(() => {
  note(`gave up after ${OVERALL_TIMEOUT_MS / 1000} s; stopping everything`);
  void cleanup().then(() => process.exit(1));
}, OVERALL_TIMEOUT_MS);
process.once("SIGINT", () => void cleanup().then(() => process.exit(130)));
cleanups.push(() => fs.rmSync(tmpDir, { recursive: true, force: true }));

const gatewayLogFile = path.join(os.tmpdir(), "ringflow-bench-agent-bridge-gateway.log");
const webLogFile = path.join(os.tmpdir(), "ringflow-bench-agent-bridge-web.log");
const startedAt = performance.now();
const mark = (what: string) => note(`${((performance.now() - startedAt) / 1000).toFixed(1)} s  ${what}`);

try {
  // ---------- infrastructure ----------
  mark("fresh database, Redis db 12, Pusher server, fake Graph API");
  await deployMigrations(await recreateDatabase(DB_NAME));
  const redis = new Redis(REDIS_URL);
  await redis.flushdb();
  redis.disconnect();
  const cfg = loadConfig();
  const pusher = new PusherServer({ appId: cfg.pusher.app_id!, key: cfg.pusher.key!, secret: cfg.pusher.secret! });
  await pusher.listen(pusherPort);
  cleanups.push(() => pusher.close());
  const graph = new FakeGraphApi();
  const graphUrl = await graph.listen(0);
  cleanups.push(() => graph.close());

  // ---------- seed: one org, CALLS agents in one team, a number whose flow transfers at once ----------
  const db = createPrisma(dbUrl);
  cleanups.push(() => db.$disconnect());
  const line = { phoneNumberId: String(7e14 + Math.floor(Math.random() * 1e13)), displayPhone: "15550007777" };
  const appSecret = `bench-secret-${Date.now()}`;
  const token = `EAAG-bench-${Date.now()}`;
  graph.registerAccount(line.phoneNumberId, token);
  const org = await createOrg(db, { name: "Bench agents", callingEnabled: true });
  const passwordHash = await hashPassword(PASSWORD); // one scrypt for all agents
  const agentRows: { id: string; email: string }[] = [];
  for (let i = 0; i < CALLS; i++) {
    const u = await db.user.create({ data: { email: `bench-agent${i + 1}@example.test`, name: `Agent ${i + 1}`, passwordHash } });
    await db.membership.create({ data: { orgId: org.id, userId: u.id, role: "agent" } });
    agentRows.push({ id: u.id, email: u.email });
  }
  const team = await createTeam(
    db,
    org.id,
    "Sales",
    agentRows.map((a) => a.id),
  );
  const account = await createAccount(db, org.id, { ...line, appSecret, accessToken: token });
  await createFlow(db, org.id, {
    accountId: account.id,
    document: {
      version: 1,
      entryNodeId: "sales",
      nodes: [{ id: "sales", type: "transfer", label: "Sales", position: { x: 0, y: 0 }, config: { teamId: team.id } }],
      edges: [],
    },
  });

  // ---------- web app and gateway ----------
  mark(`next start on ${webUrl}`);
  const webLog = fs.openSync(webLogFile, "w");
  const web: ChildProcess = spawn(path.join(root, "node_modules/.bin/next"), ["start", "-p", String(webPort), "-H", "127.0.0.1"], {
    cwd: root,
    env: {
      ...process.env,
      CONFIG_FILE: configFile,
      DATABASE_URL: dbUrl,
      REDIS_URL,
      NEXTAUTH_URL: webUrl,
      APP_URL: webUrl,
      NEXT_TELEMETRY_DISABLED: "1",
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", webLog, webLog],
    detached: true,
  });
  cleanups.push(async () => {
    if (web.pid && web.exitCode === null) {
      const exited = new Promise((r) => web.once("exit", r));
      process.kill(-web.pid, "SIGTERM");
      await Promise.race([exited, sleep(5_000)]);
    }
    fs.closeSync(webLog);
  });
  // As tests/helpers/gateway-process.ts does (node --import tsx, so the pid is the gateway itself),
  // plus optional node flags for diagnostics (BENCH_GATEWAY_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/p").
  const gatewayId = `bench-gw-${process.pid}`;
  const gateway = {
    output: "",
    child: spawn(process.execPath, [...(process.env.BENCH_GATEWAY_NODE_ARGS?.split(" ").filter(Boolean) ?? []), "--import", "tsx", "media-gateway/main.ts"], {
      cwd: root,
      env: { ...process.env, GATEWAY_ID: gatewayId, LOG_LEVEL: "info", GRAPH_API_BASE: graphUrl, CONFIG_FILE: configFile },
      stdio: ["ignore", "pipe", "pipe"],
    }),
    async start() {
      const redis = new Redis(REDIS_URL);
      try {
        const deadline = Date.now() + 30_000;
        while (!(await redis.get(keys.gateway(gatewayId)))) {
          if (Date.now() > deadline || this.child.exitCode !== null) throw new Error(`the gateway did not start:\n${this.output.slice(-2000)}`);
          await sleep(100);
        }
      } finally {
        redis.disconnect();
      }
    },
  };
  gateway.child.stdout.on("data", (d) => (gateway.output += d));
  gateway.child.stderr.on("data", (d) => (gateway.output += d));
  cleanups.push(async () => {
    const child = gateway.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      if ((await Promise.race([exited.then(() => true), sleep(8_000).then(() => false)])) === false) {
        note("gateway did not stop within 8 s of SIGTERM; sending SIGKILL");
        child.kill("SIGKILL");
        await Promise.race([exited, sleep(2_000)]);
      }
    }
    fs.writeFileSync(gatewayLogFile, gateway.output);
  });
  const healthy = (async () => {
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        if ((await fetch(`${webUrl}/api/health`)).ok) return;
      } catch {}
      if (Date.now() > deadline || web.exitCode !== null) {
        const firstError =
          fs
            .readFileSync(webLogFile, "utf8")
            .split("\n")
            .find((l) => /error/i.test(l)) ?? "";
        throw new Error(`the web app did not become healthy (${firstError.trim() || "no error logged"}); see ${webLogFile}`);
      }
      await sleep(250);
    }
  })();
  await Promise.all([healthy, gateway.start()]);
  const gatewayPid = gateway.child.pid!;
  mark(`web app healthy, gateway pid ${gatewayPid} ready; signing in ${CALLS} agents`);

  const agents: Agent[] = new Array(CALLS);
  await pool(CALLS, 4, async (i) => {
    agents[i] = await ScriptAgent.signIn(webUrl, agentRows[i]!.email, PASSWORD);
  });

  // ---------- one bridged call ----------
  const acceptRetries: string[] = [];
  const clock = new MediaClock(20);
  const browserCodecs = () => ({
    audio: [
      new RTCRtpCodecParameters({ mimeType: "audio/opus", clockRate: 48000, channels: 2, payloadType: 111, parameters: "minptime=10;useinbandfec=1" }),
      new RTCRtpCodecParameters({ mimeType: "audio/telephone-event", clockRate: 48000, payloadType: 110 }),
    ],
  });

  interface Bridged {
    index: number;
    waCallId: string;
    agent: Agent;
    caller: ProbePeerT;
    agentPeer: ProbePeerT;
    callerTalker: TalkerT;
    agentTalker: TalkerT;
    /** performance.now() marks around the accept (postEpoch: Date.now() at the POST, for the gateway log). */
    t: { post: number; answer: number; iceConnected: number; connected: number; agentHears: number; callerHears: number; postEpoch: number };
  }

  /** Dials as WhatsApp would, lets `agent` take the transfer through the routes, resolves on two-way audio. */
  async function bridgedCall(index: number, agent: Agent): Promise<Bridged> {
    const made: { peers: ProbePeerT[]; talkers: TalkerT[]; hangUp?: () => Promise<unknown> } = { peers: [], talkers: [] };
    try {
      return await connectCall(index, agent, made);
    } catch (err) {
      for (const t of made.talkers) t.stop();
      await made.hangUp?.().catch(() => {});
      await Promise.all(made.peers.map((p) => p.close()));
      throw err;
    }
  }

  async function connectCall(
    index: number,
    agent: Agent,
    made: { peers: ProbePeerT[]; talkers: TalkerT[]; hangUp?: () => Promise<unknown> },
  ): Promise<Bridged> {
    const phone = `55119${String(70000000 + index * 100 + Math.floor(Math.random() * 100))}`;
    await agent.setStatus("available");
    // The caller: ICE-lite werift peer, signed connect webhook, answer from the pre_accept request.
    const caller = new ProbePeer({ iceLite: true, codecs: whatsappCodecs() }, "offer");
    made.peers.push(caller);
    const waCallId = newCallId();
    const offer = await caller.offer();
    const raw = Buffer.from(JSON.stringify(connectPayload(line, { callId: waCallId, from: phone, name: "Bench Caller", sdp: offer })));
    const hook = await fetch(`${webUrl}/api/webhooks/whatsapp`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-hub-signature-256": signBody(raw, appSecret) },
      body: new Uint8Array(raw),
    });
    if (!hook.ok) throw new Error(`webhook answered ${hook.status}: ${await hook.text()}`);
    const dialled = Math.floor(Date.now() / 1000);
    made.hangUp = () => {
      const now = Math.floor(Date.now() / 1000);
      const end = Buffer.from(
        JSON.stringify(terminatePayload(line, { callId: waCallId, from: phone, startTime: dialled, endTime: now, duration: now - dialled })),
      );
      return fetch(`${webUrl}/api/webhooks/whatsapp`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-hub-signature-256": signBody(end, appSecret) },
        body: new Uint8Array(end),
      });
    };
    const pre = await graph.waitFor((r) => r.callId === waCallId && r.action === "pre_accept" && r.status === 200, 20_000);
    const answerSdp = (pre.body?.session as { sdp?: string } | undefined)?.sdp;
    if (!answerSdp) throw new Error(`call ${index}: pre_accept carried no SDP answer`);
    await caller.setAnswer(answerSdp);
    await waitConnected(caller.pc, 20_000);
    // The caller talks from now on (the gateway ignores it until the bridge exists).
    const callerTalker = new Talker(caller, DIR_TO_AGENT, index, clock);
    made.talkers.push(callerTalker);

    // The agent: wait for the offer, build a complete browser-like offer, then accept.
    const agentPeer = new ProbePeer({ codecs: browserCodecs() }, "offer");
    made.peers.push(agentPeer);
    const sdp = await agentPeer.offer();
    const agentTalker = new Talker(agentPeer, DIR_TO_CALLER, index, clock); // sends once connected
    made.talkers.push(agentTalker);
    let agentHears = 0;
    let callerHears = 0;
    let both!: () => void;
    const twoWay = new Promise<void>((r) => (both = r));
    agentPeer.onTag = (tag, at) => {
      if (!agentHears && tag.dir === DIR_TO_AGENT && tag.stream === index) {
        agentHears = at;
        if (callerHears) both();
      }
    };
    caller.onTag = (tag, at) => {
      if (!callerHears && tag.dir === DIR_TO_CALLER && tag.stream === index) {
        callerHears = at;
        if (agentHears) both();
      }
    };
    const deadline = Date.now() + 15_000;
    let post = 0;
    let postEpoch = 0;
    let res: Response;
    for (let attempt = 1; ; attempt++) {
      let transferId = "";
      while (!transferId) {
        transferId = (await agent.offers()).find((o) => o.caller.phone === phone)?.transferId ?? "";
        if (!transferId) {
          if (Date.now() > deadline) throw new Error(`call ${index}: no offer rang for ${phone}`);
          await sleep(50);
        }
      }
      post = performance.now();
      postEpoch = Date.now();
      res = await agent.fetch(`/api/transfers/${transferId}/accept`, { json: { sdp } });
      if (res.ok) break;
      const text = await res.text();
      // Known race: openTransfer makes the offer visible (row + Pusher) before AgentTransfer.start
      // records the transfer id, and until then the gateway refuses agent.connect. A browser would retry too.
      if (res.status === 502 && text.includes("no longer waiting for an agent") && attempt < 4) {
        acceptRetries.push(`call ${index}, attempt ${attempt}`);
        await sleep(100);
        continue;
      }
      throw new Error(`call ${index}: accept answered ${res.status}: ${text}`);
    }
    const answer = performance.now();
    const body = (await res.json()) as { callId: string; sdp: string };
    agent.callId = body.callId;
    await agentPeer.setAnswer(body.sdp);
    await waitConnected(agentPeer.pc, 15_000);
    await Promise.race([twoWay, sleep(10_000).then(() => Promise.reject(new Error(`call ${index}: no two-way audio 10 s after accept`)))]);
    return {
      index,
      waCallId,
      agent,
      caller,
      agentPeer,
      callerTalker,
      agentTalker,
      t: { post, answer, iceConnected: agentPeer.iceConnectedAt, connected: agentPeer.connectedAt, agentHears, callerHears, postEpoch },
    };
  }

  async function hangUp(c: Bridged) {
    c.callerTalker.stop();
    c.agentTalker.stop();
    const res = await c.agent.control("hangup");
    if (!res.ok) note(`hangup of call ${c.index} answered ${res.status}`);
    await graph.waitFor((r) => r.callId === c.waCallId && r.action === "terminate", 10_000).catch(() => note(`call ${c.index}: no terminate seen`));
    await Promise.all([c.caller.close(), c.agentPeer.close()]);
  }

  /** Gateway log: epoch ms of "agent connected; audio bridged" per WhatsApp call id. */
  function bridgedAtFromLog(): Map<string, number> {
    const m = new Map<string, number>();
    for (const l of gateway.output.split("\n")) {
      if (!l.includes("audio bridged")) continue;
      try {
        const j = JSON.parse(l) as { time: number; waCallId: string };
        m.set(j.waCallId, j.time);
      } catch {}
    }
    return m;
  }

  // ---------- 1. accept → two-way audio, sequential ----------
  mark(`1. ${RUNS} sequential calls: accept → two-way audio`);
  const runs: Bridged[] = [];
  for (let i = 0; i < RUNS; i++) {
    const c = await bridgedCall(i, agents[0]!);
    await sleep(200);
    await hangUp(c);
    runs.push(c);
  }
  const logBridged = bridgedAtFromLog();
  const rel = (pick: (c: Bridged) => number) => summary(runs.map(pick));
  const stage = {
    answer: rel((c) => c.t.answer - c.t.post),
    iceConnected: rel((c) => c.t.iceConnected - c.t.post),
    connected: rel((c) => c.t.connected - c.t.post),
    gwBridged: rel((c) => (logBridged.get(c.waCallId) ?? Number.NaN) - c.t.postEpoch),
    agentHears: rel((c) => c.t.agentHears - c.t.post),
    callerHears: rel((c) => c.t.callerHears - c.t.post),
    both: rel((c) => Math.max(c.t.agentHears, c.t.callerHears) - c.t.post),
  };

  // ---------- 2. forwarding latency: through the gateway vs a direct werift pair ----------
  mark(`2. one bridged call and a direct werift pair side by side, ${FORWARD_SECS} s`);
  /** One-way latencies (ms) of tagged packets from `talker` heard by `receiver` after `from`. */
  function oneWay(talker: Pick<TalkerT, "dir" | "stream" | "sentAt">, receiver: Pick<ProbePeerT, "heard">, from: number, to: number): number[] {
    const lat: number[] = [];
    for (const h of receiver.heard) {
      if (!h.tag || h.tag.dir !== talker.dir || h.tag.stream !== talker.stream) continue;
      const sent = talker.sentAt[h.tag.counter];
      if (sent !== undefined && sent >= from && sent <= to) lat.push(h.at - sent);
    }
    return lat;
  }
  /**
   * A direct werift pair in this process (caller-like ICE-lite offerer ↔ answerer), talking both ways on
   * its own clock started half a tick after the shared one, so it sees the same machine load as the
   * bridged calls without contending for the same tick.
   */
  async function directPair(stream: number) {
    const a = new ProbePeer({ iceLite: true, codecs: whatsappCodecs() }, "offer");
    const b = new ProbePeer({ codecs: whatsappCodecs() }, "answer");
    await a.setAnswer(await b.answer(await a.offer()));
    await Promise.all([waitConnected(a.pc, 10_000), waitConnected(b.pc, 10_000)]);
    await new Promise<void>((r) => {
      const off = clock.subscribe(() => {
        off();
        r();
      });
    });
    await sleep(10);
    const own = new MediaClock(20);
    const ta = new Talker(a, DIR_TO_AGENT, stream, own);
    const tb = new Talker(b, DIR_TO_CALLER, stream, own);
    return {
      a,
      b,
      ta,
      tb,
      async close() {
        ta.stop();
        tb.stop();
        own.stop();
        await Promise.all([a.close(), b.close()]);
      },
    };
  }

  /**
   * The same direct pair with its answerer in a child process: one loopback hop between two event loops,
   * which is what a caller talking straight to an agent would cost at the least. The bridge's own share
   * is what the gateway path takes beyond this.
   */
  async function crossProcessPair(stream: number) {
    const remote = new RemoteAnswerer(root);
    try {
      const a = new ProbePeer({ iceLite: true, codecs: whatsappCodecs() }, "offer");
      await a.setAnswer(await remote.answer(await a.offer()));
      await waitConnected(a.pc, 10_000);
      remote.talk(DIR_TO_CALLER, stream);
      const own = new MediaClock(20);
      await sleep(5);
      const ta = new Talker(a, DIR_TO_AGENT, stream, own);
      return {
        ta,
        a,
        /** Ends both sides; the child's arrivals and send times on this process's clock. */
        async finish() {
          ta.stop();
          own.stop();
          const report = await remote.report();
          await a.close();
          return { b: { heard: report.heard }, tb: { dir: DIR_TO_CALLER, stream, sentAt: report.sentAt } };
        },
      };
    } catch (err) {
      remote.kill();
      throw err;
    }
  }

  const fwdCall = await bridgedCall(RUNS, agents[0]!);
  const pair = await directPair(999);
  const cross = await crossProcessPair(997);
  await sleep(500);
  let w0 = performance.now();
  await sleep(FORWARD_SECS * 1000);
  let w1 = performance.now();
  await sleep(300);
  const crossEnds = await cross.finish();
  const viaToAgent = oneWay(fwdCall.callerTalker, fwdCall.agentPeer, w0, w1);
  const viaToCaller = oneWay(fwdCall.agentTalker, fwdCall.caller, w0, w1);
  const directAB = oneWay(pair.ta, pair.b, w0, w1);
  const directBA = oneWay(pair.tb, pair.a, w0, w1);
  const crossAB = oneWay(cross.ta, crossEnds.b, w0, w1);
  const crossBA = oneWay(crossEnds.tb, cross.a, w0, w1);
  await Promise.all([hangUp(fwdCall), pair.close()]);
  await sleep(300);
  /** The gateway's own histogram for this call: packet callback → re-encrypted packet handed to the socket. */
  const inGateway = (() => {
    for (const l of gateway.output.split("\n")) {
      if (!l.includes("forwarding time per packet") || !l.includes(fwdCall.waCallId)) continue;
      try {
        return JSON.parse(l) as { toAgent: { p50: number; p99: number; max: number }; toCaller: { p50: number; p99: number; max: number } };
      } catch {}
    }
    return null;
  })();
  const fwd = {
    viaToAgent: summary(viaToAgent),
    viaToCaller: summary(viaToCaller),
    directAB: summary(directAB),
    directBA: summary(directBA),
    crossAB: summary(crossAB),
    crossBA: summary(crossBA),
  };

  // ---------- 3. CALLS concurrent bridged calls ----------
  mark(`3. setting up ${CALLS} concurrent bridged calls (${SETUP_CONCURRENCY} at a time)`);
  const live: Bridged[] = [];
  const setupErrors: string[] = [];
  const setupStart = performance.now();
  await pool(CALLS, SETUP_CONCURRENCY, async (i) => {
    try {
      live.push(await bridgedCall(1000 + i, agents[i]!));
    } catch (err) {
      setupErrors.push((err as Error).message);
    }
  });
  const setupSecs = (performance.now() - setupStart) / 1000;
  mark(`${live.length}/${CALLS} bridged in ${setupSecs.toFixed(1)} s; settling 2 s, then a ${WINDOW_SECS} s window`);
  const load = summary(live.map((c) => Math.max(c.t.agentHears, c.t.callerHears) - c.t.post));
  // Control: a direct pair in this process during the window shows how much of the numbers is this
  // process's own doing (it never touches the gateway).
  const control = await directPair(998);
  await sleep(2_000);
  const tickTimes: number[] = [];
  const unTick = clock.subscribe(() => tickTimes.push(performance.now()));
  const clkTck = Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;
  const cpu0 = await cpuTicks(gatewayPid);
  const machine0 = await machineTicks();
  const web0 = await cpuTicks(web.pid!).catch(() => 0);
  const self0 = process.cpuUsage();
  w0 = performance.now();
  await sleep(WINDOW_SECS * 1000);
  const cpu1 = await cpuTicks(gatewayPid);
  const machine1 = await machineTicks();
  const web1 = await cpuTicks(web.pid!).catch(() => 0);
  const self1 = process.cpuUsage(self0);
  w1 = performance.now();
  unTick();
  await sleep(1_000); // late arrivals still count as delivered
  const gwCpu = ((cpu1 - cpu0) / clkTck / ((w1 - w0) / 1000)) * 100;
  const selfCpu = ((self1.user + self1.system) / 1000 / (w1 - w0)) * 100;
  const cores = os.cpus().length;
  // Busy share of the whole machine, in "% of one core" like the others (so it tops out at cores × 100).
  const machineCpu = ((machine1.busy - machine0.busy) / Math.max(1, machine1.total - machine0.total)) * 100 * cores;
  const webCpu = ((web1 - web0) / clkTck / ((w1 - w0) / 1000)) * 100;

  /** Inter-arrival (all packets from the gateway) and delivery of tagged packets, for one direction. */
  function legStats(pick: (c: Bridged) => { talker: TalkerT; receiver: ProbePeerT }) {
    const gaps: number[] = [];
    let sent = 0;
    let delivered = 0;
    let silence = 0;
    let late = 0;
    const ratios: number[] = [];
    for (const c of live) {
      const { talker, receiver } = pick(c);
      const inWindow = new Set<number>();
      talker.sentAt.forEach((t, counter) => {
        if (t >= w0 && t < w1) inWindow.add(counter);
      });
      sent += inWindow.size;
      const got = new Set<number>();
      let prev = Number.NaN;
      for (const h of receiver.heard) {
        if (h.at >= w0 && h.at < w1) {
          if (Number.isFinite(prev)) gaps.push(h.at - prev);
          prev = h.at;
          if (!h.tag) silence++;
        }
        if (h.tag && h.tag.dir === talker.dir && h.tag.stream === talker.stream && inWindow.has(h.tag.counter)) {
          if (h.at >= w1) late++;
          got.add(h.tag.counter);
        }
      }
      delivered += got.size;
      ratios.push(got.size / Math.max(1, inWindow.size));
    }
    const latency = summary(live.flatMap((c) => oneWay(pick(c).talker, pick(c).receiver, w0, w1)));
    return {
      gaps: summary(gaps),
      under2: gaps.filter((g) => g < 2).length / Math.max(1, gaps.length),
      over40: gaps.filter((g) => g > 40).length,
      sent,
      delivered,
      lost: sent - delivered,
      silence,
      late,
      latency,
      ratios,
    };
  }
  const toCaller = legStats((c) => ({ talker: c.agentTalker, receiver: c.caller }));
  const toAgent = legStats((c) => ({ talker: c.callerTalker, receiver: c.agentPeer }));
  const tickGaps = summary(tickTimes.slice(1).map((t, i) => t - tickTimes[i]!));
  const controlLatency = summary([...oneWay(control.ta, control.b, w0, w1), ...oneWay(control.tb, control.a, w0, w1)]);
  const controlGaps = summary(
    [control.a, control.b].flatMap((p) => {
      const at = p.heard.filter((h) => h.at >= w0 && h.at < w1).map((h) => h.at);
      return at.slice(1).map((t, i) => t - at[i]!);
    }),
  );
  await control.close();
  if (process.env.BENCH_DUMP) {
    const dump = {
      w0,
      w1,
      tickTimes,
      calls: live.slice(0, 5).map((c) => ({
        callerSent: c.callerTalker.sentAt.filter((t) => t >= w0 && t < w1),
        agentSent: c.agentTalker.sentAt.filter((t) => t >= w0 && t < w1),
        callerHeard: c.caller.heard.filter((h) => h.at >= w0 && h.at < w1),
        agentHeard: c.agentPeer.heard.filter((h) => h.at >= w0 && h.at < w1),
      })),
    };
    fs.writeFileSync(process.env.BENCH_DUMP, JSON.stringify(dump));
  }

  mark(`hanging up ${live.length} calls`);
  await pool(live.length, 10, (i) => hangUp(live[i]!));
  clock.stop();

  // ---------- report ----------
  const gwLines = gateway.output.split("\n").filter((l) => l.trim());
  const problems = gwLines.filter((l) => {
    try {
      return (JSON.parse(l) as { level: number }).level >= 40;
    } catch {
      return /error|warn/i.test(l);
    }
  });
  const row = (label: string, s: { p50: number; p95: number; p99?: number; max: number; n?: number }, digits = f1, withP99 = false) =>
    `  ${label.padEnd(52)} ${digits(s.p50).padStart(8)} ${digits(s.p95).padStart(8)}${withP99 ? (s.p99 === undefined ? "" : ` ${digits(s.p99).padStart(8)}`) : ""} ${digits(s.max).padStart(8)}${s.n !== undefined ? `   n=${s.n}` : ""}`;
  const diff = (via: ReturnType<typeof summary>, direct: ReturnType<typeof summary>) => ({
    p50: via.p50 - direct.p50,
    p95: via.p95 - direct.p95,
    p99: via.p99 - direct.p99,
    max: Number.NaN, // a difference of maxima means nothing
  });

  out();
  out(`Ringflow agent bridge — ${os.cpus().length} cores, gateway pid ${gatewayPid} (UDP ${UDP[0]}–${UDP[1]}), loopback, ${new Date().toISOString()}`);
  out();
  out(`1) accept → two-way audio, ${RUNS} sequential calls (ms after POST /api/transfers/{id}/accept is sent)`);
  out(`  ${"".padEnd(52)} ${"p50".padStart(8)} ${"p95".padStart(8)} ${"max".padStart(8)}`);
  out(row("200 {sdp} received (claim + Redis + gateway answer)", stage.answer));
  out(row("agent peer ICE connected", stage.iceConnected));
  out(row("agent peer ICE+DTLS connected (SRTP ready)", stage.connected));
  out(row('gateway logs "audio bridged" (gateway clock)', stage.gwBridged));
  out(row("(a) agent hears first caller packet", stage.agentHears));
  out(row("(b) caller hears first agent packet", stage.callerHears));
  out(row("max(a, b): two-way audio", stage.both));
  out(row(`same, during setup of the ${CALLS} concurrent calls below`, load));
  out("  method: caller and agent each send a tagged 20 ms packet on a shared 20 ms tick (the agent from the");
  out("  moment its peer connects); first tagged arrival of the other side's stream, so ≤20 ms is tick wait.");
  out("  ICE → DTLS includes werift's fixed 100 ms sleep before a DTLS client sends ClientHello (werift");
  out("  RTCDtlsTransport.start). The gateway answers agents as DTLS server (a=setup:passive), so here the");
  out("  script agent (werift) is the client and pays it; a browser agent does not. Handshake itself ~5–10 ms.");
  out();
  out(`2) bridge forwarding latency per packet, one call, ${FORWARD_SECS} s each way (ms)`);
  out(`  ${"".padEnd(52)} ${"p50".padStart(8)} ${"p95".padStart(8)} ${"p99".padStart(8)} ${"max".padStart(8)}`);
  out(row("caller → gateway → agent", fwd.viaToAgent, f2, true));
  out(row("agent → gateway → caller", fwd.viaToCaller, f2, true));
  out(row("direct pair, two processes (offerer → answerer)", fwd.crossAB, f2, true));
  out(row("direct pair, two processes (answerer → offerer)", fwd.crossBA, f2, true));
  out(row("direct pair, one process (offerer → answerer)", fwd.directAB, f2, true));
  out(row("direct pair, one process (answerer → offerer)", fwd.directBA, f2, true));
  out(row("ADDED by the bridge, caller → agent (vs two processes)", diff(fwd.viaToAgent, fwd.crossAB), f2, true));
  out(row("ADDED by the bridge, agent → caller (vs two processes)", diff(fwd.viaToCaller, fwd.crossBA), f2, true));
  out(row("vs one process, caller → agent", diff(fwd.viaToAgent, fwd.directAB), f2, true));
  out(row("vs one process, agent → caller", diff(fwd.viaToCaller, fwd.directBA), f2, true));
  if (inGateway) {
    const g = (s: { p50: number; p99: number; max: number }) => ({ p50: s.p50, p95: Number.NaN, p99: s.p99, max: s.max });
    out(row("inside the gateway: forward + re-encrypt, caller → agent", g(inGateway.toAgent), f2, true));
    out(row("inside the gateway: forward + re-encrypt, agent → caller", g(inGateway.toCaller), f2, true));
  }
  out("  method: send time stamped just before werift encrypts, arrival in onReceiveRtp, matched by the counter in");
  out("  the payload; times from another process are put on this one's clock via the machine-wide monotonic clock.");
  out("  A caller and an agent talking directly would still be two processes on two event loops, so the bridge's");
  out("  share (goal ≤ 2 ms p99) is percentile(via gateway) − same percentile of the two-process direct pair over");
  out("  the same seconds = one more loopback hop + the gateway's decrypt → forward → re-encrypt + its event-loop");
  out("  wait. The one-process pair (both ends on this event loop, nobody woken up) is shown for comparison with");
  out("  earlier runs. Each tick the caller sends just before the agent, so agent → caller also waits behind the");
  out("  caller's packet in the gateway (~0.3 ms).");
  out();
  out(
    `3) ${live.length}/${CALLS} concurrent bridged calls on one gateway, ${WINDOW_SECS} s window (set up in ${setupSecs.toFixed(1)} s, ${SETUP_CONCURRENCY} at a time)`,
  );
  out(`  gateway CPU (utime+stime from /proc/${gatewayPid}/stat)          ${f1(gwCpu)}% of one core`);
  out(`  this bench process (${live.length * 2 + 2} peers sending + receiving) CPU  ${f1(selfCpu)}% of one core`);
  out(
    `  whole machine busy ${f1(machineCpu)}% of one core (of ${cores * 100}%): gateway ${f1(gwCpu)} + bench ${f1(selfCpu)} + next-server ${f1(webCpu)} + everything else ${f1(machineCpu - gwCpu - selfCpu - webCpu)}`,
  );
  out(`  ${"inter-arrival of packets from the gateway (ms)".padEnd(52)} ${"p50".padStart(8)} ${"p95".padStart(8)} ${"p99".padStart(8)} ${"max".padStart(8)}`);
  out(row("at the callers (gateway → caller legs)", toCaller.gaps, f1, true));
  out(row("at the agents (gateway → agent legs)", toAgent.gaps, f1, true));
  out(row("bench's own send tick (what the gateway was fed)", tickGaps, f1, true));
  out(row("control: direct pair inside the bench, inter-arrival", controlGaps, f1, true));
  out(row("one-way latency caller → gateway → agent", toAgent.latency, f1, true));
  out(row("one-way latency agent → gateway → caller", toCaller.latency, f1, true));
  out(row("control: direct pair inside the bench, one-way", controlLatency, f1, true));
  const healthyCalls = live.filter((_, i) => (toCaller.ratios[i] ?? 0) >= 0.95 && (toAgent.ratios[i] ?? 0) >= 0.95).length;
  out(`  calls with ≥95% of packets delivered both ways through the window: ${healthyCalls}/${live.length}`);
  for (const [name, s] of [
    ["agent → caller", toCaller],
    ["caller → agent", toAgent],
  ] as const) {
    out(
      `  ${name}: sent ${s.sent}, delivered ${s.delivered}, lost ${s.lost} (${f2((100 * s.lost) / Math.max(1, s.sent))}%); gaps <2 ms ${f1(100 * s.under2)}%, >40 ms ${s.over40}; gateway fill-in silence ${s.silence}; arrived after window ${s.late}`,
    );
  }
  out("  method: every packet heard in the window counts for inter-arrival (pooled over receivers); loss = tagged");
  out("  packets sent in the window never heard (1 s grace). Senders and receivers share this 2-core machine with");
  out("  the gateway, so bench-side jitter is in these numbers: the send tick and a direct pair inside this process");
  out("  (never touching the gateway) are shown as controls — what they lack, the gateway added.");
  if (acceptRetries.length)
    out(
      `  accept retried after 502 "no longer waiting for an agent" (offer visible before the gateway takes accepts): ${acceptRetries.length}× (${acceptRetries.slice(0, 4).join("; ")})`,
    );
  if (setupErrors.length) out(`  setup failures (${setupErrors.length}): ${[...new Set(setupErrors)].slice(0, 5).join(" | ")}`);
  out();
  // Warnings and errors grouped by message (and reason), so a burst of one kind reads as one line.
  const kinds = new Map<string, { n: number; example: string }>();
  for (const l of problems) {
    let key = l.slice(0, 120);
    try {
      const j = JSON.parse(l) as { msg?: string; why?: string; err?: string | { message?: string }; error?: string };
      const detail = j.why ?? j.error ?? (typeof j.err === "string" ? j.err : j.err?.message) ?? "";
      key = `${j.msg ?? "?"}${detail ? `: ${detail}` : ""}`;
    } catch {}
    const k = kinds.get(key) ?? { n: 0, example: l.slice(0, 400) };
    k.n++;
    kinds.set(key, k);
  }
  out(`gateway log: ${gwLines.length} lines, ${problems.length} warn/error → ${gatewayLogFile}; web log → ${webLogFile}`);
  for (const [key, k] of [...kinds].sort((x, y) => y[1].n - x[1].n).slice(0, 8)) out(`  ${String(k.n).padStart(4)}× ${key}`);
  const firstKind = [...kinds.values()][0];
  if (firstKind) out(`  e.g. ${firstKind.example}`);
} catch (err) {
  process.exitCode = 1;
  process.stderr.write(`bench failed: ${(err as Error).stack ?? err}\n`);
} finally {
  clearTimeout(watchdog);
  mark("stopping");
  await cleanup();
  mark("done");
  // werift sockets and timers of closed peers may linger; everything of ours is stopped.
  process.exit(process.exitCode ?? 0);
}

async function pool(n: number, concurrency: number, fn: (i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, concurrency) }, async () => {
      while (next < n) await fn(next++);
    }),
  );
}
