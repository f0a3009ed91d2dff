// Media gateway process: registers in Redis, answers the calls assigned to it, shuts down cleanly.
import os from "node:os";
import { config } from "../lib/config";
import { db } from "../lib/db";
import { GatewayAgent } from "../lib/gateway/agent";
import { createRedis } from "../lib/gateway/redis";
import { reapDeadGateways } from "../lib/gateway/reaper";
import { logger } from "../lib/log";
import { LoopDelayWatch } from "../lib/media/loop-delay";
import { closeQueues } from "../lib/jobs/registry";
import { startOpsServer } from "../lib/metrics/ops-server";
import { cachedGraphClientFor } from "../lib/whatsapp/account-client";
import { CertificateRotation } from "./call/dtls-certificate";
import { hostAddress, portsPerPeer, sharePeerResources } from "./call/peer";
import { callCapacity, ephemeralOverlap, PEERS_PER_CALL, PortPool } from "./call/port-pool";
import { warmUp } from "./call/warm-up";
import { MediaGateway } from "./gateway";
import { MediaClock } from "./media/clock";
import { GatewayMetrics } from "./metrics";
import { applyNice } from "./priority";
import { RecordingSweep } from "./recording-sweep";

const cfg = config();
const id = cfg.gateway.id ?? `${os.hostname()}-${process.pid}`;
const log = logger.child({ gatewayId: id });
const nice = applyNice(cfg.gateway.nice, log);

// Capacity comes from the UDP range as much as from the config: never more calls than ports.
const ports = new PortPool(cfg.calling.udp_port_min, cfg.calling.udp_port_max, portsPerPeer(cfg.calling));
const squattable = ephemeralOverlap(cfg.calling.udp_port_min, cfg.calling.udp_port_max);
if (squattable) {
  log.warn(
    {
      udpPorts: `${cfg.calling.udp_port_min}-${cfg.calling.udp_port_max}`,
      ephemeralPorts: squattable.ephemeral,
      overlap: `${squattable.from}-${squattable.to}`,
    },
    "the media port range overlaps the kernel's ephemeral ports: other sockets on this host may take ports calls need; move [calling] udp_port_min/max or reserve them (sysctl net.ipv4.ip_local_reserved_ports)",
  );
}
const capacity = callCapacity(cfg.gateway.capacity, ports);
if (capacity < 1) {
  log.fatal(
    { udp: [cfg.calling.udp_port_min, cfg.calling.udp_port_max], portsPerPeer: ports.portsPerPeer, peersPerCall: PEERS_PER_CALL },
    "calling.udp_port_min..calling.udp_port_max holds no call: widen the range",
  );
  process.exit(1);
}
const certificates = new CertificateRotation((err) => log.error({ err }, "rotating the DTLS certificate failed; keeping the current one"));
await certificates.start();
sharePeerResources({ ports, certificate: () => certificates.current });
const redis = createRedis();
const blocking = createRedis();
const agent = new GatewayAgent(
  redis,
  blocking,
  {
    id,
    host: os.hostname(),
    pid: process.pid,
    load: 0,
    capacity,
    startedAt: Date.now(),
    draining: false,
    setupBudget: cfg.gateway.setup_budget || undefined,
  },
  {
    onHeartbeatError: (err) => log.error({ err }, "heartbeat failed (Redis unreachable); calls continue and the gateway registers again when Redis is back"),
    onHeartbeatRestored: (downMs) => log.warn({ downMs }, "heartbeats work again; registered again"),
    onFenced: (reapedAt) => void gateway.endFencedCalls(reapedAt),
    onInvalidMessage: (message, why) => log.warn({ message, why }, "skipped an inbox message that is not a command this gateway knows"),
  },
);
const metrics: GatewayMetrics = new GatewayMetrics(id, {
  activeCalls: () => gateway.sessions.size,
  bridgedCalls: () => gateway.bridgedCalls,
  capacity: () => capacity,
  ports: () => ports,
});
const clock = new MediaClock(20);
clock.onError = (err) => log.error({ err }, "a player failed on the media clock; other calls continue");
clock.onTick = (ms) => metrics.sendIntervalMs.observe(ms);
// Late on most ticks means audio goes out late: take no new calls (the web tier skips us) until caught up.
const loop = cfg.gateway.overload_loop_delay_ms
  ? new LoopDelayWatch({
      thresholdMs: cfg.gateway.overload_loop_delay_ms,
      onChange: (overloaded, lateMs) => {
        agent.info = { ...agent.info, overloaded };
        void agent.heartbeat().catch(() => {});
        if (overloaded) log.warn({ lateMs, activeCalls: gateway.sessions.size }, "overloaded: the event loop runs late; taking no new calls");
        else log.info({ lateMs, activeCalls: gateway.sessions.size }, "caught up: taking new calls again");
      },
    })
  : undefined;
