// The lifecycle every end-to-end benchmark shares: whatever it starts is stopped (last started, first
// stopped) on success, failure, SIGINT or a watchdog; progress lines go to stderr; the media gateway
// runs as a child process of its own. Reads no config, so a bench may load it before writing its own.
import fs from "node:fs";
import { portSlices } from "../lib/gateway/port-slices";
import { GatewayProcess } from "../tests/helpers/gateway-process";

type Cleanup = () => Promise<unknown> | unknown;

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const note = (s: string) => process.stderr.write(`[bench] ${s}\n`);
export const out = (s = "") => process.stdout.write(`${s}\n`);
export const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : "–");
export const f2 = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : "–");

/** The environment variable `name` as a number of processes (a whole number, 1 or more; 1 when unset); exits with a message otherwise. */
export function processCount(name: string): number {
  const n = Number(process.env[name] || 1);
  if (Number.isInteger(n) && n >= 1) return n;
  process.stderr.write(`${name} must be a whole number of processes (1 or more)\n`);
  process.exit(2);
}

/** Runs `fn(0 … n-1)` with at most `concurrency` of them in flight. */
export async function pool(n: number, concurrency: number, fn: (i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, concurrency) }, async () => {
      while (next < n) await fn(next++);
    }),
  );
}

export class Bench {
  /** Run in reverse order by `cleanup()`; an array so helpers such as `freshStores` can push to it. */
  readonly cleanups: Cleanup[] = [];
  private readonly startedAt = performance.now();
  private readonly watchdog: NodeJS.Timeout;
  private cleaning: Promise<void> | null = null;

  constructor(timeoutMs: number) {
    this.watchdog = setTimeout(() => {
      note(`gave up after ${Math.round(timeoutMs / 1000)} s; stopping everything`);
      void this.cleanup().then(() => process.exit(1));
    }, timeoutMs);
    process.once("SIGINT", () => void this.cleanup().then(() => process.exit(130)));
  }

  defer(fn: Cleanup) {
    this.cleanups.push(fn);
  }

  /** A progress line on stderr, with the seconds since the bench started. */
  mark(what: string) {
    note(`${((performance.now() - this.startedAt) / 1000).toFixed(1)} s  ${what}`);
  }

  /** Runs every cleanup once, each given at most 10 s; safe to call again (returns the same promise). */
  cleanup(): Promise<void> {
    this.cleaning ??= (async () => {
      for (const fn of this.cleanups.splice(0).reverse()) {
        try {
          await Promise.race([fn(), sleep(10_000)]);
        } catch (err) {
          note(`cleanup step failed: ${(err as Error).message}`);
        }
      }
    })();
    return this.cleaning;
  }

  /**
   * Runs `main`, prints "bench failed: …" if it throws (then `onFail`, e.g. rows gathered so far), stops
   * everything and exits: werift sockets and timers of closed peers and the app's shared Redis and
   * Prisma clients may linger, while everything of ours is stopped.
   */
  async run(main: () => Promise<void>, onFail?: () => void): Promise<never> {
    try {
      await main();
    } catch (err) {
      process.exitCode = 1;
      process.stderr.write(`bench failed: ${(err as Error).stack ?? err}\n`);
      onFail?.();
    } finally {
      clearTimeout(this.watchdog);
      this.mark("stopping");
      await this.cleanup();
      this.mark("done");
    }
    process.exit(process.exitCode ?? 0);
  }

  /**
   * Starts media-gateway/main.ts as a child process (tests/helpers/gateway-process.ts: `node --import tsx`,
   * ready once its Redis key is set) and stops it on cleanup (SIGTERM, SIGKILL after 8 s), writing its
   * output to `logFile`. BENCH_GATEWAY_NODE_ARGS adds node flags, e.g. "--cpu-prof --cpu-prof-dir=/tmp/p".
   */
  async startGateway(id: string, env: Record<string, string>, logFile: string): Promise<GatewayProcess> {
    const gateway = new GatewayProcess(id, env, process.env.BENCH_GATEWAY_NODE_ARGS?.split(" ").filter(Boolean) ?? []);
    this.defer(async () => {
      if (gateway.child && (await gateway.stop()) === null) note("the gateway did not stop within 8 s of SIGTERM and was killed");
      fs.writeFileSync(logFile, gateway.output);
    });
    await gateway.start(30_000);
    return gateway;
  }

  /**
   * `count` gateways (startGateway), as `npm run gateway` starts them: ids `<idPrefix>-1…`, each with its
   * slice of the UDP range `udp` and `env` plus `perProcess(i)`; logs at `<logBase>.log`, or
   * `<logBase>-1.log`… for more than one. Their pids, in order.
   */
  async startGateways(
    count: number,
    idPrefix: string,
    udp: readonly [number, number],
    env: Record<string, string>,
    logBase: string,
    perProcess: (i: number) => Record<string, string> = () => ({}),
  ): Promise<{ pids: number[]; logs: string[] }> {
    const pids: number[] = [];
    const logs: string[] = [];
    for (const [i, [min, max]] of portSlices(udp[0], udp[1], count).entries()) {
      const log = `${logBase}${count > 1 ? `-${i + 1}` : ""}.log`;
      const gateway = await this.startGateway(`${idPrefix}-${i + 1}`, { ...env, UDP_PORT_MIN: String(min), UDP_PORT_MAX: String(max), ...perProcess(i) }, log);
      pids.push(gateway.child!.pid!);
      logs.push(log);
      this.mark(`gateway pid ${gateway.child!.pid} registered (UDP ${min}–${max})`);
    }
    return { pids, logs };
  }
}
