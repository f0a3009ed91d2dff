// The three measurements of bench/agent-bridge.ts: accept → two-way audio over sequential calls, the
// per-packet latency the bridge adds, and many concurrent bridged calls on one gateway.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import type { MediaClock } from "../media-gateway/media/clock";
import type { Bridged, CallDriver } from "./agent-bridge-call";
import { FORWARD_SECS, SETUP_CONCURRENCY, WINDOW_SECS } from "./agent-bridge-config";
import { crossProcessPair, directPair, oneWay } from "./agent-bridge-pairs";
import type { Stack } from "./agent-bridge-stack";
import { type Bench, pool, sleep } from "./harness";
import { cpuTicks, machineTicks, type ProbePeer, summary, type Talker } from "./rtp-probe";

type Summary = ReturnType<typeof summary>;

/** 1. accept → two-way audio over `runs` sequential calls, by stage (ms after the accept POST). */
export async function sequentialAccepts(bench: Bench, stack: Stack, driver: CallDriver, runs: number) {
  bench.mark(`1. ${runs} sequential calls: accept → two-way audio`);
  const done: Bridged[] = [];
  for (let i = 0; i < runs; i++) {
    const c = await driver.call(i, stack.agents[0]!);
    await sleep(200);
    await driver.hangUp(c);
    done.push(c);
  }
  // Gateway log: epoch ms of "agent connected; audio bridged" per WhatsApp call id.
  const logBridged = new Map<string, number>();
  for (const l of stack.gateway.output.split("\n")) {
    if (!l.includes("audio bridged")) continue;
    try {
      const j = JSON.parse(l) as { time: number; waCallId: string };
      logBridged.set(j.waCallId, j.time);
    } catch {}
  }
  const rel = (pick: (c: Bridged) => number) => summary(done.map(pick));
  return {
    answer: rel((c) => c.t.answer - c.t.post),
    iceConnected: rel((c) => c.t.iceConnected - c.t.post),
    connected: rel((c) => c.t.connected - c.t.post),
    gwBridged: rel((c) => (logBridged.get(c.waCallId) ?? Number.NaN) - c.t.postEpoch),
    agentHears: rel((c) => c.t.agentHears - c.t.post),
    callerHears: rel((c) => c.t.callerHears - c.t.post),
    both: rel((c) => Math.max(c.t.agentHears, c.t.callerHears) - c.t.post),
  };
}

/** 2. Forwarding latency: one bridged call beside direct werift pairs (one process, two processes). */
export async function forwarding(bench: Bench, stack: Stack, driver: CallDriver, clock: MediaClock, index: number) {
  bench.mark(`2. one bridged call and a direct werift pair side by side, ${FORWARD_SECS} s`);
  const fwdCall = await driver.call(index, stack.agents[0]!);
  const pair = await directPair(clock, 999);
  const cross = await crossProcessPair(997);
  await sleep(500);
  const w0 = performance.now();
  await sleep(FORWARD_SECS * 1000);
  const w1 = performance.now();
  await sleep(300);
  const crossEnds = await cross.finish();
  const fwd = {
    viaToAgent: summary(oneWay(fwdCall.callerTalker, fwdCall.agentPeer, w0, w1)),
    viaToCaller: summary(oneWay(fwdCall.agentTalker, fwdCall.caller, w0, w1)),
    directAB: summary(oneWay(pair.ta, pair.b, w0, w1)),
    directBA: summary(oneWay(pair.tb, pair.a, w0, w1)),
    crossAB: summary(oneWay(cross.ta, crossEnds.b, w0, w1)),
    crossBA: summary(oneWay(crossEnds.tb, cross.a, w0, w1)),
  };
  await Promise.all([driver.hangUp(fwdCall), pair.close()]);
  await sleep(300);
  /** The gateway's own histogram for this call: packet callback → re-encrypted packet handed to the socket. */
  const inGateway = (() => {
    for (const l of stack.gateway.output.split("\n")) {
      if (!l.includes("forwarding time per packet") || !l.includes(fwdCall.waCallId)) continue;
      try {
        return JSON.parse(l) as { toAgent: { p50: number; p99: number; max: number }; toCaller: { p50: number; p99: number; max: number } };
      } catch {}
    }
    return null;
  })();
  return { ...fwd, inGateway };
}

