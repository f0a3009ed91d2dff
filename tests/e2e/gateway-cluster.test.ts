// `npm run gateway` on a machine: one process per core (here 2), each registered under its own id
// with its own UDP slice; a killed process comes back; SIGTERM stops them all cleanly.
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { gatewayInfoSchema, keys } from "../../lib/gateway/messages";

const root = path.resolve(import.meta.dirname, "../..");
const redis = new Redis(process.env.REDIS_URL!);
let supervisor: ChildProcess | undefined;
let output = "";

const info = async (id: string) => {
  const raw = await redis.get(keys.gateway(id));
  return raw ? gatewayInfoSchema.parse(JSON.parse(raw)) : null;
};

afterAll(async () => {
  if (supervisor && supervisor.exitCode === null) supervisor.kill("SIGKILL");
  redis.disconnect();
});

/** `npm run gateway` with two processes on UDP 10400–10499, ids `<id>-1` and `<id>-2`; its output from now on in `output`. */
function startSupervisor(id: string): ChildProcess {
  output = "";
  const child = spawn(process.execPath, ["--import", "tsx", "media-gateway/cluster.ts"], {
    cwd: root,
    env: { ...process.env, GATEWAY_PROCESSES: "2", GATEWAY_ID: id, UDP_PORT_MIN: "10400", UDP_PORT_MAX: "10499", LOG_LEVEL: "info" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  return child;
}

describe("one gateway process per core", () => {
  it("starts N registered processes, restarts one that dies, and drains them all on SIGTERM", async () => {
    supervisor = startSupervisor("e2e-cluster");

    await expect.poll(async () => Boolean((await info("e2e-cluster-1")) && (await info("e2e-cluster-2"))), { timeout: 30_000 }).toBe(true);
    const first = (await info("e2e-cluster-1"))!;
    const second = (await info("e2e-cluster-2"))!;
    expect(first.pid).not.toBe(second.pid);
    // Each process's capacity comes from its half of the 100 ports (50 ports → 25 calls at most).
    expect(first.capacity).toBeLessThanOrEqual(25);
    expect(output).toMatch(/"udp":\[10400,10449\]/);
    expect(output).toMatch(/"udp":\[10450,10499\]/);

    process.kill(first.pid, "SIGKILL");
    await expect.poll(async () => (await info("e2e-cluster-1"))?.pid ?? first.pid, { timeout: 30_000 }).not.toBe(first.pid);

    const exited = new Promise<number | null>((resolve) => supervisor!.once("exit", (code) => resolve(code)));
    supervisor.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(await info("e2e-cluster-1")).toBeNull();
    expect(await info("e2e-cluster-2")).toBeNull();
  }, 90_000);

  it("drains and stops its processes when the supervisor itself is killed, leaving no orphan on its ports", async () => {
    supervisor = startSupervisor("e2e-orphan");
    await expect.poll(async () => Boolean((await info("e2e-orphan-1")) && (await info("e2e-orphan-2"))), { timeout: 30_000 }).toBe(true);
    const pids = [(await info("e2e-orphan-1"))!.pid, (await info("e2e-orphan-2"))!.pid];

    supervisor.kill("SIGKILL");
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    await expect.poll(() => pids.filter(alive).length, { timeout: 20_000 }).toBe(0);
    expect(await info("e2e-orphan-1")).toBeNull();
    expect(await info("e2e-orphan-2")).toBeNull();
    expect(output).toMatch(/the process that started this gateway is gone; draining and exiting/);
  }, 60_000);
});
