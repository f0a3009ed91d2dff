// What both sides of bench/gateway-capacity.ts measure with: packet arrivals at a receiver (gaps and
// sequence loss), CPU from /proc, and the bare werift pairs run in a child process of their own
// (bench/gateway-capacity-bare.ts) to compare the gateway with.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export const SETUP_CONCURRENCY = 10;
export const SETTLE_MS = 2_000;

/** Nearest-rank percentile. */
export function pct(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const s = Float64Array.from(values).sort();
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

/** Arrivals of one receiver during the window: inter-arrival gaps and sequence-number loss. */
export class Arrivals {
  at: number[] = [];
  seq: number[] = [];
  record(at: number, seq: number) {
    this.at.push(at);
    this.seq.push(seq);
  }
  /** Missing sequence numbers between the first and last packet heard (duplicates/reordering counted apart). */
  stats() {
    const gaps: number[] = [];
    let lost = 0;
    let reordered = 0;
    for (let i = 1; i < this.at.length; i++) {
      gaps.push(this.at[i]! - this.at[i - 1]!);
      const d = (this.seq[i]! - this.seq[i - 1]! + 0x10000) & 0xffff;
      if (d === 0 || d > 0x8000) reordered++;
      else lost += d - 1;
    }
    return { gaps, lost, reordered, received: this.at.length };
  }
}

export function pooled(list: Arrivals[]) {
  const gaps: number[] = [];
  let lost = 0;
  let reordered = 0;
  let received = 0;
  let silentReceivers = 0;
  for (const a of list) {
    const s = a.stats();
    for (const g of s.gaps) gaps.push(g);
    lost += s.lost;
    reordered += s.reordered;
    received += s.received;
    if (s.received === 0) silentReceivers++;
  }
  return { p50: pct(gaps, 50), p99: pct(gaps, 99), max: pct(gaps, 100), lost, reordered, received, silentReceivers };
}

/** /proc/<pid>/stat utime+stime in seconds. */
export const clkTck = () => Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;
export function cpuSecs(pid: number, tck: number): number {
  const text = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  const rest = text.slice(text.lastIndexOf(")") + 2).split(" ");
  return (Number(rest[11]) + Number(rest[12])) / tck;
}

/** Whole-machine busy and total clock ticks from /proc/stat (all cores). */
export function machineTicks(): { busy: number; total: number } {
  const v = fs.readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
  const total = v.reduce((a, b) => a + b, 0);
  return { busy: total - v[3]! - v[4]!, total };
}
/** Whole-machine busy % of one core between two samples (tops out at cores × 100). */
export const machinePct = (a: { busy: number; total: number }, b: { busy: number; total: number }) =>
  ((b.busy - a.busy) / Math.max(1, b.total - a.total)) * 100 * os.availableParallelism();

export interface BareResult {
  pairs: number;
  connected: number;
  cpuPct: number;
  machinePct: number;
  p50: number;
  p99: number;
  max: number;
  lost: number;
  received: number;
  errors: string[];
}

/** Runs `pairs` bare werift pairs for one window in a child process; `track` sees the child while it runs. */
export function runBarePairs(pairs: number, windowSecs: number, toneFile: string, track: (child: ChildProcess | null) => void): Promise<BareResult> {
  return new Promise<BareResult>((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "bench/gateway-capacity-bare.ts", String(pairs), String(windowSecs), toneFile], {
      cwd: path.resolve(import.meta.dirname, ".."),
      stdio: ["ignore", "pipe", "pipe"],
    });
    track(child);
    let outText = "";
    let errText = "";
    child.stdout.on("data", (d) => (outText += d));
    child.stderr.on("data", (d) => (errText += d));
    child.once("exit", (code) => {
      track(null);
      const m = outText.match(/BARE_RESULT (.*)/);
      if (m) resolve(JSON.parse(m[1]!) as BareResult);
      else reject(new Error(`bare pairs child exited ${code}: ${errText.slice(-1500)}`));
    });
  });
}
