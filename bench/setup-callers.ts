// The WhatsApp side of bench/webhook-latency.ts, in a process of its own (started by it with an IPC
// channel): rings at `rate` calls/s for `secs` seconds, each caller a werift ICE-lite offerer
// (tools/wa-sim) that connects media, talks Opus silence and hangs up `holdSecs` after connecting.
// Webhooks go to the parent over IPC (as Meta's POSTs would reach the web tier); the parent tells
// us what the business sent the Graph API (pre_accept's SDP answer, or reject). Times are epoch ms
// (performance.timeOrigin + performance.now()), comparable across processes on one machine.
import { monitorEventLoopDelay } from "node:perf_hooks";
import { OPUS_SILENCE } from "../lib/media/opus";
import type { RTCCertificate } from "werift";
import { createCertificate } from "../media-gateway/call/dtls-certificate";
import { SimulatedCaller } from "../tools/wa-sim/caller";
import { callerLink, epochMs, type LinkFromParent, type LinkToParent } from "./caller-link";
import type { Line } from "../tools/wa-sim/payloads";

export interface CallersPlan {
  line: Line;
  appSecret: string;
  rate: number;
  secs: number;
  holdSecs: number;
  ringTimeoutMs: number;
  /** Calls placed (at up to 5/s) and finished before the measured ones, so the gateway is warm. */
  warmup: number;
  /**
   * This process's share when several share the calls: calls i with i % of === index, each due at
   * the same instant as with one process (the schedule is the bench's, sent with "go"). Warm-up calls
   * are placed by shard 0 only.
   */
  shard: { index: number; of: number };
}

/** Messages from the callers to the bench. */
export type FromCallers =
  | LinkToParent
  | { type: "connected"; callId: string; at: number }
  | { type: "greeting"; callId: string; at: number }
  | { type: "failed"; callId: string; error: string }
  | { type: "warm" }
  | { type: "placed"; firstDue: number; lastDue: number }
  | { type: "done"; peakConnected: number; loopP99Ms: number; loopMaxMs: number };

/** Messages from the bench to the callers. */
export type ToCallers = { type: "plan"; plan: CallersPlan } | { type: "go"; firstDueEpochMs: number } | LinkFromParent;

/** Before its webhook is due, a caller makes its offer, so the webhooks go out on time. */
const PREPARE_AHEAD_MS = 300;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

if (process.send) {
  const send = (m: FromCallers) => process.send!(m);
  const link = callerLink(send);
  let go: (firstDueEpochMs: number) => void = () => {};
  const started = new Promise<number>((r) => (go = r));
  process.on("message", (m: ToCallers) => {
    if (m.type === "plan") void run(m.plan);
    else if (m.type === "go") go(m.firstDueEpochMs);
    else link.receive(m);
  });

  let connectedNow = 0;
  let peakConnected = 0;
  /**
   * Rings callers i = 0 … calls − 1 (those of `shard`) at `rate` per second from `t0` (performance.now()
   * time); `scheduled` settles once the last is under way.
   */
  function place(plan: CallersPlan, certificate: RTCCertificate, calls: number, rate: number, first: number, t0: number, shard = { index: 0, of: 1 }) {
    const placing: Promise<void>[] = [];
    const scheduled = (async () => {
      for (let i = shard.index; i < calls; i += shard.of) {
        const due = t0 + (i * 1000) / rate;
        const wait = due - PREPARE_AHEAD_MS - performance.now();
        if (wait > 0) await sleep(wait);
        const caller: SimulatedCaller = new SimulatedCaller({
          line: plan.line,
          appSecret: plan.appSecret,
          certificate,
          from: `55119${String(first + i).padStart(8, "0")}`,
          name: "Bench",
          deliver: link.deliver(() => caller.callId),
          graphRequests: link.graphRequests,
        });
        let greeted = false;
        caller.heard.push = (...packets) => {
          if (!greeted && packets.some((p) => p.header.payloadType === 111 && !p.payload.equals(OPUS_SILENCE))) {
            greeted = true;
            send({ type: "greeting", callId: caller.callId, at: epochMs() });
          }
          return 0;
        };
        placing.push(
          (async () => {
            try {
              await caller.prepare();
              const late = due - performance.now();
              if (late > 0) await sleep(late);
              await caller.ring(plan.ringTimeoutMs);
              send({ type: "connected", callId: caller.callId, at: epochMs() });
              peakConnected = Math.max(peakConnected, ++connectedNow);
              await sleep(plan.holdSecs * 1000);
              connectedNow--;
              await caller.hangUp();
            } catch (err) {
              send({ type: "failed", callId: caller.callId, error: (err as Error).message });
              await caller.hangUp().catch(() => {});
            }
          })(),
        );
      }
    })();
    return { t0, scheduled, done: scheduled.then(() => Promise.all(placing)) };
  }

  async function run(plan: CallersPlan) {
    // One certificate for all callers: each real caller is its own phone; here they share two cores.
    const certificate = await createCertificate();
    if (plan.warmup > 0 && plan.shard.index === 0) {
      await place(plan, certificate, plan.warmup, Math.min(plan.rate, 5), 0, performance.now() + PREPARE_AHEAD_MS).done;
      peakConnected = 0;
    }
    send({ type: "warm" });
    // Every shard waits for the bench's start, so that the calls keep one schedule across processes.
    const t0 = (await started) - performance.timeOrigin;
    const calls = Math.round(plan.rate * plan.secs);
    // Their stamps (connected, greeting) are taken on this loop: a late loop makes them late.
    const loop = monitorEventLoopDelay({ resolution: 1 });
    loop.enable();
    const measured = place(plan, certificate, calls, plan.rate, plan.warmup, t0, plan.shard);
    await measured.scheduled;
    send({ type: "placed", firstDue: performance.timeOrigin + t0, lastDue: performance.timeOrigin + t0 + ((calls - 1) * 1000) / plan.rate });
    await measured.done;
    loop.disable();
    send({ type: "done", peakConnected, loopP99Ms: loop.percentile(99) / 1e6, loopMaxMs: loop.max / 1e6 });
    // Closed werift peers may leave sockets and timers behind.
    setTimeout(() => process.exit(0), 200);
  }
}
