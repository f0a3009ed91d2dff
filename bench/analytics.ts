// Analytics at scale: the rollup's full build time over 1M seeded calls, an incremental refresh
// after 1,000 calls end, and p50/p95 of every chart query (lib/analytics/queries.ts) over several
// ranges and filters. Goal: p95 ≤ 100 ms per chart query at 1M calls.
//   npm run bench:analytics -- [calls=1000000] [--reuse] [--runs=30]
// It recreates the database in DATABASE_URL (default ringflow_analytics_bench; the name must end
// in _bench) and seeds it with scripts/seed-calls.ts; --reuse keeps an already seeded one (and
// applies any pending migrations to it).
import pg from "pg";

process.env.LOG_LEVEL ||= "warn";
process.env.DATABASE_URL ||= "postgresql://postgres@127.0.0.1:5432/ringflow_analytics_bench";
const url = process.env.DATABASE_URL;
if (!decodeURIComponent(new URL(url).pathname.slice(1)).endsWith("_bench")) {
  process.stderr.write("DATABASE_URL must name a database ending in _bench: this benchmark drops and recreates it.\n");
  process.exit(2);
}
const args = process.argv.slice(2);
const reuse = args.includes("--reuse");
const COUNT = Number(args.find((a) => /^\d+$/.test(a)) ?? 1_000_000);
const RUNS = Number(args.find((a) => a.startsWith("--runs="))?.slice(7) ?? 30);

const { deployMigrations } = await import("../lib/db/schema-engine");
const { recreateDatabaseAt } = await import("../tests/helpers/pg");
const { seedCalls } = await import("../scripts/seed-calls");
const { refreshOrgRollup } = await import("../lib/analytics/rollup");
const { ANALYTICS_QUERIES } = await import("../lib/analytics/queries");
const { resolveFilters } = await import("../lib/analytics/filters");
const { db } = await import("../lib/db");

let sql = new pg.Client({ connectionString: url });
async function seeded(): Promise<boolean> {
  try {
    await sql.connect();
    return (await sql.query("SELECT count(*)::int AS n FROM calls")).rows[0].n >= COUNT;
  } catch {
    return false;
  }
}
if (!reuse || !(await seeded())) {
  await sql.end().catch(() => {});
  await recreateDatabaseAt(url);
  await deployMigrations(url);
  process.stdout.write(`Seeding ${COUNT.toLocaleString("en")} calls …\n`);
  await seedCalls(url, COUNT, (l) => process.stdout.write(`  ${l}\n`));
  sql = new pg.Client({ connectionString: url });
  await sql.connect();
} else {
  await deployMigrations(url);
}

const org = (await sql.query("SELECT org_id, count(*)::int AS n FROM calls GROUP BY org_id ORDER BY n DESC LIMIT 1")).rows[0];
const orgId: string = org.org_id;
const tz = (await sql.query("SELECT time_zone FROM organizations WHERE id = $1", [orgId])).rows[0].time_zone as string;
const team = (await sql.query("SELECT id FROM teams WHERE org_id = $1 ORDER BY name LIMIT 1", [orgId])).rows[0].id as string;
const account = (await sql.query("SELECT id FROM whatsapp_accounts WHERE org_id = $1 ORDER BY name LIMIT 1", [orgId])).rows[0].id as string;
process.stdout.write(`Organisation ${orgId}: ${org.n.toLocaleString("en")} calls, zone ${tz}\n\n`);

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

// 1. Full build (after removing the calls an earlier run added for step 2).
await sql.query("DELETE FROM calls WHERE org_id = $1 AND id LIKE 'inc%'", [orgId]);
let t0 = process.hrtime.bigint();
await refreshOrgRollup(orgId, { full: true });
const fullMs = ms(t0);
const rows = (
  await sql.query(
    `SELECT (SELECT count(*) FROM call_stats_hourly WHERE org_id = $1)::int AS hourly, (SELECT count(*) FROM call_stats_daily WHERE org_id = $1)::int AS daily,
          (SELECT count(*) FROM call_agent_stats_daily WHERE org_id = $1)::int AS agents, (SELECT count(*) FROM call_exit_stats_daily WHERE org_id = $1)::int AS exits,
          (SELECT count(*) FROM call_error_stats_daily WHERE org_id = $1)::int AS errors`,
    [orgId],
  )
).rows[0];
for (const t of [
  "call_stats_hourly",
  "call_stats_daily",
  "call_hour_stats_daily",
  "call_wait_stats_daily",
  "call_agent_stats_daily",
  "call_exit_stats_daily",
  "call_error_stats_daily",
])
  await sql.query(`VACUUM ANALYZE ${t}`);
