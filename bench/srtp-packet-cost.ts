// Usage: npx tsx bench/srtp-packet-cost.ts [pairs=50] [secs=10] [rounds=2]
//
// CPU cost per RTP packet in werift, patched (node_modules/werift carrying patches/werift+0.25.2.patch)
// against werift 0.25.2 as shipped (the same patch reversed on a temp copy, no network), in one run:
//   1. SRTP protect + unprotect (+ parsing the RTP packet, as werift's transport does) in this process,
//      for both profiles, 20 000-packet rounds alternating between the two werifts, median µs/packet.
//   2. Send + receive through `pairs` pairs of RTCPeerConnections on loopback, both ends of each pair
//      writing 50 packets/s of 80-byte Opus-like payloads for `secs`: process.cpuUsage() ÷ packets sent
//      (each is also received and decrypted), in a child process per werift and run, alternating
//      `rounds` times. Three ways: 0.25.2 as shipped and patched werift, both through track.writeRtp
//      and the remote track's onReceiveRtp; and the gateway's own path, patched werift with FastRtp
//      (lib/media/fast-rtp.ts) sending and receiving once DTLS is up. Once with the SRTP profile
//      werift negotiates with itself (AEAD_AES_128_GCM) and once with AES_CM_128_HMAC_SHA1_80 preferred.
//   3. The floor: the same packets as bare node:dgram datagrams (no WebRTC), and the best ratio a werift
//      doing its own work for free could reach on path 2.
//   4. The ceiling for an RTP path that keeps werift's (patched) SRTP: the same packets protected with
//      its SrtpSession, sent on plain node:dgram sockets (to an address, as werift's ICE sockets send),
//      unprotected and parsed with RtpPacket.deSerialize on arrival: no ICE, DTLS transport, sender,
//      receiver or track layers at all. What 3× against the shipped full path leaves for those layers.
// Prints tables, the ratios, the core count and the load average: CPU time is the metric because the
// machine may be shared (wall time suffers more). Internal: --child <werift dir> <pairs> <secs> <gcm|cm|udp|direct>.
import { spawn } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { INSTALLED_WERIFT, loadEsm, pristineWerift, type Werift } from "../tests/fixtures/werift/pristine-werift";
import { AEAD_GCM, AES_CM, gatewayShortWay, talkingPairs } from "./werift-pairs";

type ChildMode = "gcm" | "cm" | "fast-gcm" | "fast-cm";