/** 3. `calls` concurrent bridged calls: CPU of each process, inter-arrival and loss over a window. */
export async function concurrent(bench: Bench, stack: Stack, driver: CallDriver, clock: MediaClock, calls: number) {
  bench.mark(`3. setting up ${calls} concurrent bridged calls (${SETUP_CONCURRENCY} at a time)`);
  const live: Bridged[] = [];
  const setupErrors: string[] = [];
  const setupStart = performance.now();
  await pool(calls, SETUP_CONCURRENCY, async (i) => {
    try {
      live.push(await driver.call(1000 + i, stack.agents[i]!));
    } catch (err) {
      setupErrors.push((err as Error).message);
    }
  });
  const setupSecs = (performance.now() - setupStart) / 1000;
  bench.mark(`${live.length}/${calls} bridged in ${setupSecs.toFixed(1)} s; settling 2 s, then a ${WINDOW_SECS} s window`);
  const load = summary(live.map((c) => Math.max(c.t.agentHears, c.t.callerHears) - c.t.post));
  // Control: a direct pair in this process during the window shows how much of the numbers is this
  // process's own doing (it never touches the gateway).
  const control = await directPair(clock, 998);
  await sleep(2_000);
  const tickTimes: number[] = [];
  const unTick = clock.subscribe(() => tickTimes.push(performance.now()));
  const clkTck = Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;
  const gatewayPid = stack.gateway.child!.pid!;
  const cpu0 = await cpuTicks(gatewayPid);
  const machine0 = await machineTicks();
  const web0 = await cpuTicks(stack.web.pid!).catch(() => 0);
  const self0 = process.cpuUsage();
  const w0 = performance.now();
  await sleep(WINDOW_SECS * 1000);
  const cpu1 = await cpuTicks(gatewayPid);
  const machine1 = await machineTicks();
  const web1 = await cpuTicks(stack.web.pid!).catch(() => 0);
  const self1 = process.cpuUsage(self0);
  const w1 = performance.now();
  unTick();
  await sleep(1_000); // late arrivals still count as delivered
  const cores = os.cpus().length;
  const cpu = {
    gateway: ((cpu1 - cpu0) / clkTck / ((w1 - w0) / 1000)) * 100,
    self: ((self1.user + self1.system) / 1000 / (w1 - w0)) * 100,
    // Busy share of the whole machine, in "% of one core" like the others (so it tops out at cores × 100).
    machine: ((machine1.busy - machine0.busy) / Math.max(1, machine1.total - machine0.total)) * 100 * cores,
    web: ((web1 - web0) / clkTck / ((w1 - w0) / 1000)) * 100,
    cores,
  };

  const toCaller = legStats(live, (c) => ({ talker: c.agentTalker, receiver: c.caller }), w0, w1);
  const toAgent = legStats(live, (c) => ({ talker: c.callerTalker, receiver: c.agentPeer }), w0, w1);
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

  bench.mark(`hanging up ${live.length} calls`);
  await pool(live.length, 10, (i) => driver.hangUp(live[i]!));
  return { live: live.length, setupSecs, setupErrors, load, cpu, toCaller, toAgent, tickGaps, controlGaps, controlLatency };
}

export interface LegStats {
  gaps: Summary;
  under2: number;
  over40: number;
  sent: number;
  delivered: number;
  lost: number;
  silence: number;
  late: number;
  latency: Summary;
  ratios: number[];
}

/** Inter-arrival (all packets from the gateway) and delivery of tagged packets, for one direction. */
function legStats(live: Bridged[], pick: (c: Bridged) => { talker: Talker; receiver: ProbePeer }, w0: number, w1: number): LegStats {
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