// Every answered call needs its number's Graph API client: one read per account every 30 s instead of
// a PostgreSQL read and a token decryption per call (a token changed in the admin UI is used within 30 s).
const graph = (accountId: string) => cachedGraphClientFor(accountId);
const gateway: MediaGateway = new MediaGateway(agent, { config: cfg, clock, log, graph, ports, metrics, loop });
// Recordings left on this host's disk by an earlier run go to the finalise job (workers on this host).
const sweep = new RecordingSweep({ dir: cfg.calling.recordings_dir, gatewayId: id, redis, log });
// One call's bug must not take every other call on this process down with it.
process.on("uncaughtException", (err) => log.error({ err }, "uncaught exception; the gateway keeps running"));
process.on("unhandledRejection", (err) => log.error({ err }, "unhandled rejection; the gateway keeps running"));

let stopping = false;
let ops: Awaited<ReturnType<typeof startOpsServer>> | null = null;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal, activeCalls: gateway.sessions.size }, "shutting down");
  // /readyz answers 503 from now on; /metrics and /healthz keep answering while calls drain.
  clearInterval(reaper);
  loop?.stop();
  certificates.stop();
  await gateway.shutdown(cfg.gateway.shutdown_grace_secs * 1000);
  await sweep.stop();
  await closeQueues();
  redis.disconnect();
  blocking.disconnect();
  await db.$disconnect();
  ops?.server.close();
  log.info("stopped");
  process.exit(0);
}
process.on("SIGTERM", () => void stop("SIGTERM"));
process.on("SIGINT", () => void stop("SIGINT"));
// Started with an IPC channel (`npm run gateway`, tests, benches): the process that started us is gone
// when it closes, so drain and exit rather than keep our ports and id as an orphan.
process.on("disconnect", () => {
  log.error({ activeCalls: gateway.sessions.size }, "the process that started this gateway is gone; draining and exiting");
  void stop("parent exited");
});

// Ready when Redis and PostgreSQL answer and the process is not draining.
ops = cfg.gateway.metrics_port
  ? await startOpsServer({
      host: cfg.gateway.metrics_host,
      port: cfg.gateway.metrics_port,
      registry: metrics.registry,
      log,
      checks: {
        redis: () => redis.ping(),
        postgres: () => db.$queryRaw`SELECT 1`,
        accepting: async () => {
          if (stopping) throw new Error("draining: shutting down, takes no new calls");
        },
      },
    }).catch((err) => {
      log.error({ err, port: cfg.gateway.metrics_port }, "the operations endpoint could not listen; running without metrics");
      return null;
    })
  : null;

// Before registering: the first call must not pay for cold code (see warm-up.ts).
const warm = await warmUp(cfg.calling, certificates.current);
if (warm.error) log.warn({ ms: Math.round(warm.ms), error: warm.error }, "the warm-up call failed; the first call may be slower");
else log.info({ ms: Math.round(warm.ms) }, "warm-up call done");
await agent.start();
gateway.start();
sweep.start();
// Every live gateway also watches for dead peers (the web tier's cron route does the same).
const reaper = setInterval(() => {
  reapDeadGateways(redis, { selfId: id }).catch((err) => log.error({ err }, "reaping dead gateways failed"));
}, 5_000);
process.once("beforeExit", () => clearInterval(reaper));
log.info(
  {
    udp: [cfg.calling.udp_port_min, cfg.calling.udp_port_max],
    host: await hostAddress(cfg.calling),
    publicIp: cfg.calling.public_ip,
    peers: ports.size,
    capacity,
    configuredCapacity: cfg.gateway.capacity,
    nice,
  },
  "media gateway ready",
);