const root = path.resolve(import.meta.dirname, "..");
const out = (s: string) => process.stdout.write(`${s}\n`);
const note = (s: string) => process.stderr.write(`[bench] ${s}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const PAYLOAD = Buffer.alloc(80, 0x5a).fill(0xf8, 0, 1);

interface ChildResult {
  pairs: number;
  connected: number;
  sent: number;
  received: number;
  cpuUsPerPacket: number;
  userUs: number;
  systemUs: number;
  profiles: number[];
}

if (process.argv[2] === "--child" && process.argv[6] === "udp") await udpChild(Number(process.argv[4]), Number(process.argv[5]));
else if (process.argv[2] === "--child" && process.argv[6] === "direct") await directChild(process.argv[3]!, Number(process.argv[4]), Number(process.argv[5]));
else if (process.argv[2] === "--child") await child(process.argv[3]!, Number(process.argv[4]), Number(process.argv[5]), process.argv[6] as ChildMode);
else await main();

async function main() {
  const pairs = Number(process.argv[2] ?? 50);
  const secs = Number(process.argv[3] ?? 10);
  const rounds = Number(process.argv[4] ?? 2);
  if (!(pairs >= 1 && secs > 0 && rounds >= 1)) {
    process.stderr.write("Usage: npx tsx bench/srtp-packet-cost.ts [pairs=50] [secs=10] [rounds=2]\n");
    process.exit(2);
  }
  const pristine = pristineWerift();
  const load0 = os.loadavg();
  try {
    const werifts = { shipped: pristine.dir, patched: INSTALLED_WERIFT };
    out(`# werift SRTP/RTP CPU cost per packet — ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "?"}), node ${process.version}`);
    out(`load average at start ${load0.map((l) => l.toFixed(2)).join(" ")} (shared machine: other processes compete)`);
    out("");
    out("## 1. SRTP protect + unprotect + RTP parse, this process (median of rounds, µs CPU per packet)");
    out("");
    out("| profile | 0.25.2 as shipped | patched | ratio |");
    out("|---|---|---|---|");
    const modules = { shipped: await loadEsm(werifts.shipped), patched: await loadEsm(werifts.patched) };
    for (const [label, profile] of [
      ["AES_CM_128_HMAC_SHA1_80", AES_CM],
      ["AEAD_AES_128_GCM", AEAD_GCM],
    ] as const) {
      const [a, b] = srtpCost([modules.shipped, modules.patched], profile, 12);
      out(`| ${label} | ${a!.toFixed(2)} | ${b!.toFixed(2)} | ${(a! / b!).toFixed(2)}× |`);
    }
    out("");
    let shippedFullPath = Number.NaN;
    out(`## 2. ${pairs} RTCPeerConnection pairs × 2 senders × 50 packets/s, ${secs} s per run, ${rounds} alternating runs each`);
    out("");
    out("| SRTP profile | werift | runs: µs CPU per packet (user + system) | mean | packets sent / received | ratio |");
    out("|---|---|---|---|---|---|");
    const ways = { shipped: "0.25.2 as shipped", patched: "patched, through the track", short: "patched, the gateway's short way" } as const;
    const shortRatios: string[] = [];
    for (const mode of ["gcm", "cm"] as const) {
      const runs: Record<keyof typeof ways, ChildResult[]> = { shipped: [], patched: [], short: [] };
      for (let r = 0; r < rounds; r++) {
        for (const which of Object.keys(ways) as (keyof typeof ways)[]) {
          note(`${mode} run ${r + 1}/${rounds}: ${which}`);
          const dir = which === "shipped" ? werifts.shipped : werifts.patched;
          runs[which].push(await runChild(dir, pairs, secs, which === "short" ? `fast-${mode}` : mode));
        }
      }
      const shipped = meanCost(runs.shipped);
      if (mode === "cm") shippedFullPath = shipped;
      for (const which of Object.keys(ways) as (keyof typeof ways)[]) {
        const xs = runs[which];
        const profiles = [...new Set(xs.flatMap((x) => x.profiles))].map((p) => (p === AES_CM ? "AES_CM" : p === AEAD_GCM ? "GCM" : String(p)));
        const ratio = which === "shipped" ? "" : `${(shipped / meanCost(xs)).toFixed(2)}×`;
        if (which === "short") shortRatios.push(`${profiles.join("+")} ${ratio}`);
        out(`| ${profiles.join("+")}${mode === "cm" ? " (preferred)" : " (werift's choice)"} | ${ways[which]} | ${runsRow(xs)} | ${ratio} |`);
      }
    }
    out("");
    out(
      `The gateway's path (lib/media/fast-rtp.ts: once DTLS is up, RTP goes between the ICE socket and the patched SrtpSession without werift's per-packet layers) against 0.25.2 as shipped: ${shortRatios.join(", ")}.`,
    );
    out("");
    out(`## 3. The floor: the same packets as bare UDP datagrams (node:dgram, ${pairs * 2} sockets, no WebRTC), ${rounds} runs`);
    out("");
    const floor = await alternatingRuns("udp", rounds, () => runChild("", pairs, secs, "udp"));
    const floorMean = meanCost(floor);
    out("| runs: µs CPU per packet (user + system) | mean | packets sent / received |");
    out("|---|---|---|");
    out(`| ${runsRow(floor)} |`);
    out("");
    out(
      `Sending and receiving a datagram from JavaScript costs ${floorMean.toFixed(1)} µs here before any WebRTC work: a werift that did its SRTP and RTP work for free would be at most ${(shippedFullPath / floorMean).toFixed(2)}× cheaper than 0.25.2 as shipped (${shippedFullPath.toFixed(1)} µs, AES_CM above) on this path.`,
    );
    out("");
    out(`## 4. The ceiling with werift's SRTP: patched SrtpSession (AES_CM) straight on node:dgram sockets, ${rounds} runs`);
    out("");
    const direct = await alternatingRuns("direct", rounds, () => runChild(werifts.patched, pairs, secs, "direct"));
    const directMean = meanCost(direct);
    out("| runs: µs CPU per packet (user + system) | mean | packets sent / received | shipped full path (AES_CM) ÷ this |");
    out("|---|---|---|---|");
    out(`| ${runsRow(direct)} | ${(shippedFullPath / directMean).toFixed(2)}× |`);
    out("");
    out(
      `3× against the shipped full path is ${(shippedFullPath / 3).toFixed(1)} µs: an RTP path keeping this SRTP has ${(shippedFullPath / 3 - directMean).toFixed(1)} µs per packet left for everything between the socket and the track (ICE demux, DTLS transport, sender, receiver, RTCP, events).`,
    );
    out("");
    out(
      `load average at end ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")}`,
    );
    out("Per packet = one RTP packet written by a sender, encrypted, sent over UDP, received, decrypted, parsed and");
    out("delivered to the remote track (both ends of a pair send). System time is mostly the UDP send/receive.");
  } finally {
    pristine.cleanup();
  }
}

