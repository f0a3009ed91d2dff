// Media gateway process: registers in Redis, answers the calls assigned to it, shuts down cleanly.
import os from "node:os";
import { config } from "../lib/config";
import { db } from "../lib/db";
import { GatewayAgent } from "../lib/gateway/agent";
import { createRedis } from "../lib/gateway/redis";
import { reapDeadGateways } from "../lib/gateway/reaper";
import { logger } from "../lib/log";
import { graphClientFor } from "../lib/whatsapp/account-client";
import { MediaGateway } from "./gateway";
import { MediaClock } from "./media/clock";

const cfg = config();
const id = cfg.gateway.id ?? `${os.hostname()}-${process.pid}`;
const log = logger.child({ gatewayId: id });
const redis = createRedis();
const blocking = createRedis();
const agent = new GatewayAgent(redis, blocking, {
  id,
  host: os.hostname(),
  pid: process.pid,
  load: 0,
  capacity: cfg.gateway.capacity,
  startedAt: Date.now(),
  draining: false,
});
const gateway = new MediaGateway(agent, { config: cfg, clock: new MediaClock(20), log, graph: graphClientFor });

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal, activeCalls: gateway.sessions.size }, "shutting down");
  clearInterval(reaper);
  await gateway.shutdown(cfg.gateway.shutdown_grace_secs * 1000);
  redis.disconnect();
  blocking.disconnect();
  await db.$disconnect();
  log.info("stopped");
  process.exit(0);
}
process.on("SIGTERM", () => void stop("SIGTERM"));
process.on("SIGINT", () => void stop("SIGINT"));

await agent.start();
gateway.start();
// Every live gateway also watches for dead peers (the web tier's cron route does the same).
const reaper = setInterval(() => {
  reapDeadGateways(redis).catch((err) => log.error({ err }, "reaping dead gateways failed"));
}, 5_000);
process.once("beforeExit", () => clearInterval(reaper));
log.info({ udp: [cfg.calling.udp_port_min, cfg.calling.udp_port_max], capacity: cfg.gateway.capacity }, "media gateway ready");
