// Call-log query latency at scale: p50/p95 of the Calls page's list query (lib/calls/list-query)
// for each filter alone and in combinations, first and deep pages, the capped count, search, an
// agent's view and the detail page's query; then EXPLAIN (ANALYZE, BUFFERS) of the main queries.
// Before timing, every list page and count is checked against a plain reference query (exit 1 if any differs).
//   npx tsx bench/call-logs.ts [calls=1000000] [--reuse]
// It drops and recreates the database in DATABASE_URL (default ringflow_calllog_bench; the name
// must end in _bench) and seeds it with scripts/seed-calls.ts; --reuse keeps an already seeded one.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";

process.env.LOG_LEVEL ||= "warn";
process.env.DATABASE_URL ||= "postgresql://postgres@127.0.0.1:5432/ringflow_calllog_bench";
const url = process.env.DATABASE_URL;
if (!decodeURIComponent(new URL(url).pathname.slice(1)).endsWith("_bench")) {
  process.stderr.write("DATABASE_URL must name a database ending in _bench: this benchmark drops and recreates it.\n");
  process.exit(2);
}
const args = process.argv.slice(2);
const reuse = args.includes("--reuse");
const COUNT = Number(args.find((a) => /^\d+$/.test(a)) ?? 1_000_000);

// The app's Prisma client with query events, so each case's SQL can be EXPLAINed afterwards.
const { PrismaClient } = await import("../lib/generated/prisma/client");
const { PrismaPg } = await import("@prisma/adapter-pg");
const traced = new PrismaClient({ adapter: new PrismaPg({ connectionString: url }), log: [{ emit: "event", level: "query" }] });
let captured: { query: string; params: string }[] = [];
traced.$on("query", (e) => captured.push({ query: e.query, params: e.params }));
(globalThis as { ringflowPrisma?: unknown }).ringflowPrisma = traced;

const { deployMigrations } = await import("../lib/db/schema-engine");
const { recreateDatabaseAt } = await import("../tests/helpers/pg");
const { seedCalls } = await import("../scripts/seed-calls");
const { callsWhere, countCalls, listCalls, encodeCursor } = await import("../lib/calls/list-query");
const { callDetail } = await import("../lib/calls/detail");
const { callsCsvStream } = await import("../lib/calls/export-csv");
const { referenceIds } = await import("./call-logs-reference");
type Filters = import("../lib/calls/filters").CallFilters;

let sql = new pg.Client({ connectionString: url });
async function seeded(): Promise<boolean> {
  try {
    await sql.connect();
    const r = await sql.query("SELECT count(*)::int AS n FROM calls");
    return r.rows[0].n >= COUNT;
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
}
// Visibility map and statistics as a settled production table would have them.
for (const t of ["calls", "call_transfers", "contacts", "call_steps"]) await sql.query(`VACUUM ANALYZE ${t}`);

// The organisation, its fixtures and a deep cursor (90% of the way down the newest-first list).
const org = (await sql.query("SELECT org_id, count(*)::int AS n FROM calls GROUP BY org_id ORDER BY n DESC LIMIT 1")).rows[0];
const orgId: string = org.org_id;
const pick = async (q: string, ...p: unknown[]) => (await sql.query(q, p)).rows[0];
const account = (await pick("SELECT account_id AS id FROM calls WHERE org_id = $1 GROUP BY 1 ORDER BY count(*) ASC LIMIT 1", orgId)).id;
const flow = (await pick("SELECT flow_id AS id FROM calls WHERE org_id = $1 AND flow_id IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1", orgId)).id;
const agent = (await pick("SELECT agent_id AS id FROM calls WHERE org_id = $1 AND agent_id IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1", orgId)).id;
const team = (
  await pick(
    "SELECT t.team_id AS id FROM call_transfers t JOIN teams tm ON tm.id = t.team_id WHERE tm.org_id = $1 GROUP BY 1 ORDER BY count(*) ASC LIMIT 1",
    orgId,
  )
).id;
const bigTeam = (
  await pick(
    "SELECT t.team_id AS id FROM call_transfers t JOIN teams tm ON tm.id = t.team_id WHERE tm.org_id = $1 GROUP BY 1 ORDER BY count(*) DESC LIMIT 1",
    orgId,
  )
).id;
// An agent in two teams (the broadest agent view).
const viewerAgent = (
  await pick(
    "SELECT m.user_id AS id FROM team_members m JOIN teams t ON t.id = m.team_id WHERE t.org_id = $1 GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1",
    orgId,
  )
).id;
const phone = (await pick("SELECT caller_phone AS p FROM calls WHERE org_id = $1 OFFSET 1234 LIMIT 1", orgId)).p as string;
const deepRow = await pick(
  "SELECT started_at, id FROM calls WHERE org_id = $1 ORDER BY started_at DESC, id DESC OFFSET $2 LIMIT 1",
  orgId,
  Math.floor(org.n * 0.9),
);
const deep = encodeCursor({ startedAt: deepRow.started_at, id: deepRow.id });
const detailIds: string[] = (
  await sql.query("SELECT id FROM calls WHERE org_id = $1 AND direction = 'incoming' AND status = 'completed' ORDER BY md5(id) LIMIT 40", [orgId])
).rows.map((r) => r.id);
const tz = "America/Sao_Paulo";
const ymd = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);

