// Usage: npx tsx bench/packet-profile.ts <alloc|cpu> [pairs=50] [secs=5] [werift dir=node_modules/werift] [rows=30]
//
// Where werift's per-packet work goes, on bench/srtp-packet-cost.ts's full path (pairs of
// RTCPeerConnections on loopback, both ends writing 50 packets/s with track.writeRtp), in this process:
//   alloc: V8's sampling heap profiler (objects collected by scavenges and mark-compacts included)
//          over `secs`: bytes allocated per packet sent, by allocating function and by stack.
//   cpu:   V8's CPU profiler over `secs`: µs per packet by function (self time), and GC's share.
// Each packet sent is also received, so the figures cover one send and one receive.
// SRTP profile: werift's choice (AEAD_AES_128_GCM); BENCH_SRTP=cm prefers AES_CM_128_HMAC_SHA1_80.
// BENCH_PATH=short sends and receives through the gateway's FastRtp (lib/media/fast-rtp.ts).
import inspector from "node:inspector/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { gatewayShortWay, talkingPairs } from "./werift-pairs";

const [mode = "alloc", pairsArg = "50", secsArg = "5", dirArg = "node_modules/werift", rowsArg = "30"] = process.argv.slice(2);
if (mode !== "alloc" && mode !== "cpu") {
  process.stderr.write("Usage: npx tsx bench/packet-profile.ts <alloc|cpu> [pairs=50] [secs=5] [werift dir] [rows=30]\n");
  process.exit(2);
}
const pairs = Number(pairsArg);
const secs = Number(secsArg);
const rows = Number(rowsArg);
const PAYLOAD = Buffer.alloc(80, 0x5a).fill(0xf8, 0, 1);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const out = (s: string) => process.stdout.write(`${s}\n`);

const w = (await import(pathToFileURL(path.resolve(dirArg, "lib/index.mjs")).href)) as typeof import("werift");
const sendVia = process.env.BENCH_PATH === "short" ? await gatewayShortWay() : undefined;
const talking = await talkingPairs(w, pairs, PAYLOAD, { preferAesCm: process.env.BENCH_SRTP === "cm", sendVia });
await sleep(2_000);

interface Frame {
  functionName: string;
  url: string;
  lineNumber: number;
}
const where = (f: Frame) => `${f.functionName || "(anonymous)"} ${f.url ? `${path.basename(f.url)}:${f.lineNumber + 1}` : ""}`.trim();
const session = new inspector.Session();
session.connect();
const [s0, r0] = talking.counts();
if (mode === "alloc") {
  interface Node {
    callFrame: Frame;
    selfSize: number;
    children: Node[];
  }
  await session.post("HeapProfiler.enable");
  await session.post("HeapProfiler.startSampling", {
    samplingInterval: 256,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  } as never);
  await sleep(secs * 1000);
  const { profile } = (await session.post("HeapProfiler.stopSampling")) as unknown as { profile: { head: Node } };
  const [sent, received] = talking.counts();
  const packets = sent - s0;
  const bySelf = new Map<string, number>();
  const byStack = new Map<string, number>();
  const byPath = new Map<string, number>();
  let total = 0;
  const walk = (node: Node, stack: string[]) => {
    const here = [...stack, where(node.callFrame)];
    if (node.selfSize > 0) {
      total += node.selfSize;
      // Received datagrams arrive through dgram's onMessage; sends and RTCP run from timers.
      const side = here.some((f) => f.startsWith("onMessage node:dgram"))
        ? "receive (dgram onMessage)"
        : here.some((f) => f.startsWith("listOnTimeout"))
          ? "timers (send, RTCP)"
          : "other";
      byPath.set(side, (byPath.get(side) ?? 0) + node.selfSize);
      bySelf.set(here.at(-1)!, (bySelf.get(here.at(-1)!) ?? 0) + node.selfSize);
      const key = here.slice(-6).join(" < ");
      byStack.set(key, (byStack.get(key) ?? 0) + node.selfSize);
    }
    for (const c of node.children) walk(c, here);
  };
  walk(profile.head, []);
  out(`# werift allocation per packet (${path.resolve(dirArg)}), ${pairs} pairs, ${secs} s: ${packets} packets sent, ${received - r0} received`);
  out(`total ${(total / packets).toFixed(0)} bytes per packet sent (one send + one receive)`);
  for (const [k, v] of byPath) out(`- ${k}: ${(v / packets).toFixed(0)} bytes per packet`);
  out("");
  out("| bytes/packet | allocating function |");
  out("|---|---|");
  for (const [k, v] of [...bySelf].sort((a, b) => b[1] - a[1]).slice(0, rows)) out(`| ${(v / packets).toFixed(0)} | ${k} |`);
  out("");
  out("| bytes/packet | stack (outer < … < allocating) |");
  out("|---|---|");
  for (const [k, v] of [...byStack].sort((a, b) => b[1] - a[1]).slice(0, rows)) out(`| ${(v / packets).toFixed(0)} | ${k} |`);
} else {
  interface Node {
    id: number;
    callFrame: Frame;
    children?: number[];
  }
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 100 });
  await session.post("Profiler.start");
  const c0 = process.cpuUsage();
  await sleep(secs * 1000);
  const cpu = process.cpuUsage(c0);
  const { profile } = (await session.post("Profiler.stop")) as unknown as {
    profile: { nodes: Node[]; samples: number[]; timeDeltas: number[] };
  };
  const [sent, received] = talking.counts();
  const packets = sent - s0;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let totalUs = 0;
  profile.samples.forEach((id, i) => {
    const d = profile.timeDeltas[i] ?? 0;
    totalUs += d;
    const k = where(byId.get(id)!.callFrame);
    self.set(k, (self.get(k) ?? 0) + d);
  });
  out(`# werift CPU per packet (${path.resolve(dirArg)}), ${pairs} pairs, ${secs} s: ${packets} packets sent, ${received - r0} received`);
  out(`process CPU ${((cpu.user + cpu.system) / packets).toFixed(1)} µs per packet (profiler on); profile wall ${(totalUs / packets).toFixed(1)} µs`);
  out("");
  out("| µs/packet | function (self) |");
  out("|---|---|");
  for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, rows)) out(`| ${(v / packets).toFixed(2)} | ${k} |`);
}
session.disconnect();
await talking.stop();
process.exit(0);