/** `rounds` child runs one after another, each announced on stderr. */
async function alternatingRuns(label: string, rounds: number, run: () => Promise<ChildResult>): Promise<ChildResult[]> {
  const results: ChildResult[] = [];
  for (let r = 0; r < rounds; r++) {
    note(`${label} run ${r + 1}/${rounds}`);
    results.push(await run());
  }
  return results;
}

function meanCost(xs: ChildResult[]): number {
  return xs.reduce((s, x) => s + x.cpuUsPerPacket, 0) / xs.length;
}

/** Table cells: each run's µs per packet (user + system), their mean, and packets sent / received. */
function runsRow(xs: ChildResult[]): string {
  const runs = xs.map((x) => `${x.cpuUsPerPacket.toFixed(1)} (${x.userUs.toFixed(1)} + ${x.systemUs.toFixed(1)})`).join(", ");
  return `${runs} | ${meanCost(xs).toFixed(1)} | ${xs.map((x) => `${x.sent}/${x.received}`).join(", ")}`;
}

/** Fixed master keys, the same both ways, for SrtpSessions of `profile` that talk to each other. */
function fixedSrtpConfig(profile: number) {
  const key = Buffer.alloc(16, 7);
  const salt = Buffer.alloc(profile === AES_CM ? 14 : 12, 9);
  return { keys: { localMasterKey: key, localMasterSalt: salt, remoteMasterKey: key, remoteMasterSalt: salt }, profile };
}

/** Median µs of CPU per packet for each werift, measured in alternating rounds. */
function srtpCost(werifts: Werift[], profile: number, rounds: number): number[] {
  const loops = werifts.map((w) => {
    const config = fixedSrtpConfig(profile);
    const tx = new w.SrtpSession(config);
    const rx = new w.SrtpSession(config);
    let seq = 65000;
    let ts = 0;
    return () => {
      const header = new w.RtpHeader({ payloadType: 111, sequenceNumber: seq, timestamp: ts, ssrc: 0x1234abcd });
      seq = (seq + 1) & 0xffff;
      ts = (ts + 960) >>> 0;
      const packet = w.RtpPacket.deSerialize(rx.decrypt(tx.encrypt(PAYLOAD, header)));
      if (packet.payload.length !== PAYLOAD.length) throw new Error("SRTP round trip lost bytes");
    };
  });
  const samples: number[][] = loops.map(() => []);
  const N = 20_000;
  for (let r = 0; r <= rounds; r++) {
    loops.forEach((loop, i) => {
      const t0 = process.cpuUsage();
      for (let k = 0; k < N; k++) loop();
      const t = process.cpuUsage(t0);
      if (r > 0) samples[i]!.push((t.user + t.system) / N); // round 0 warms the JIT up
    });
  }
  return samples.map((s) => s.sort((x, y) => x - y)[s.length >> 1]!);
}

function runChild(dir: string, pairs: number, secs: number, mode: ChildMode | "udp" | "direct"): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ["--import", "tsx", "bench/srtp-packet-cost.ts", "--child", dir, String(pairs), String(secs), mode], {
      cwd: root,
      stdio: ["ignore", "pipe", "inherit"],
    });
    let stdout = "";
    proc.stdout.on("data", (d) => {
      stdout += d;
    });
    proc.on("error", reject);
    proc.on("exit", (code) => {
      const line = stdout.split("\n").find((l) => l.startsWith("RESULT "));
      if (code !== 0 || !line) reject(new Error(`child exited ${code}: ${stdout.slice(-500)}`));
      else resolve(JSON.parse(line.slice(7)) as ChildResult);
    });
  });
}

/**
 * One werift, `pairs` loopback pairs, both ends sending; prints RESULT <json>. The fast- modes send and
 * receive through the gateway's FastRtp (lib/media/fast-rtp.ts) instead of the track.
 */
async function child(dir: string, pairs: number, secs: number, mode: ChildMode) {
  const w = (await import(pathToFileURL(path.join(dir, "lib/index.mjs")).href)) as typeof import("werift");
  const sendVia = mode.startsWith("fast-") ? await gatewayShortWay() : undefined;
  const talking = await talkingPairs(w, pairs, PAYLOAD, { preferAesCm: mode === "cm" || mode === "fast-cm", sendVia });
  const profiles = new Set<number>();
  for (const pc of talking.pcs) {
    const srtp = (pc.getTransceivers()[0]!.sender.dtlsTransport as unknown as { srtp?: { config: { profile: number } } }).srtp;
    if (srtp) profiles.add(srtp.config.profile);
  }
  const result = await measureWindow(secs, talking.counts, { pairs, connected: talking.connected, profiles: [...profiles] });
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
  await talking.stop();
  process.exit(0);
}

