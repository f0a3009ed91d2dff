// The tables and explanations bench/agent-bridge.ts prints (the README's Benchmarks section quotes them).
import os from "node:os";
import type { concurrent, forwarding, sequentialAccepts } from "./agent-bridge-phases";
import { FORWARD_SECS, gatewayLogFile, SETUP_CONCURRENCY, UDP, WINDOW_SECS, webLogFile } from "./agent-bridge-config";
import { f1, f2, out } from "./harness";
import type { summary } from "./rtp-probe";

export interface Results {
  calls: number;
  runs: number;
  gatewayPid: number;
  gatewayOutput: string;
  acceptRetries: string[];
  stage: Awaited<ReturnType<typeof sequentialAccepts>>;
  fwd: Awaited<ReturnType<typeof forwarding>>;
  many: Awaited<ReturnType<typeof concurrent>>;
}

const row = (label: string, s: { p50: number; p95: number; p99?: number; max: number; n?: number }, digits = f1, withP99 = false) =>
  `  ${label.padEnd(52)} ${digits(s.p50).padStart(8)} ${digits(s.p95).padStart(8)}${withP99 ? (s.p99 === undefined ? "" : ` ${digits(s.p99).padStart(8)}`) : ""} ${digits(s.max).padStart(8)}${s.n !== undefined ? `   n=${s.n}` : ""}`;
const diff = (via: ReturnType<typeof summary>, direct: ReturnType<typeof summary>) => ({
  p50: via.p50 - direct.p50,
  p95: via.p95 - direct.p95,
  p99: via.p99 - direct.p99,
  max: Number.NaN, // a difference of maxima means nothing
});

export function printReport(r: Results) {
  const { stage, fwd, many } = r;
  out();
  const nice = (() => {
    try {
      return String(os.getPriority(r.gatewayPid));
    } catch {
      return "?";
    }
  })();
  out(
    `Ringflow agent bridge — ${os.cpus().length} cores, gateway pid ${r.gatewayPid} (UDP ${UDP[0]}–${UDP[1]}, nice ${nice}: [gateway] nice; this bench's own processes run at ${os.getPriority()}), loopback, ${new Date().toISOString()}`,
  );
  out();
  out(`1) accept → two-way audio, ${r.runs} sequential calls (ms after POST /api/transfers/{id}/accept is sent)`);
  out(`  ${"".padEnd(52)} ${"p50".padStart(8)} ${"p95".padStart(8)} ${"max".padStart(8)}`);
  out(row("200 {sdp} received (claim + Redis + gateway answer)", stage.answer));
  out(row("agent peer ICE connected", stage.iceConnected));
  out(row("agent peer ICE+DTLS connected (SRTP ready)", stage.connected));
  out(row('gateway logs "audio bridged" (gateway clock)', stage.gwBridged));
  out(row("(a) agent hears first caller packet", stage.agentHears));
  out(row("(b) caller hears first agent packet", stage.callerHears));
  out(row("max(a, b): two-way audio", stage.both));
  out(row(`same, during setup of the ${r.calls} concurrent calls below`, many.load));
  out("  method: caller and agent each send a tagged 20 ms packet on a shared 20 ms tick (the agent from the");
  out("  moment its peer connects); first tagged arrival of the other side's stream, so ≤20 ms is tick wait.");
  out("  ICE → DTLS is the handshake itself: the script agent (werift, DTLS client: the gateway answers agents");
  out("  a=setup:passive) sends its ClientHello as soon as its ICE is up (our werift patch drops werift's fixed");
  out("  100 ms wait before it).");
  out();
  out(`2) bridge forwarding latency per packet, one call, ${FORWARD_SECS} s each way (ms)`);
  out(`  ${"".padEnd(52)} ${"p50".padStart(8)} ${"p95".padStart(8)} ${"p99".padStart(8)} ${"max".padStart(8)}`);
  out(row("caller → gateway → agent", fwd.viaToAgent, f2, true));
  out(row("agent → gateway → caller", fwd.viaToCaller, f2, true));
  out(row("direct pair, two processes (offerer → answerer)", fwd.crossAB, f2, true));
  out(row("direct pair, two processes (answerer → offerer)", fwd.crossBA, f2, true));
  out(row("direct pair, one process (offerer → answerer)", fwd.directAB, f2, true));
  out(row("direct pair, one process (answerer → offerer)", fwd.directBA, f2, true));
  out(row("ADDED by the bridge, caller → agent (vs two processes)", diff(fwd.viaToAgent, fwd.crossAB), f2, true));
  out(row("ADDED by the bridge, agent → caller (vs two processes)", diff(fwd.viaToCaller, fwd.crossBA), f2, true));
  out(row("vs one process, caller → agent", diff(fwd.viaToAgent, fwd.directAB), f2, true));
  out(row("vs one process, agent → caller", diff(fwd.viaToCaller, fwd.directBA), f2, true));
  if (fwd.inGateway) {
    const g = (s: { p50: number; p99: number; max: number }) => ({ p50: s.p50, p95: Number.NaN, p99: s.p99, max: s.max });
    out(row("inside the gateway: forward + re-encrypt, caller → agent", g(fwd.inGateway.toAgent), f2, true));
    out(row("inside the gateway: forward + re-encrypt, agent → caller", g(fwd.inGateway.toCaller), f2, true));
  }
  out("  method: send time stamped just before werift encrypts, arrival in onReceiveRtp, matched by the counter in");
  out("  the payload; times from another process are put on this one's clock via the machine-wide monotonic clock.");
  out("  A caller and an agent talking directly would still be two processes on two event loops, so the bridge's");
  out("  share (goal ≤ 2 ms p99) is percentile(via gateway) − same percentile of the two-process direct pair over");
  out("  the same seconds = one more loopback hop + the gateway's decrypt → forward → re-encrypt + its event-loop");
  out("  wait. The one-process pair (both ends on this event loop, nobody woken up) is shown for comparison with");
  out("  earlier runs. Each tick the caller sends just before the agent, so agent → caller also waits behind the");
  out("  caller's packet in the gateway (~0.3 ms).");
  out();
  printConcurrent(r);
  out();
  printGatewayLog(r.gatewayOutput);
}

