// Runs media-gateway/main.ts as a child process with the test environment (tests and benches).
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { Redis } from "ioredis";
import { keys } from "../../lib/gateway/messages";
import { gatewayEntry } from "../../media-gateway/bundle";

const root = path.resolve(import.meta.dirname, "../..");

export class GatewayProcess {
  child: ChildProcess | null = null;
  output = "";

  constructor(
    readonly id: string,
    readonly env: Record<string, string> = {},
    /** Extra node flags, e.g. ["--cpu-prof", "--cpu-prof-dir=/tmp/p"] for a bench's profile. */
    readonly nodeArgs: string[] = [],
  ) {}

  async start(timeoutMs = 20_000) {
    // `node` itself, not a tsx wrapper (which would survive SIGKILL's target), running the gateway's
    // bundle as `npm run gateway` does; from source under tsx when profiling, so profiles name files.
    const profiling = this.nodeArgs.some((a) => a.startsWith("--cpu-prof"));
    this.child = spawn(process.execPath, [...this.nodeArgs, ...(await gatewayEntry(profiling))], {
      cwd: root,
      env: { ...process.env, GATEWAY_ID: this.id, LOG_LEVEL: "info", ...this.env },
      // The IPC channel lets the gateway see this process die (it drains and exits, not orphaned).
      stdio: ["ignore", "pipe", "pipe", "ipc"],
    });
    this.child.channel?.unref();
    this.child.stdout?.on("data", (d) => (this.output += d));
    this.child.stderr?.on("data", (d) => (this.output += d));
    const redis = new Redis(this.env.REDIS_URL ?? process.env.REDIS_URL!);
    try {
      const deadline = Date.now() + timeoutMs;
      while (!(await redis.get(keys.gateway(this.id)))) {
        if (Date.now() > deadline || this.child.exitCode !== null) throw new Error(`gateway did not start:\n${this.output}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      redis.disconnect();
    }
  }

  kill(signal: NodeJS.Signals = "SIGTERM"): Promise<number | null> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child?.exitCode ?? null);
    return new Promise((resolve) => {
      child.once("exit", (code) => resolve(code));
      child.kill(signal);
    });
  }

  /** SIGTERM (the gateway drains and exits, writing any --cpu-prof), then SIGKILL after `graceMs`. */
  async stop(graceMs = 8_000): Promise<number | null> {
    const exited = this.kill("SIGTERM");
    const timer = new Promise<"late">((r) => setTimeout(() => r("late"), graceMs).unref());
    const first = await Promise.race([exited, timer]);
    return first === "late" ? this.kill("SIGKILL") : first;
  }

  saveLog(name: string) {
    fs.mkdirSync(path.join(root, "artifacts"), { recursive: true });
    fs.writeFileSync(path.join(root, "artifacts", `${name}.log`), this.output);
  }
}
