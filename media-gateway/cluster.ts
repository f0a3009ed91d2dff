// `npm run gateway`: one media-gateway process per core (or [gateway] processes), each with its own
// id and its own slice of the UDP range; a child that dies is restarted; SIGTERM drains them all.
// Each child holds an IPC channel to this process: if the supervisor itself dies (SIGKILL, OOM), the
// channel closes and the children drain and exit instead of living on with their ports and ids, which a
// restarted supervisor's children would then collide with.
import { type ChildProcess, spawn } from "node:child_process";
import os from "node:os";
import { config } from "../lib/config";
import { portSlices } from "../lib/gateway/port-slices";
import { logger } from "../lib/log";
import { gatewayEntry } from "./bundle";

const cfg = config();
const count = cfg.gateway.processes ?? os.availableParallelism();
const base = cfg.gateway.id ?? os.hostname();
const slices = portSlices(cfg.calling.udp_port_min, cfg.calling.udp_port_max, count);
const log = logger.child({ supervisor: base });
const entry = await gatewayEntry();
const children = new Map<number, ChildProcess>();
const restarts = new Map<number, number[]>();
let stopping = false;

function start(i: number) {
  const [min, max] = slices[i]!;
  const id = `${base}-${i + 1}`;
  const child = spawn(process.execPath, entry, {
    env: {
      ...process.env,
      GATEWAY_ID: id,
      UDP_PORT_MIN: String(min),
      UDP_PORT_MAX: String(max),
      // Each process its own metrics port: 9464, 9465, … (0 stays off).
      GATEWAY_METRICS_PORT: String(cfg.gateway.metrics_port && cfg.gateway.metrics_port + i),
    },
    stdio: ["inherit", "inherit", "inherit", "ipc"],
  });
  children.set(i, child);
  log.info({ gatewayId: id, pid: child.pid, udp: [min, max] }, "gateway process started");
  child.on("exit", (code, signal) => {
    children.delete(i);
    if (stopping) return;
    // Restart at once, but back off if it keeps dying (5 restarts within a minute → wait 10 s).
    const now = Date.now();
    const recent = (restarts.get(i) ?? []).filter((t) => now - t < 60_000);
    restarts.set(i, [...recent, now]);
    const delay = recent.length >= 5 ? 10_000 : 500;
    log.error({ gatewayId: id, code, signal, restartInMs: delay }, "gateway process exited; restarting it");
    setTimeout(() => !stopping && start(i), delay);
  });
}

async function stop(signal: NodeJS.Signals) {
  if (stopping) return;
  stopping = true;
  log.info({ signal, processes: children.size }, "stopping gateway processes (each drains its calls)");
  await Promise.all(
    [...children.values()].map(
      (child) =>
        new Promise<void>((resolve) => {
          child.once("exit", () => resolve());
          child.kill("SIGTERM");
        }),
    ),
  );
  log.info("all gateway processes stopped");
  process.exit(0);
}

process.on("SIGTERM", () => void stop("SIGTERM"));
process.on("SIGINT", () => void stop("SIGINT"));
for (let i = 0; i < count; i++) start(i);
