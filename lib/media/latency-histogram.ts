// A fixed-size latency histogram (10 µs buckets up to 20 ms, then one overflow bucket): constant
// memory and no allocation per sample, so it can sit on a per-packet path.
const BUCKET_MS = 0.01;
const BUCKETS = 2000;

export class LatencyHistogram {
  private readonly counts = new Uint32Array(BUCKETS + 1);
  private n = 0;
  private maxMs = 0;

  record(ms: number) {
    this.counts[Math.min(BUCKETS, Math.max(0, Math.floor(ms / BUCKET_MS)))]! += 1;
    this.n += 1;
    if (ms > this.maxMs) this.maxMs = ms;
  }

  /** Upper edge of the bucket holding the p-th percentile (ms), or null without samples. */
  percentile(p: number): number | null {
    if (this.n === 0) return null;
    const rank = Math.ceil((p / 100) * this.n);
    let seen = 0;
    for (let i = 0; i <= BUCKETS; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return i === BUCKETS ? this.maxMs : Number(((i + 1) * BUCKET_MS).toFixed(2));
    }
    return this.maxMs;
  }

  summary() {
    return { n: this.n, p50: this.percentile(50), p99: this.percentile(99), max: Number(this.maxMs.toFixed(3)) };
  }
}
