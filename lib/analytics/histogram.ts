// Wait-to-answer histogram kept in the rollup so percentiles and service levels can be read from
// aggregates: buckets named by their lower edge in seconds — 1 s wide below 2 min, 5 s below
// 10 min, 30 s below 30 min, then one open bucket. Stored sparse as JSON {"<lower edge>": count}.

/** SQL: the bucket key (lower edge, s) of a wait given as `ms` (a SQL expression). */
export function waitBucketSql(ms: string): string {
  const s = `(${ms}) / 1000.0`;
  return `CASE WHEN ${s} < 120 THEN floor(${s})::int
    WHEN ${s} < 600 THEN (120 + 5 * floor((${s} - 120) / 5))::int
    WHEN ${s} < 1800 THEN (600 + 30 * floor((${s} - 600) / 30))::int
    ELSE 1800 END`;
}

/** The bucket's upper edge (s); the open bucket reports its lower edge. */
export function bucketUpper(lower: number): number {
  if (lower < 120) return lower + 1;
  if (lower < 600) return lower + 5;
  if (lower < 1800) return lower + 30;
  return lower;
}

export type Histogram = Map<number, number>;

/** The p-th percentile (0–1, nearest rank) in seconds, to the bucket's upper edge; null when empty. */
export function percentile(h: Histogram, p: number): number | null {
  const total = [...h.values()].reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(p * total));
  let seen = 0;
  for (const k of [...h.keys()].sort((a, b) => a - b)) {
    seen += h.get(k)!;
    if (seen >= rank) return bucketUpper(k);
  }
  return null;
}
