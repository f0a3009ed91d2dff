// The analytics rollup: finished calls aggregated into the call_*_stats tables (see
// prisma/schema.prisma) per organisation and local day/hour. `refreshRollup` is incremental: it
// rebuilds the local days of the calls that ended since its watermark (all days when the
// organisation's time zone changed or it was never built). Each rebuild deletes and re-inserts
// whole days in one transaction, so running it twice, or two workers at once, is harmless.
import { safeTimeZone, zonedDayStart, zonedYmd } from "../calls/time-zone";
import { db, type Prisma } from "../db";
import { waitBucketSql } from "./histogram";
import { OUTCOME_SQL } from "./outcome";

type Tx = Prisma.TransactionClient;

// Calls can commit a little after the instant they record as ended_at; re-reading that margin each
// run costs a few rows and never misses one.
const WATERMARK_MARGIN_MS = 5 * 60_000;
const DIMS = "account_id, flow_id, team_id";

/** One row per finished call in the range with everything the rollup tables need. */
const BASE_SQL = `
CREATE TEMP TABLE rollup_base ON COMMIT DROP AS
SELECT x.*, CASE WHEN x.wait_ms IS NOT NULL THEN ${waitBucketSql("x.wait_ms")} END AS wait_key
FROM (
  SELECT c.account_id, coalesce(c.flow_id, '') AS flow_id, coalesce(t.team_id, '') AS team_id, c.direction,
    date_trunc('hour', (c.started_at AT TIME ZONE 'UTC') AT TIME ZONE $2) AS bucket,
    o.outcome, c.agent_id,
    CASE WHEN o.outcome = 'answered' AND t.accepted_at IS NOT NULL
      THEN greatest(0, extract(epoch FROM t.accepted_at - t.created_at) * 1000) END AS wait_ms,
    CASE WHEN o.outcome = 'answered'
      THEN greatest(0, round(extract(epoch FROM c.ended_at - coalesce(t.accepted_at, c.answered_at, c.started_at))))::bigint END AS handle_secs,
    CASE WHEN o.outcome = 'failed' THEN coalesce(substring(c.error FROM '^\\(#(\\d+)\\)'), '') END AS error_code,
    s.node_id, s.label, coalesce(s.handle, '') AS handle
  FROM calls c
  LEFT JOIN LATERAL (
    SELECT ct.team_id, ct.status, ct.end_reason, ct.created_at, ct.accepted_at FROM call_transfers ct
    WHERE ct.call_id = c.id ORDER BY (ct.status = 'accepted') DESC, ct.created_at DESC LIMIT 1
  ) t ON true
  LEFT JOIN LATERAL (SELECT st.node_id, st.label, st.handle FROM call_steps st WHERE st.call_id = c.id ORDER BY st.seq DESC LIMIT 1) s ON true
  CROSS JOIN LATERAL (SELECT (${OUTCOME_SQL})::"CallOutcome" AS outcome) o
  WHERE c.org_id = $1 AND c.started_at >= $3::timestamp AND c.started_at < $4::timestamp AND c.ended_at IS NOT NULL
) x`;

/** The main stats at one grain (`bucket` for hourly, `bucket::date` for daily). */
function statsInsert(table: string, timeCol: string, timeExpr: string): string {
  return `
INSERT INTO ${table} (org_id, ${timeCol}, ${DIMS}, direction, outcome, calls, wait_count, wait_ms_sum, handle_count, handle_secs_sum)
SELECT $1, ${timeExpr}, ${DIMS}, direction, outcome, count(*)::int, count(wait_ms)::int, coalesce(round(sum(wait_ms)), 0)::bigint,
  count(handle_secs)::int, coalesce(sum(handle_secs), 0)::bigint
FROM rollup_base GROUP BY 2, ${DIMS}, direction, outcome`;
}

// waitUnder[i] = calls that waited less than i seconds, i = 1 … 120: wait_key is the whole seconds
// below two minutes, so "wait < i s" is "wait_key < i".
const WAIT_UNDER = `ARRAY[${Array.from({ length: 120 }, (_, i) => `coalesce(sum(n) FILTER (WHERE wait_key < ${i + 1}), 0)::int`).join(", ")}]`;

const WAIT_INSERT = `
INSERT INTO call_wait_stats_daily (org_id, day, ${DIMS}, wait_hist, wait_under)
SELECT $1, g.day, ${DIMS}, jsonb_object_agg(wait_key, n), ${WAIT_UNDER}
FROM (
  SELECT bucket::date AS day, ${DIMS}, wait_key, count(*) AS n FROM rollup_base
  WHERE outcome = 'answered' AND wait_key IS NOT NULL GROUP BY 1, ${DIMS}, wait_key
) g
GROUP BY g.day, ${DIMS}`;

const HOURS = Array.from({ length: 24 }, (_, h) => `h${h}`).join(", ");
const HOUR_COUNTS = Array.from({ length: 24 }, (_, h) => `count(*) FILTER (WHERE extract(hour FROM bucket) = ${h})::int`).join(", ");

