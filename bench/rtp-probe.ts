// Measurement pieces for media benchmarks: tagged Opus-like payloads (each packet names its stream
// and carries a counter, so every arrival is matched to its send time), a werift peer that records
// what it hears with arrival times, talkers fed from one shared drift-free 20 ms tick, and stats.
import { type ChildProcess, fork } from "node:child_process";
import { randomInt } from "node:crypto";
import path from "node:path";
import { MediaStreamTrack, RTCPeerConnection, RtpHeader, type RtpPacket } from "werift";
import { waitGathered } from "../lib/media/webrtc";
import type { MediaClock } from "../media-gateway/media/clock";

// ---------- tags ----------

/** 'R' 'F' after the TOC byte: never the comfort-silence frame (f8 ff fe) nor real Opus from the files. */
const MAGIC = 0x5246;

export interface Tag {
  /** Which way the packet travels (the benchmark's own numbering, e.g. 1 caller→agent, 2 agent→caller). */
  dir: number;
  stream: number;
  counter: number;
}

/** A 20 ms Opus-like frame (TOC 0xf8: CELT FB 20 ms, mono, one frame) carrying the tag; padded to ~24 kbit/s size. */
export function tagPayload(t: Tag, size = 60): Buffer {
  const b = Buffer.alloc(size, 0x5a);
  b[0] = 0xf8;
  b.writeUInt16BE(MAGIC, 1);
  b.writeUInt8(t.dir, 3);
  b.writeUInt16BE(t.stream, 4);
  b.writeUInt32BE(t.counter, 6);
  return b;
}

export function readTag(p: Buffer): Tag | null {
  if (p.length < 10 || p[0] !== 0xf8 || p.readUInt16BE(1) !== MAGIC) return null;
  return { dir: p.readUInt8(3), stream: p.readUInt16BE(4), counter: p.readUInt32BE(6) };
}

// ---------- peer ----------

export interface Heard {
  at: number;
  tag: Tag | null;
  payloadType: number;
}

type PcOptions = NonNullable<ConstructorParameters<typeof RTCPeerConnection>[0]>;

/** One werift peer (offerer or answerer) on loopback that sends raw RTP payloads and records arrivals. */
export class ProbePeer {
  readonly pc: RTCPeerConnection;
  readonly heard: Heard[] = [];
  /** Called on every tagged arrival (after it is recorded). */
  onTag: (tag: Tag, at: number) => void = () => {};
  connectedAt = 0;
  iceConnectedAt = 0;
  private seq = randomInt(0, 0xffff);
  private timestamp = randomInt(0, 0x7fffffff);

  constructor(
    options: PcOptions,
    readonly role: "offer" | "answer",
  ) {
    this.pc = new RTCPeerConnection({ iceUseIpv6: false, iceAdditionalHostAddresses: ["127.0.0.1"], ...options });
    if (role === "offer") this.pc.addTransceiver(new MediaStreamTrack({ kind: "audio" }), { direction: "sendrecv" });
    this.pc.onTrack.subscribe((track) =>
      track.onReceiveRtp.subscribe((p: RtpPacket) => {
        const at = performance.now();
        const tag = readTag(p.payload);
        this.heard.push({ at, tag, payloadType: p.header.payloadType });
        if (tag) this.onTag(tag, at);
      }),
    );
    this.pc.iceConnectionStateChange.subscribe((s) => {
      // werift reports "completed" as soon as gathering ends (before any check); "connected" is the real one.
      if (s === "connected" && !this.iceConnectedAt) this.iceConnectedAt = performance.now();
    });
    this.pc.connectionStateChange.subscribe((s) => {
      if (s === "connected" && !this.connectedAt) this.connectedAt = performance.now();
    });
  }

  /** A complete offer (all candidates gathered, no trickle). */
  async offer(): Promise<string> {
    await this.pc.setLocalDescription(await this.pc.createOffer());
    await waitGathered(this.pc, 3_000);
    return this.pc.localDescription!.sdp;
  }

  /** Answers a complete offer, sendrecv (as media-gateway/call/peer.ts answerOffer does). */
  async answer(offer: string): Promise<string> {
    await this.pc.setRemoteDescription({ type: "offer", sdp: offer });
    const t = this.pc.getTransceivers().find((x) => x.kind === "audio");
    if (!t) throw new Error("the offer has no audio");
    t.sender.replaceTrack(new MediaStreamTrack({ kind: "audio" }));
    t.setDirection("sendrecv");
    await this.pc.setLocalDescription(await this.pc.createAnswer());
    await waitGathered(this.pc, 3_000);
    return this.pc.localDescription!.sdp;
  }

  async setAnswer(sdp: string) {
    await this.pc.setRemoteDescription({ type: "answer", sdp });
  }

  get ready(): boolean {
    return this.pc.connectionState === "connected";
  }