const admin = { orgId, userId: "bench-admin", role: "admin" as const };
const agentViewer = { orgId, userId: viewerAgent, role: "agent" as const };

interface Case {
  name: string;
  run: () => Promise<number>;
  /** Compares the answer with the plain reference query (bench/call-logs-reference); a mismatch, or null. */
  check?: () => Promise<string | null>;
}
type Viewer = typeof admin | typeof agentViewer;
const list = (name: string, f: Filters, opts: { after?: string; before?: string } = {}, viewer: Viewer = admin): Case => ({
  name,
  run: async () => (await listCalls(await callsWhere(viewer, f, tz), opts)).rows.length,
  check: async () => {
    const got = (await listCalls(await callsWhere(viewer, f, tz), opts)).rows.map((r) => r.id);
    const want = await referenceIds(sql, viewer, f, tz, { ...opts, limit: 50 });
    return got.join() === want.join() ? null : `page differs: ${got.length} rows vs ${want.length} in the reference`;
  },
});
const count = (name: string, f: Filters, viewer: Viewer = admin): Case => ({
  name,
  run: async () => (await countCalls(await callsWhere(viewer, f, tz))).value,
  check: async () => {
    const got = (await countCalls(await callsWhere(viewer, f, tz))).value;
    const want = Math.min(10_000, (await referenceIds(sql, viewer, f, tz, { limit: 10_001 })).length);
    return got === want ? null : `count ${got} vs ${want} in the reference`;
  },
});

const cases: Case[] = [
  list("first page, no filter", {}),
  list("status = completed", { status: "completed" }),
  list("status = failed", { status: "failed" }),
  list("direction = outgoing", { direction: "outgoing" }),
  list("account (smallest)", { account }),
  list("flow", { flow }),
  list("agent", { agent }),
  list("team (smallest)", { team }),
  list("team (largest)", { team: bigTeam }),
  list("date: last 7 days", { from: ymd(7), to: ymd(0) }),
  list("date: one day, a year ago", { from: ymd(365), to: ymd(365) }),
  list("search: phone prefix (5 digits)", { q: phone.slice(0, 5) }),
  list("search: full phone number", { q: `+${phone}` }),
  list("search: name 'maria'", { q: "maria" }),
  list("search: name 'Maria Silva'", { q: "Maria Silva" }),
  list("status + direction", { status: "missed", direction: "outgoing" }),
  list("account + status + month", { account, status: "failed", from: ymd(400), to: ymd(370) }),
  list("team + status", { team, status: "missed" }),
  list("agent + date range", { agent, from: ymd(90), to: ymd(30) }),
  list("flow + status + direction", { flow, status: "rejected", direction: "incoming" }),
  list("name search + status", { q: "maria", status: "completed" }),
  list("everything at once", { account, flow, status: "completed", direction: "incoming", team: bigTeam, from: ymd(700), to: ymd(0) }),
  list("deep page (90%), no filter", {}, { after: deep }),
  list("deep page, status = failed", { status: "failed" }, { after: deep }),
  list("deep page, account", { account }, { after: deep }),
  list("deep page, team (smallest)", { team }, { after: deep }),
  list("deep page, agent", { agent }, { after: deep }),
  list("deep page, newer direction", {}, { before: deep }),
  list("deep page, name search", { q: "maria" }, { after: deep }),
  list("agent view: first page", {}, {}, agentViewer),
  list("agent view: deep page", {}, { after: deep }, agentViewer),
  list("agent view: status = failed", { status: "failed" }, {}, agentViewer),
  list("agent view: team + date", { team: bigTeam, from: ymd(60), to: ymd(0) }, {}, agentViewer),
  count("count: no filter (capped)", {}),
  count("count: status = failed", { status: "failed" }),
  count("count: account + status + month", { account, status: "failed", from: ymd(400), to: ymd(370) }),
  count("count: team (smallest)", { team }),
  count("count: name search", { q: "Maria Silva" }),
  count("count: agent view", {}, agentViewer),
  count("count: agent view, status = failed", { status: "failed" }, agentViewer),
];
let detailNo = 0;
cases.push({ name: "detail page query", run: async () => ((await callDetail(admin, detailIds[detailNo++ % detailIds.length]!)) ? 1 : 0) });