const INSERTS = [
  statsInsert("call_stats_hourly", "bucket", "bucket"),
  statsInsert("call_stats_daily", "day", "bucket::date"),
  WAIT_INSERT,
  `INSERT INTO call_hour_stats_daily (org_id, day, ${DIMS}, ${HOURS})
   SELECT $1, bucket::date, ${DIMS}, ${HOUR_COUNTS} FROM rollup_base GROUP BY 2, ${DIMS}`,
  `INSERT INTO call_agent_stats_daily (org_id, day, ${DIMS}, agent_id, handle_count, handle_secs_sum)
   SELECT $1, bucket::date, ${DIMS}, agent_id, count(*)::int, sum(handle_secs)::bigint
   FROM rollup_base WHERE outcome = 'answered' AND agent_id IS NOT NULL GROUP BY 2, ${DIMS}, agent_id`,
  `INSERT INTO call_exit_stats_daily (org_id, day, ${DIMS}, node_id, label, handle, calls)
   SELECT $1, bucket::date, ${DIMS}, node_id, label, handle, count(*)::int
   FROM rollup_base WHERE node_id IS NOT NULL GROUP BY 2, ${DIMS}, node_id, label, handle`,
  `INSERT INTO call_error_stats_daily (org_id, day, ${DIMS}, code, calls)
   SELECT $1, bucket::date, ${DIMS}, error_code, count(*)::int
   FROM rollup_base WHERE outcome = 'failed' GROUP BY 2, ${DIMS}, error_code`,
];

const DAILY_TABLES = [
  "call_stats_daily",
  "call_wait_stats_daily",
  "call_hour_stats_daily",
  "call_agent_stats_daily",
  "call_exit_stats_daily",
  "call_error_stats_daily",
];

/** Rebuilds local days [fromYmd, toYmd] (inclusive) of one organisation, or all of them. */
async function rebuildDays(tx: Tx, orgId: string, tz: string, range: { from: string; to: string } | null): Promise<void> {
  const start = range ? zonedDayStart(range.from, tz) : new Date(0);
  const end = range ? zonedDayStart(nextYmd(range.to), tz) : new Date(Date.UTC(9999, 0, 1));
  if (range) {
    await tx.$executeRawUnsafe(
      `DELETE FROM call_stats_hourly WHERE org_id = $1 AND bucket >= $2::date AND bucket < ($3::date + 1)`,
      orgId,
      range.from,
      range.to,
    );
    for (const t of DAILY_TABLES)
      await tx.$executeRawUnsafe(`DELETE FROM ${t} WHERE org_id = $1 AND day >= $2::date AND day <= $3::date`, orgId, range.from, range.to);
  } else {
    for (const t of ["call_stats_hourly", ...DAILY_TABLES]) await tx.$executeRawUnsafe(`DELETE FROM ${t} WHERE org_id = $1`, orgId);
  }
  await tx.$executeRawUnsafe(BASE_SQL, orgId, tz, start.toISOString(), end.toISOString());
  for (const sql of INSERTS) await tx.$executeRawUnsafe(sql, orgId);
  await tx.$executeRawUnsafe("DROP TABLE rollup_base");
}

function nextYmd(ymd: string): string {
  const d = new Date(`${ymd}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** Contiguous runs of days, so a week of touched days is one rebuild, not seven. */
function runs(days: string[]): { from: string; to: string }[] {
  const out: { from: string; to: string }[] = [];
  for (const d of [...days].sort()) {
    const last = out.at(-1);
    if (last && nextYmd(last.to) === d) last.to = d;
    else out.push({ from: d, to: d });
  }
  return out;
}

export interface RefreshResult {
  orgs: number;
  fullRebuilds: number;
  days: number;
}

/** Brings one organisation's rollup up to date (full rebuild when its zone changed or `full`). */
export async function refreshOrgRollup(orgId: string, opts: { full?: boolean; now?: Date } = {}): Promise<{ full: boolean; days: number }> {
  const now = opts.now ?? new Date();
  const [org, state] = await Promise.all([
    db.organization.findUnique({ where: { id: orgId }, select: { timeZone: true } }),
    db.callStatsState.findUnique({ where: { orgId } }),
  ]);
  if (!org) return { full: false, days: 0 };
  const tz = safeTimeZone(org.timeZone);
  const full = opts.full || !state || state.timeZone !== tz;
  let days = 0;
  await db.$transaction(
    async (tx) => {
      // One refresh per organisation at a time (two workers, or the job and a test).
      await tx.$executeRawUnsafe("SELECT pg_advisory_xact_lock(hashtext('call-stats:' || $1))", orgId);
      if (full) {
        await rebuildDays(tx, orgId, tz, null);
      } else {
        const since = new Date(state!.watermark.getTime() - WATERMARK_MARGIN_MS);
        const touched = await tx.$queryRawUnsafe<{ started_at: Date }[]>(
          "SELECT started_at FROM calls WHERE org_id = $1 AND ended_at > $2::timestamp AND ended_at IS NOT NULL",
          orgId,
          since.toISOString(),
        );
        const set = [...new Set(touched.map((r) => zonedYmd(r.started_at, tz)))];
        days = set.length;
        for (const r of runs(set)) await rebuildDays(tx, orgId, tz, r);
      }
      await tx.callStatsState.upsert({
        where: { orgId },
        create: { orgId, timeZone: tz, watermark: now, updatedAt: new Date() },
        update: { timeZone: tz, watermark: now, updatedAt: new Date() },
      });
    },
    { timeout: 30 * 60_000, maxWait: 60_000 },
  );
  return { full, days };
}

/** Every organisation's rollup, one after the other (the scheduled job). */
export async function refreshRollup(opts: { full?: boolean } = {}): Promise<RefreshResult> {
  const orgs = await db.organization.findMany({ select: { id: true } });
  const result: RefreshResult = { orgs: orgs.length, fullRebuilds: 0, days: 0 };
  for (const o of orgs) {
    const r = await refreshOrgRollup(o.id, opts);
    if (r.full) result.fullRebuilds++;
    result.days += r.days;
  }
  return result;
}

/** When the organisation's rollup last caught up (null: never built). */
export async function rollupBuiltAt(orgId: string): Promise<Date | null> {
  const s = await db.callStatsState.findUnique({ where: { orgId }, select: { updatedAt: true } });
  return s?.updatedAt ?? null;
}