  /** Sends one payload now (false if not connected yet). */
  send(payload: Buffer, payloadType = 111): boolean {
    const sender = this.pc.getTransceivers()[0]?.sender;
    if (!sender || !this.ready) return false;
    const header = new RtpHeader({ payloadType, sequenceNumber: this.seq, timestamp: this.timestamp, ssrc: sender.ssrc });
    this.seq = (this.seq + 1) & 0xffff;
    this.timestamp = (this.timestamp + 960) >>> 0;
    void sender.dtlsTransport.sendRtp(payload, header).catch(() => {});
    return true;
  }

  async close() {
    await this.pc.close().catch(() => {});
  }
}

// ---------- talkers ----------

/** Sends one tagged packet per tick of a shared clock once its peer is connected; remembers send times. */
export class Talker {
  /** sentAt[counter] = performance.now() just before the packet was handed to werift. */
  readonly sentAt: number[] = [];
  private unsubscribe: (() => void) | null;

  constructor(
    readonly peer: ProbePeer,
    readonly dir: number,
    readonly stream: number,
    clock: MediaClock,
  ) {
    this.unsubscribe = clock.subscribe(() => this.tick());
  }

  private tick() {
    if (!this.peer.ready) return;
    const counter = this.sentAt.length;
    const payload = tagPayload({ dir: this.dir, stream: this.stream, counter });
    this.sentAt.push(performance.now());
    this.peer.send(payload);
  }

  stop() {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }
}

// ---------- a peer in another process ----------

/**
 * process.hrtime (CLOCK_MONOTONIC, one clock for every process on the machine) minus performance.now():
 * constant within a process, so adding it puts this process's times on the machine-wide scale.
 */
export function monotonicOffsetMs(): number {
  return Number(process.hrtime.bigint()) / 1e6 - performance.now();
}

/** What a remote answerer reports at the end, on the parent's performance.now() scale. */
export interface RemoteReport {
  heard: Heard[];
  sentAt: number[];
}

/**
 * A werift answerer in a child process (bench/rtp-probe-child.ts): one end of a direct pair that does not
 * share this event loop, as a real caller and agent never do. Talks on its own 20 ms clock once told to.
 */
export class RemoteAnswerer {
  private readonly child: ChildProcess;
  private readonly replies: ((m: { type: string; [k: string]: unknown }) => void)[] = [];

  constructor(cwd: string) {
    this.child = fork(path.join(import.meta.dirname, "rtp-probe-child.ts"), [], {
      cwd,
      execArgv: ["--import", "tsx"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    this.child.on("message", (m: { type: string; [k: string]: unknown }) => this.replies.shift()?.(m));
  }

  private request(message: object, timeoutMs = 10_000): Promise<{ type: string; [k: string]: unknown }> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`rtp-probe child: no reply to ${JSON.stringify(message).slice(0, 40)}`)), timeoutMs);
      this.replies.push((m) => {
        clearTimeout(timer);
        if (m.type === "error") reject(new Error(`rtp-probe child: ${String(m.message)}`));
        else resolve(m);
      });
      this.child.send(message);
    });
  }

  async answer(offer: string): Promise<string> {
    return String((await this.request({ type: "answer", offer })).sdp);
  }

  talk(dir: number, stream: number) {
    this.child.send({ type: "talk", dir, stream });
  }

  /** Stops the child and returns what it heard and when it sent, on this process's scale. */
  async report(): Promise<RemoteReport> {
    const m = (await this.request({ type: "report" })) as unknown as RemoteReport;
    const offset = monotonicOffsetMs();
    return { heard: m.heard.map((h) => ({ ...h, at: h.at - offset })), sentAt: m.sentAt.map((t) => t - offset) };
  }

  kill() {
    if (this.child.exitCode === null) this.child.kill();
  }
}

// ---------- stats ----------

/** Nearest-rank percentile of an ascending array. */
export function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function summary(values: number[]) {
  const s = [...values].sort((a, b) => a - b);
  return { n: s.length, p50: pct(s, 50), p95: pct(s, 95), p99: pct(s, 99), max: s.at(-1) ?? Number.NaN };
}

/** /proc/<pid>/stat utime+stime in clock ticks (fields 14 and 15, counted after the `(comm)` field). */
export async function cpuTicks(pid: number): Promise<number> {
  const fs = await import("node:fs/promises");
  const text = await fs.readFile(`/proc/${pid}/stat`, "utf8");
  const rest = text.slice(text.lastIndexOf(")") + 2).split(" ");
  // rest[0] is field 3 (state); utime is field 14, stime 15.
  return Number(rest[11]) + Number(rest[12]);
}

/** Whole-machine CPU from /proc/stat (clock ticks): busy and total over all cores. */
export async function machineTicks(): Promise<{ busy: number; total: number }> {
  const fs = await import("node:fs/promises");
  const first = (await fs.readFile("/proc/stat", "utf8")).split("\n")[0]!;
  const [user, nice, system, idle, iowait, irq, softirq, steal] = first.trim().split(/\s+/).slice(1, 9).map(Number) as number[];
  const total = user! + nice! + system! + idle! + iowait! + irq! + softirq! + steal!;
  return { busy: total - idle! - iowait!, total };
}
