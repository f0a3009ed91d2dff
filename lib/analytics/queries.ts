// Analytics read from the rollup tables only (never from calls), so each chart is a short scan of
// aggregates whatever the call volume. Every query is scoped to one organisation.
import { db } from "../db";
import type { CallDirection, CallOutcome } from "../generated/prisma/enums";
import type { ResolvedFilters } from "./filters";
import { type Histogram, percentile } from "./histogram";

type Grain = "hour" | "day";
const HOURS = Array.from({ length: 24 }, (_, h) => h);

/** WHERE for one rollup table (`alias.` before its columns when joined): org, local days, dimensions. */
function where(orgId: string, f: ResolvedFilters, grain: Grain, alias = ""): { sql: string; params: unknown[] } {
  const a = alias ? `${alias}.` : "";
  const params: unknown[] = [orgId, f.from, f.to];
  const parts = [
    `${a}org_id = $1`,
    grain === "hour" ? `${a}bucket >= $2::date AND ${a}bucket < ($3::date + 1)` : `${a}day >= $2::date AND ${a}day <= $3::date`,
  ];
  for (const [col, v] of [
    ["account_id", f.account],
    ["flow_id", f.flow],
    ["team_id", f.team],
  ] as const) {
    if (v) {
      params.push(v);
      parts.push(`${a}${col} = $${params.length}`);
    }
  }
  return { sql: parts.join(" AND "), params };
}

const q = <T>(sql: string, params: unknown[]) => db.$queryRawUnsafe<T[]>(sql, ...params);

export interface VolumeRow {
  /** Local "YYYY-MM-DD" or "YYYY-MM-DD HH:00". */
  t: string;
  direction: CallDirection;
  outcome: CallOutcome;
  calls: number;
}