/** The floor under any WebRTC stack in Node: `pairs` pairs of connected UDP sockets, both ends sending 50 datagrams/s. */
async function udpChild(pairs: number, secs: number) {
  const dgram = await import("node:dgram");
  const datagram = Buffer.alloc(12 + PAYLOAD.length + 10, 0x5a); // RTP header + payload + SRTP auth tag
  let sent = 0;
  let received = 0;
  const sockets: import("node:dgram").Socket[] = [];
  const bound = async () => {
    const s = dgram.createSocket("udp4");
    s.on("message", () => void received++);
    await new Promise<void>((r) => s.bind(0, "127.0.0.1", r));
    sockets.push(s);
    return s;
  };
  for (let i = 0; i < pairs; i++) {
    const [a, b] = [await bound(), await bound()];
    await new Promise<void>((r) => a.connect(b.address().port, "127.0.0.1", r));
    await new Promise<void>((r) => b.connect(a.address().port, "127.0.0.1", r));
  }
  const tick = setInterval(() => {
    for (const s of sockets) {
      s.send(datagram);
      sent++;
    }
  }, 20);
  const result = await measureWindow(secs, () => [sent, received], { pairs, connected: pairs, profiles: [] });
  clearInterval(tick);
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
  for (const s of sockets) s.close();
  process.exit(0);
}

/**
 * `pairs` pairs of UDP sockets, both ends sending 50 packets/s protected by werift's SrtpSession
 * (AES_CM_128_HMAC_SHA1_80, one session per direction), each received packet unprotected and parsed.
 */
async function directChild(dir: string, pairs: number, secs: number) {
  const w = (await import(pathToFileURL(path.join(dir, "lib/index.mjs")).href)) as typeof import("werift");
  const dgram = await import("node:dgram");
  const config = fixedSrtpConfig(AES_CM);
  let sent = 0;
  let received = 0;
  const ends: { socket: import("node:dgram").Socket; srtp: InstanceType<typeof w.SrtpSession>; port: number; ssrc: number; seq: number; ts: number }[] = [];
  const end = async (ssrc: number) => {
    const socket = dgram.createSocket("udp4");
    const srtp = new w.SrtpSession(config);
    socket.on("message", (data) => {
      const packet = w.RtpPacket.deSerialize(srtp.decrypt(data));
      if (packet.payload.length !== PAYLOAD.length) throw new Error("SRTP round trip lost bytes");
      received++;
    });
    await new Promise<void>((r) => socket.bind(0, "127.0.0.1", r));
    return { socket, srtp, port: 0, ssrc, seq: 1000, ts: 0 };
  };
  for (let i = 0; i < pairs; i++) {
    const [a, b] = [await end(2 * i + 1), await end(2 * i + 2)];
    a.port = b.socket.address().port;
    b.port = a.socket.address().port;
    ends.push(a, b);
  }
  const tick = setInterval(() => {
    for (const e of ends) {
      const header = new w.RtpHeader({ payloadType: 111, sequenceNumber: e.seq, timestamp: e.ts, ssrc: e.ssrc });
      e.seq = (e.seq + 1) & 0xffff;
      e.ts = (e.ts + 960) >>> 0;
      e.socket.send(e.srtp.encrypt(PAYLOAD, header), e.port, "127.0.0.1");
      sent++;
    }
  }, 20);
  const result = await measureWindow(secs, () => [sent, received], { pairs, connected: pairs, profiles: [AES_CM] });
  clearInterval(tick);
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
  for (const e of ends) e.socket.close();
  process.exit(0);
}

/** Settles 2 s (JIT, first RTCP), then CPU time of this process per packet sent over `secs`. */
async function measureWindow(secs: number, counts: () => [sent: number, received: number], rest: Pick<ChildResult, "pairs" | "connected" | "profiles">) {
  await sleep(2_000);
  const [c0, [s0, r0]] = [process.cpuUsage(), counts()];
  await sleep(secs * 1000);
  const c = process.cpuUsage(c0);
  const [s1, r1] = counts();
  const tx = s1 - s0;
  const result: ChildResult = { ...rest, sent: tx, received: r1 - r0, cpuUsPerPacket: (c.user + c.system) / tx, userUs: c.user / tx, systemUs: c.system / tx };
  return result;
}