function printConcurrent(r: Results) {
  const { many, gatewayPid } = r;
  const { cpu, toCaller, toAgent } = many;
  out(
    `3) ${many.live}/${r.calls} concurrent bridged calls on one gateway, ${WINDOW_SECS} s window (set up in ${many.setupSecs.toFixed(1)} s, ${SETUP_CONCURRENCY} at a time)`,
  );
  out(`  gateway CPU (utime+stime from /proc/${gatewayPid}/stat)          ${f1(cpu.gateway)}% of one core`);
  out(`  this bench process (${many.live * 2 + 2} peers sending + receiving) CPU  ${f1(cpu.self)}% of one core`);
  out(
    `  whole machine busy ${f1(cpu.machine)}% of one core (of ${cpu.cores * 100}%): gateway ${f1(cpu.gateway)} + bench ${f1(cpu.self)} + next-server ${f1(cpu.web)} + everything else ${f1(cpu.machine - cpu.gateway - cpu.self - cpu.web)}`,
  );
  out(`  ${"inter-arrival of packets from the gateway (ms)".padEnd(52)} ${"p50".padStart(8)} ${"p95".padStart(8)} ${"p99".padStart(8)} ${"max".padStart(8)}`);
  out(row("at the callers (gateway → caller legs)", toCaller.gaps, f1, true));
  out(row("at the agents (gateway → agent legs)", toAgent.gaps, f1, true));
  out(row("bench's own send tick (what the gateway was fed)", many.tickGaps, f1, true));
  out(row("control: direct pair inside the bench, inter-arrival", many.controlGaps, f1, true));
  out(row("one-way latency caller → gateway → agent", toAgent.latency, f1, true));
  out(row("one-way latency agent → gateway → caller", toCaller.latency, f1, true));
  out(row("control: direct pair inside the bench, one-way", many.controlLatency, f1, true));
  const healthyCalls = toCaller.ratios.filter((ratio, i) => ratio >= 0.95 && (toAgent.ratios[i] ?? 0) >= 0.95).length;
  out(`  calls with ≥95% of packets delivered both ways through the window: ${healthyCalls}/${many.live}`);
  for (const [name, s] of [
    ["agent → caller", toCaller],
    ["caller → agent", toAgent],
  ] as const) {
    out(
      `  ${name}: sent ${s.sent}, delivered ${s.delivered}, lost ${s.lost} (${f2((100 * s.lost) / Math.max(1, s.sent))}%); gaps <2 ms ${f1(100 * s.under2)}%, >40 ms ${s.over40}; gateway fill-in silence ${s.silence}; arrived after window ${s.late}`,
    );
  }
  out("  method: every packet heard in the window counts for inter-arrival (pooled over receivers); loss = tagged");
  out("  packets sent in the window never heard (1 s grace). Senders and receivers share this 2-core machine with");
  out("  the gateway, so bench-side jitter is in these numbers: the send tick and a direct pair inside this process");
  out("  (never touching the gateway) are shown as controls — what they lack, the gateway added.");
  if (r.acceptRetries.length)
    out(
      `  accept retried after 502 "no longer waiting for an agent" (offer visible before the gateway takes accepts): ${r.acceptRetries.length}× (${r.acceptRetries.slice(0, 4).join("; ")})`,
    );
  if (many.setupErrors.length) out(`  setup failures (${many.setupErrors.length}): ${[...new Set(many.setupErrors)].slice(0, 5).join(" | ")}`);
}

/** Warnings and errors grouped by message (and reason), so a burst of one kind reads as one line. */
function printGatewayLog(output: string) {
  const gwLines = output.split("\n").filter((l) => l.trim());
  const problems = gwLines.filter((l) => {
    try {
      return (JSON.parse(l) as { level: number }).level >= 40;
    } catch {
      return /error|warn/i.test(l);
    }
  });
  const kinds = new Map<string, { n: number; example: string }>();
  for (const l of problems) {
    let key = l.slice(0, 120);
    try {
      const j = JSON.parse(l) as { msg?: string; why?: string; err?: string | { message?: string }; error?: string };
      const detail = j.why ?? j.error ?? (typeof j.err === "string" ? j.err : j.err?.message) ?? "";
      key = `${j.msg ?? "?"}${detail ? `: ${detail}` : ""}`;
    } catch {}
    const k = kinds.get(key) ?? { n: 0, example: l.slice(0, 400) };
    k.n++;
    kinds.set(key, k);
  }
  out(`gateway log: ${gwLines.length} lines, ${problems.length} warn/error → ${gatewayLogFile}; web log → ${webLogFile}`);
  for (const [key, k] of [...kinds].sort((x, y) => y[1].n - x[1].n).slice(0, 8)) out(`  ${String(k.n).padStart(4)}× ${key}`);
  const firstKind = [...kinds.values()][0];
  if (firstKind) out(`  e.g. ${firstKind.example}`);
}