/** Calls per hour or day by direction and outcome. */
export async function volume(orgId: string, f: ResolvedFilters): Promise<VolumeRow[]> {
  const w = where(orgId, f, f.grain);
  const [table, t] = f.grain === "hour" ? ["call_stats_hourly", "to_char(bucket, 'YYYY-MM-DD HH24:00')"] : ["call_stats_daily", "to_char(day, 'YYYY-MM-DD')"];
  return q<VolumeRow>(
    `SELECT ${t} AS t, direction::text AS direction, outcome::text AS outcome, sum(calls)::int AS calls FROM ${table} WHERE ${w.sql} GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    w.params,
  );
}

export interface Summary {
  total: number;
  byOutcome: Record<CallOutcome, number>;
  /** Incoming calls that waited for a team: answered + abandoned + missed (the rates' base; outgoing calls wait for no one). */
  waited: number;
  answerRate: number | null;
  abandonmentRate: number | null;
  avgWaitSecs: number | null;
  p90WaitSecs: number | null;
  avgHandleSecs: number | null;
}

export async function summary(orgId: string, f: ResolvedFilters): Promise<Summary> {
  const w = where(orgId, f, "day");
  const [rows, hist] = await Promise.all([
    q<{ outcome: CallOutcome; incoming: boolean; calls: number; wc: number; ws: number; hc: number; hs: number }>(
      `SELECT outcome::text AS outcome, direction = 'incoming' AS incoming, sum(calls)::int AS calls, sum(wait_count)::int AS wc,
         sum(wait_ms_sum)::float8 AS ws, sum(handle_count)::int AS hc, sum(handle_secs_sum)::float8 AS hs
       FROM call_stats_daily WHERE ${w.sql} GROUP BY 1, 2`,
      w.params,
    ),
    q<{ k: string; n: number }>(
      `SELECT h.key AS k, sum(h.value::int)::int AS n FROM call_wait_stats_daily, jsonb_each_text(wait_hist) h WHERE ${w.sql} GROUP BY 1`,
      w.params,
    ),
  ]);
  const byOutcome: Record<CallOutcome, number> = { answered: 0, ivr: 0, abandoned: 0, missed: 0, failed: 0 };
  const incoming: Record<CallOutcome, number> = { answered: 0, ivr: 0, abandoned: 0, missed: 0, failed: 0 };
  let wc = 0,
    ws = 0,
    hc = 0,
    hs = 0;
  for (const r of rows) {
    byOutcome[r.outcome] += r.calls;
    if (r.incoming) incoming[r.outcome] += r.calls;
    wc += r.wc;
    ws += r.ws;
    hc += r.hc;
    hs += r.hs;
  }
  const total = Object.values(byOutcome).reduce((a, b) => a + b, 0);
  const waited = incoming.answered + incoming.abandoned + incoming.missed;
  const h: Histogram = new Map(hist.map((r) => [Number(r.k), r.n]));
  return {
    total,
    byOutcome,
    waited,
    answerRate: waited ? incoming.answered / waited : null,
    abandonmentRate: waited ? incoming.abandoned / waited : null,
    avgWaitSecs: wc ? ws / wc / 1000 : null,
    p90WaitSecs: percentile(h, 0.9),
    avgHandleSecs: hc ? hs / hc : null,
  };
}

export interface HeatCell {
  /** ISO weekday, 1 = Monday … 7 = Sunday. */
  weekday: number;
  hour: number;
  calls: number;
}

/** Busiest hours: calls by local weekday × hour of day (one narrow row per day and dimension). */
export async function heatmap(orgId: string, f: ResolvedFilters): Promise<HeatCell[]> {
  const w = where(orgId, f, "day");
  const sums = HOURS.map((h) => `sum(h${h})::int AS h${h}`).join(", ");
  const rows = await q<Record<string, number>>(
    `SELECT extract(isodow FROM day)::int AS weekday, ${sums} FROM call_hour_stats_daily WHERE ${w.sql} GROUP BY 1`,
    w.params,
  );
  return rows
    .flatMap((r) => HOURS.map((hour) => ({ weekday: r.weekday!, hour, calls: r[`h${hour}`]! })))
    .filter((c) => c.calls > 0)
    .sort((a, b) => a.weekday - b.weekday || a.hour - b.hour);
}

export interface HandleRow {
  id: string;
  name: string;
  calls: number;
  avgHandleSecs: number;
}

/** Average handle time (talk time of answered calls) per agent. */
export async function handleByAgent(orgId: string, f: ResolvedFilters): Promise<HandleRow[]> {
  const w = where(orgId, f, "day");
  return q<HandleRow>(
    `SELECT s.agent_id AS id, coalesce(u.name, 'Deleted user') AS name, s.calls, s.avg AS "avgHandleSecs"
     FROM (SELECT agent_id, sum(handle_count)::int AS calls, (sum(handle_secs_sum)::float8 / nullif(sum(handle_count), 0)) AS avg
           FROM call_agent_stats_daily WHERE ${w.sql} GROUP BY 1) s
     LEFT JOIN users u ON u.id = s.agent_id ORDER BY s.calls DESC, name`,
    w.params,
  );
}

/** Average handle time per team (calls answered after a transfer to it). */
export function handleByTeam(orgId: string, f: ResolvedFilters): Promise<HandleRow[]> {
  const w = where(orgId, f, "day");
  return q<HandleRow>(
    `SELECT s.team_id AS id, coalesce(t.name, 'Deleted team') AS name, s.calls, s.avg AS "avgHandleSecs"
     FROM (SELECT team_id, sum(handle_count)::int AS calls, (sum(handle_secs_sum)::float8 / nullif(sum(handle_count), 0)) AS avg
           FROM call_stats_daily WHERE ${w.sql} AND outcome = 'answered' AND team_id <> '' GROUP BY 1) s
     LEFT JOIN teams t ON t.id = s.team_id AND t.org_id = $1 ORDER BY s.calls DESC, name`,
    w.params,
  );
}

export interface ExitRow {
  nodeId: string;
  label: string;
  /** The handle the call left the node by; "" when the call ended on the node itself. */
  handle: string;
  calls: number;
}

/** Where calls leave the IVR: the last step's node and handle, most frequent first. */
export function topExits(orgId: string, f: ResolvedFilters, limit = 10): Promise<ExitRow[]> {
  const w = where(orgId, f, "day");
  return q<ExitRow>(
    `SELECT node_id AS "nodeId", label, handle, sum(calls)::int AS calls FROM call_exit_stats_daily WHERE ${w.sql}
     GROUP BY 1, 2, 3 ORDER BY calls DESC, 1, 3 LIMIT ${Math.trunc(limit)}`,
    w.params,
  );
}

export interface ErrorRow {
  day: string;
  /** Meta's error code; "" when the failure carried none (no gateway, calling disabled). */
  code: string;
  calls: number;
}

/** Failed calls per day by Meta error code. */
export function errorCodes(orgId: string, f: ResolvedFilters): Promise<ErrorRow[]> {
  const w = where(orgId, f, "day");
  return q<ErrorRow>(
    `SELECT to_char(day, 'YYYY-MM-DD') AS day, code, sum(calls)::int AS calls FROM call_error_stats_daily WHERE ${w.sql} GROUP BY 1, 2 ORDER BY 1, 2`,
    w.params,
  );
}

export interface ServiceLevelDay {
  day: string;
  teamId: string;
  /** Calls that waited for the team (answered + abandoned + missed). */
  waited: number;
  answeredWithin: number;
  /** answeredWithin ÷ waited; null on a day nobody waited. */
  level: number | null;
  met: boolean | null;
}

export interface ServiceLevelTeam {
  id: string;
  name: string;
  targetPercent: number;
  targetSeconds: number;
  days: ServiceLevelDay[];
}

/**
 * Per team and day: the share of calls that waited for the team and were answered in under the
 * team's target seconds, met when it reaches the target percent.
 */
export async function serviceLevel(orgId: string, f: ResolvedFilters): Promise<ServiceLevelTeam[]> {
  const w = where(orgId, f, "day");
  // Answered in under the target: wait_under[target] (targets are whole seconds, 1 … 120).
  const [teams, rows] = await Promise.all([
    db.team.findMany({
      where: { orgId, ...(f.team ? { id: f.team } : {}) },
      select: { id: true, name: true, slPercent: true, slSeconds: true },
      orderBy: { name: "asc" },
    }),
    q<{ day: string; team_id: string; waited: number; within: number }>(
      `SELECT to_char(s.day, 'YYYY-MM-DD') AS day, s.team_id, s.waited, coalesce(u.within, 0)::int AS within
       FROM (SELECT day, team_id, sum(calls)::int AS waited FROM call_stats_daily
             WHERE ${w.sql} AND team_id <> '' AND outcome IN ('answered', 'abandoned', 'missed') GROUP BY 1, 2) s
       LEFT JOIN (SELECT ws.day, ws.team_id, sum(ws.wait_under[t.sl_seconds]) AS within
                  FROM call_wait_stats_daily ws JOIN teams t ON t.id = ws.team_id AND t.org_id = $1
                  WHERE ${where(orgId, f, "day", "ws").sql} GROUP BY 1, 2) u
         ON u.day = s.day AND u.team_id = s.team_id
       ORDER BY 1`,
      w.params,
    ),
  ]);
  return teams.map((t) => ({
    id: t.id,
    name: t.name,
    targetPercent: t.slPercent,
    targetSeconds: t.slSeconds,
    days: rows
      .filter((r) => r.team_id === t.id)
      .map((r): ServiceLevelDay => {
        const level = r.waited ? r.within / r.waited : null;
        return { day: r.day, teamId: t.id, waited: r.waited, answeredWithin: r.within, level, met: level === null ? null : level * 100 >= t.slPercent };
      }),
  }));
}

export const ANALYTICS_QUERIES = { volume, summary, heatmap, handleByAgent, handleByTeam, topExits, errorCodes, serviceLevel };

export interface AnalyticsReport {
  filters: ResolvedFilters;
  timeZone: string;
  builtAt: string | null;
  volume: VolumeRow[];
  summary: Summary;
  heatmap: HeatCell[];
  handleByAgent: HandleRow[];
  handleByTeam: HandleRow[];
  topExits: ExitRow[];
  errorCodes: ErrorRow[];
  serviceLevel: ServiceLevelTeam[];
}