process.stdout.write(`Rollup full build: ${(fullMs / 1000).toFixed(1)} s → ${JSON.stringify(rows)} rows\n`);

// 2. Incremental: 1,000 calls of the last two days end now (copies of recent calls with new ids,
//    left in place; the next run removes them before its full build).
const tag = `inc${Date.now().toString(36)}`;
await sql.query(
  `INSERT INTO calls (id, org_id, account_id, wa_call_id, direction, status, caller_phone, flow_id, agent_id, started_at, answered_at, ended_at, duration_secs, disconnected_by, error)
   SELECT $2 || row_number() OVER (), org_id, account_id, $2 || wa_call_id, direction, status, caller_phone, flow_id, agent_id,
     now() - random() * interval '2 days', answered_at, now(), duration_secs, disconnected_by, error
   FROM calls WHERE org_id = $1 AND started_at > now() - interval '30 days' LIMIT 1000`,
  [orgId, tag],
);
t0 = process.hrtime.bigint();
const inc = await refreshOrgRollup(orgId);
const incMs = ms(t0);
t0 = process.hrtime.bigint();
const idle = await refreshOrgRollup(orgId);
const idleMs = ms(t0);
process.stdout.write(
  `Incremental refresh after 1,000 calls ended: ${incMs.toFixed(0)} ms (${inc.days} local days rebuilt); nothing new: ${idleMs.toFixed(0)} ms (${idle.days} days)\n\n`,
);

// 3. Each chart query: p50/p95 per range and filter.
const ymdAgo = (d: number) => new Date(Date.now() - d * 86_400_000).toISOString().slice(0, 10);
const today = ymdAgo(0);
const SCENARIOS: [string, Parameters<typeof resolveFilters>[0]][] = [
  ["last 30 days (default)", {}],
  ["last 2 days, hourly", { from: ymdAgo(1), to: today }],
  ["last 90 days, team", { from: ymdAgo(89), to: today, team }],
  ["last 365 days", { from: ymdAgo(364), to: today }],
  ["last 365 days, account", { from: ymdAgo(364), to: today, account }],
  ["2 years (all)", { from: ymdAgo(730), to: today }],
];
const pctl = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(p * xs.length) - 1)]!;
const names = Object.keys(ANALYTICS_QUERIES) as (keyof typeof ANALYTICS_QUERIES)[];
let worst = { p95: 0, what: "" };
for (const [label, input] of SCENARIOS) {
  const f = resolveFilters(input, tz);
  process.stdout.write(`${label} (${f.from} … ${f.to}, per ${f.grain})\n`);
  for (const name of names) {
    const fn = ANALYTICS_QUERIES[name] as (o: string, f: ReturnType<typeof resolveFilters>) => Promise<unknown>;
    await fn(orgId, f); // warm
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t = process.hrtime.bigint();
      await fn(orgId, f);
      times.push(ms(t));
    }
    const p95 = pctl(times, 0.95);
    if (p95 > worst.p95) worst = { p95, what: `${name} / ${label}` };
    process.stdout.write(`  ${name.padEnd(14)} p50 ${pctl(times, 0.5).toFixed(1).padStart(6)} ms   p95 ${p95.toFixed(1).padStart(6)} ms\n`);
  }
}
process.stdout.write(`\nWorst p95: ${worst.p95.toFixed(1)} ms (${worst.what}); goal ≤ 100 ms per chart query.\n`);
await sql.end();
await db.$disconnect();
