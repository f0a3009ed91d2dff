// The WhatsApp side of bench/gateway-capacity.ts, in a process of its own (started by it with an IPC
// channel), so that the callers' werift peers share neither an event loop with the gateway nor with
// the web tier's code: on "dial" it rings n callers (10 at a time), each a werift ICE-lite offerer
// (tools/wa-sim), sending Opus silence once connected as WhatsApp's phones do; on "record" it notes the arrival of every
// packet from the gateway and has each caller press 1 once (RFC 4733), spread over 2 s; on "stop"
// it reports the arrivals pooled; on "hang up" every caller hangs up. Webhooks and Graph API
// decisions travel over bench/caller-link.ts.
import { monitorEventLoopDelay } from "node:perf_hooks";
import type { RTCCertificate } from "werift";
import { createCertificate } from "../media-gateway/call/dtls-certificate";
import { SimulatedCaller } from "../tools/wa-sim/caller";
import type { Line } from "../tools/wa-sim/payloads";
import { callerLink, type LinkFromParent, type LinkToParent } from "./caller-link";
import { Arrivals, pooled, SETUP_CONCURRENCY } from "./gateway-capacity-measure";
import { pool, sleep } from "./harness";

export type ToCapacityCallers =
  | LinkFromParent
  | { type: "dial"; line: Line; appSecret: string; n: number; from: number; concurrency?: number }
  | { type: "record" }
  | { type: "stop" }
  | { type: "hang up" };

export type FromCapacityCallers =
  | LinkToParent
  | { type: "dialled"; connected: number; errors: string[] }
  | { type: "arrivals"; stats: ReturnType<typeof pooled>; errors: string[]; loopP99Ms: number }
  | { type: "hung up"; callIds: string[] };

if (process.send) {
  const send = (m: FromCapacityCallers) => process.send!(m);
  const link = callerLink(send);
  let certificate: RTCCertificate | undefined;
  let callers: SimulatedCaller[] = [];
  let arrivals: Arrivals[] = [];
  let recording = false;
  let presses: Promise<unknown>[] = [];
  const errors: string[] = [];
  const loop = monitorEventLoopDelay({ resolution: 1 });

  const dial = async (m: Extract<ToCapacityCallers, { type: "dial" }>) => {
    // One certificate for all callers: each real caller is its own phone; here they share two cores.
    certificate ??= await createCertificate();
    errors.length = 0;
    await pool(m.n, m.concurrency ?? SETUP_CONCURRENCY, async (i) => {
      const c: SimulatedCaller = new SimulatedCaller({
        line: m.line,
        appSecret: m.appSecret,
        certificate,
        from: `55119${String(m.from + i).padStart(8, "0")}`,
        name: "Bench",
        deliver: link.deliver(() => c.callId),
        graphRequests: link.graphRequests,
      });
      const a = new Arrivals();
      // Arrival times at the caller: recorded in the caller's own `heard` hook, no packet kept.
      c.heard.push = (...ps) => {
        if (recording) for (const p of ps) a.record(performance.now(), p.header.sequenceNumber);
        return 0;
      };
      try {
        await c.dial();
        callers.push(c);
        arrivals.push(a);
      } catch (err) {
        errors.push((err as Error).message);
        await c.hangUp().catch(() => {});
      }
    });
    send({ type: "dialled", connected: callers.length, errors: [...errors] });
  };

  const handlers = {
    dial,
    record: () => {
      loop.reset();
      loop.enable();
      recording = true;
      presses = callers.map((c, i) =>
        sleep((i * 2000) / Math.max(1, callers.length)).then(() => c.press("1").catch((err: Error) => errors.push(`press: ${err.message}`))),
      );
    },
    stop: async () => {
      recording = false;
      loop.disable();
      await Promise.all(presses);
      send({ type: "arrivals", stats: pooled(arrivals), errors: [...errors], loopP99Ms: loop.percentile(99) / 1e6 });
    },
    "hang up": async () => {
      const done = callers;
      callers = [];
      arrivals = [];
      await pool(done.length, SETUP_CONCURRENCY, async (i) => {
        await done[i]!.hangUp().catch(() => {});
      });
      send({ type: "hung up", callIds: done.map((c) => c.callId) });
    },
  };

  process.on("message", (m: ToCapacityCallers) => {
    if (link.receive(m)) return;
    const run = handlers[m.type as keyof typeof handlers] as (msg: ToCapacityCallers) => unknown;
    void Promise.resolve(run(m)).catch((err: Error) => {
      process.stderr.write(`[capacity-callers] ${m.type} failed: ${err.stack ?? err.message}\n`);
      process.exit(1);
    });
  });
  process.on("disconnect", () => process.exit(0));
}
