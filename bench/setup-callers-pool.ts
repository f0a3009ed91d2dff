// The callers' processes of bench/webhook-latency.ts (bench/setup-callers.ts, one or more): spawned
// with an IPC channel, each given its shard of the plan; their per-call messages passed on, Graph API
// requests routed back to the process that placed the call, and their warm-up, schedule and end
// gathered into one.
import { type ChildProcess, spawn } from "node:child_process";
import type { RecordedRequest } from "../tools/wa-sim/fake-graph";
import { epochMs } from "./caller-link";
import type { CallersPlan, FromCallers, ToCallers } from "./setup-callers";

/** What one call's caller reports, and the webhooks it sends. */
export type CallMessage = Extract<FromCallers, { type: "webhook" | "connected" | "greeting" | "failed" }>;

export class CallersPool {
  readonly procs: ChildProcess[];
  /** Every process has placed and finished its warm-up calls; the measured ones are under way. */
  warm = false;
  /** The measured calls' schedule, once every process has placed its last. */
  placed: { firstDue: number; lastDue: number } | null = null;
  /** Each process's own peak of calls up at once, summed: at most the real peak. */
  peakConnected = 0;
  /** The worst of the processes' event-loop delays while placing (their stamps wait on it). */
  loop = { loopP99Ms: 0, loopMaxMs: 0 };
  /** Every process exited 0 (rejects when one did not). */
  readonly done: Promise<void>;
  private readonly placedBy = new Map<string, ChildProcess>();
  private warmCount = 0;
  private placedCount = 0;

  constructor(
    count: number,
    nodeArgs: string[],
    cwd: string,
    /** A call's message; `reply` answers its process (a webhook's delivery). */
    hear: (m: CallMessage, reply: (m: ToCallers) => void) => void,
    /** Called once the warm-up calls are over, before the measured ones start. */
    onWarm: () => void,
  ) {
    this.procs = Array.from({ length: count }, () =>
      spawn(process.execPath, [...nodeArgs, "--import", "tsx", "bench/setup-callers.ts"], { cwd, stdio: ["ignore", "inherit", "inherit", "ipc"] }),
    );
    this.done = Promise.all(
      this.procs.map(
        (proc) =>
          new Promise<void>((resolve, reject) =>
            proc.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`a callers' process exited with ${code}`)))),
          ),
      ),
    ).then(() => {});
    for (const proc of this.procs) {
      proc.on("message", (m: FromCallers) => {
        switch (m.type) {
          case "webhook":
            this.placedBy.set(m.callId, proc);
            return hear(m, (r) => send(proc, r));
          case "connected":
          case "greeting":
          case "failed":
            return hear(m, (r) => send(proc, r));
          case "warm":
            if (++this.warmCount < this.procs.length) return;
            onWarm();
            this.warm = true;
            // One schedule for every process, starting shortly (each prepares its offers ahead of it).
            for (const p of this.procs) send(p, { type: "go", firstDueEpochMs: epochMs() + 400 });
            return;
          case "placed":
            if (++this.placedCount === this.procs.length) this.placed = m;
            return;
          case "done":
            this.peakConnected += m.peakConnected;
            this.loop = { loopP99Ms: Math.max(this.loop.loopP99Ms, m.loopP99Ms), loopMaxMs: Math.max(this.loop.loopMaxMs, m.loopMaxMs) };
            return;
        }
      });
    }
  }

  /** Sends each process the plan with its shard of the calls. */
  start(plan: Omit<CallersPlan, "shard">) {
    for (const [index, p] of this.procs.entries()) send(p, { type: "plan", plan: { ...plan, shard: { index, of: this.procs.length } } });
  }

  /** What the business sent the Graph API about a call, to the process that placed it. */
  graph(request: RecordedRequest) {
    const by = request.callId ? this.placedBy.get(request.callId) : undefined;
    if (by) send(by, { type: "graph", request });
  }

  running() {
    return this.procs.every((p) => p.exitCode === null);
  }

  kill() {
    for (const p of this.procs) if (p.exitCode === null && p.signalCode === null) p.kill("SIGKILL");
  }
}

function send(p: ChildProcess, m: ToCallers) {
  if (p.connected) p.send(m);
}