// Correctness first: every list page and capped count equals the plain reference query's.
const mismatches: string[] = [];
for (const c of cases) {
  const wrong = await c.check?.();
  if (wrong) mismatches.push(`${c.name}: ${wrong}`);
}
process.stdout.write(
  mismatches.length
    ? `WRONG RESULTS:\n  ${mismatches.join("\n  ")}\n`
    : `Checked ${cases.filter((c) => c.check).length} cases against the reference query: same rows.\n`,
);

const ITER = Number(process.env.BENCH_ITER ?? 25);
const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const results: { name: string; p50: number; p95: number; max: number; rows: number }[] = [];
const plans: string[] = [];
for (const c of cases) {
  for (let i = 0; i < 3; i++) await c.run();
  const times: number[] = [];
  let rows = 0;
  for (let i = 0; i < ITER; i++) {
    const t = performance.now();
    rows = await c.run();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  results.push({ name: c.name, p50: pct(times, 50), p95: pct(times, 95), max: times.at(-1)!, rows });
  // The case's SQL (the largest statement: the calls query, not the relation look-ups), explained.
  captured = [];
  await c.run();
  const main = captured.filter((q) => q.query.includes("FROM calls c")).sort((a, b) => b.query.length - a.query.length)[0];
  if (main) {
    const params = JSON.parse(main.params) as unknown[];
    const plan = await sql.query(`EXPLAIN (ANALYZE, BUFFERS) ${main.query}`, params);
    plans.push(`── ${c.name}\n${main.query}\n${main.params}\n${plan.rows.map((r) => r["QUERY PLAN"]).join("\n")}\n`);
  }
}

// Export throughput: the first 100,000 rows of the CSV stream, read as fast as possible.
const exportRows = 100_000;
const t0 = performance.now();
const reader = callsCsvStream(await callsWhere(admin, {}, tz), tz).getReader();
let lines = 0;
let bytes = 0;
const rssBefore = process.memoryUsage().rss;
let rssPeak = rssBefore;
while (lines < exportRows) {
  const { value, done } = await reader.read();
  if (done) break;
  bytes += value.byteLength;
  for (const b of value) if (b === 10) lines++;
  rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
}
await reader.cancel();
const exportSecs = (performance.now() - t0) / 1000;

const w = Math.max(...results.map((r) => r.name.length));
const out: string[] = [];
out.push(
  `Call-log queries on ${Number(org.n).toLocaleString("en")} calls; ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "?"}), PostgreSQL ${(await pick("SHOW server_version")).server_version}; ${ITER} runs each after 3 warm-ups. Times in ms, measured in this process through Prisma (includes relation look-ups).`,
);
out.push(`${"query".padEnd(w)}  ${"p50".padStart(7)}  ${"p95".padStart(7)}  ${"max".padStart(7)}  rows/count`);
for (const r of results) {
  const flag = r.p95 > 50 ? "  ← over 50 ms" : "";
  out.push(`${r.name.padEnd(w)}  ${r.p50.toFixed(1).padStart(7)}  ${r.p95.toFixed(1).padStart(7)}  ${r.max.toFixed(1).padStart(7)}  ${r.rows}${flag}`);
}
out.push(
  `export: ${lines.toLocaleString("en")} CSV lines (${(bytes / 1e6).toFixed(1)} MB) in ${exportSecs.toFixed(1)} s = ${Math.round(lines / exportSecs).toLocaleString("en")} rows/s; RSS ${(rssBefore / 1e6).toFixed(0)} → peak ${(rssPeak / 1e6).toFixed(0)} MB`,
);
out.push(mismatches.length ? `WRONG RESULTS in ${mismatches.length} cases (see above)` : "correctness: every list page and count equals the reference query's");
process.stdout.write(`${out.join("\n")}\n`);
const dir = path.resolve(import.meta.dirname, "../artifacts/bench");
fs.mkdirSync(dir, { recursive: true });
fs.writeFileSync(path.join(dir, "call-logs.txt"), `${out.join("\n")}\n`);
fs.writeFileSync(path.join(dir, "call-logs-explain.txt"), plans.join("\n"));
process.stdout.write(`EXPLAIN (ANALYZE, BUFFERS) of every case: ${path.join(dir, "call-logs-explain.txt")}\n`);
await sql.end();
await traced.$disconnect();
process.exit(mismatches.length ? 1 : 0);
