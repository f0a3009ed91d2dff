// The call-log list: filters + visibility (lib/calls/access) + keyset pages on (startedAt desc,
// id desc). Each page is one index range whatever its depth (no OFFSET paging), and the total is a
// count capped at 10,000 so a filter matching most of a million calls stays cheap.
import { db, Prisma } from "../db";
import { visibleCallParts } from "./access";
import { type CallFilters, NO_AGENT_ANSWERED } from "./filters";
import { searchSql } from "./search";
import { nextDay, safeTimeZone, zonedDayStart } from "./time-zone";

type Viewer = Parameters<typeof visibleCallParts>[0];

export const PAGE_SIZE = 50;
export const COUNT_CAP = 10_000;

/** What a list row, the JSON API and the CSV export show of a call. */
export const callRowSelect = {
  id: true,
  direction: true,
  status: true,
  callerPhone: true,
  startedAt: true,
  answeredAt: true,
  endedAt: true,
  durationSecs: true,
  disconnectedBy: true,
  error: true,
  teamIds: true,
  contact: { select: { name: true } },
  account: { select: { id: true, name: true } },
  agent: { select: { id: true, name: true } },
  flow: { select: { id: true, name: true } },
} satisfies Prisma.CallSelect;
export type CallRow = Prisma.CallGetPayload<{ select: typeof callRowSelect }>;

type RawCallRow = Omit<CallRow, "contact" | "account" | "agent" | "flow"> & {
  contactId: string | null;
  contactName: string | null;
  accountId: string;
  accountName: string;
  agentId: string | null;
  agentName: string | null;
  flowId: string | null;
  flowName: string | null;
};

/**
 * `callRowSelect` of the calls `page` selects (a `SELECT c.* FROM calls c …` with its order and
 * limit), in no order, as one statement: the walk that finds a page's calls also reads what a row
 * shows. Finding ids first and loading them with Prisma's `findMany({ id: { in } })` took five
 * statements (one per relation) and a bind parameter per id, and looked every call up again by
 * its primary key: a 1,000-row export batch cost ~40 ms instead of ~30 ms before (bench/call-logs).
 */
async function callRows(page: Prisma.Sql): Promise<CallRow[]> {
  const raw = await db.$queryRaw<RawCallRow[]>`
    SELECT c.id, c.direction::text AS direction, c.status::text AS status, c.caller_phone AS "callerPhone",
      c.started_at AS "startedAt", c.answered_at AS "answeredAt", c.ended_at AS "endedAt", c.duration_secs AS "durationSecs",
      c.disconnected_by::text AS "disconnectedBy", c.error, c.team_ids AS "teamIds",
      c.contact_id AS "contactId", ct.name AS "contactName", a.id AS "accountId", a.name AS "accountName",
      c.agent_id AS "agentId", u.name AS "agentName", c.flow_id AS "flowId", f.name AS "flowName"
    FROM (${page}) c
    JOIN whatsapp_accounts a ON a.id = c.account_id
    LEFT JOIN contacts ct ON ct.id = c.contact_id
    LEFT JOIN users u ON u.id = c.agent_id
    LEFT JOIN ivr_flows f ON f.id = c.flow_id`;
  return raw.map(({ contactId, contactName, accountId, accountName, agentId, agentName, flowId, flowName, ...call }) => ({
    ...call,
    contact: contactId === null ? null : { name: contactName },
    account: { id: accountId, name: accountName },
    agent: agentId === null ? null : { id: agentId, name: agentName! },
    flow: flowId === null ? null : { id: flowId, name: flowName! },
  }));
}

/** `filters` as conditions on the call row `c`; dates are days in `timeZone`. */
export async function filterSql(orgId: string, filters: CallFilters, timeZone: string): Promise<Prisma.Sql[]> {
  const and: Prisma.Sql[] = [];
  // As `noAgentAnswered` reads a row (the partial index on transferred calls serves it).
  if (filters.status === NO_AGENT_ANSWERED) and.push(Prisma.sql`c.status = 'completed' AND c.team_ids <> '{}'::text[] AND c.agent_id IS NULL`);
  else if (filters.status) and.push(Prisma.sql`c.status = ${filters.status}::"CallStatus"`);
  if (filters.direction) and.push(Prisma.sql`c.direction = ${filters.direction}::"CallDirection"`);
  if (filters.account) and.push(Prisma.sql`c.account_id = ${filters.account}`);
  if (filters.flow) and.push(Prisma.sql`c.flow_id = ${filters.flow}`);
  if (filters.agent) and.push(Prisma.sql`c.agent_id = ${filters.agent}`);
  // `team_ids` holds the teams of the call's transfers (GIN-indexed): same rows as a semi-join into call_transfers.
  if (filters.team) and.push(Prisma.sql`c.team_ids @> ${[filters.team]}::text[]`);
  if (filters.from) and.push(Prisma.sql`c.started_at >= ${zonedDayStart(filters.from, timeZone)}`);
  if (filters.to) and.push(Prisma.sql`c.started_at < ${zonedDayStart(nextDay(filters.to), timeZone)}`);
  if (filters.q) and.push(await searchSql(orgId, filters.q));
  return and;
}

/**
 * What `viewer` may see narrowed by `filters`, as disjoint parts (lib/calls/access
 * `visibleCallParts`): one for admins, two for agents, each a condition on the call row `c`.
 * Every read below takes the parts and merges their rows, so the visibility rule stays in
 * access.ts. Raw SQL rather than a Prisma `where` so that a search's contact ids are one array
 * parameter and a capped count needs no ORDER BY (see search.ts, `countCalls`).
 */
export type CallQuery = Prisma.Sql[];

export async function callsWhere(viewer: Viewer, filters: CallFilters, timeZone: string): Promise<CallQuery> {
  const [and, parts] = await Promise.all([filterSql(viewer.orgId, filters, timeZone), visibleCallParts(viewer)]);
  return parts.map((part) =>
    Prisma.join(
      [part, ...and].map((cond) => Prisma.sql`(${cond})`),
      " AND ",
    ),
  );
}

// ── Keyset cursors: "<startedAt ms>.<id>" in base64url, opaque to the URL reader. ──
export interface Cursor {
  startedAt: Date;
  id: string;
}

export function encodeCursor(c: { startedAt: Date; id: string }): string {
  return Buffer.from(`${c.startedAt.getTime()}.${c.id}`).toString("base64url");
}

export function decodeCursor(s: string): Cursor | null {
  const m = /^(\d{1,15})\.([A-Za-z0-9_-]{1,64})$/.exec(Buffer.from(s, "base64url").toString());
  return m ? { startedAt: new Date(Number(m[1])), id: m[2]! } : null;
}

/**
 * Rows strictly older (`older`) or newer than `c` in (startedAt, id) order. The plain bound on
 * startedAt is redundant with the OR, but it is what PostgreSQL can turn into an index range,
 * so a deep page starts at the cursor instead of filtering every newer row.
 */
export function beyond(c: Cursor, dir: "older" | "newer"): Prisma.Sql {
  return dir === "older"
    ? Prisma.sql`c.started_at <= ${c.startedAt} AND (c.started_at < ${c.startedAt} OR (c.started_at = ${c.startedAt} AND c.id < ${c.id}))`
    : Prisma.sql`c.started_at >= ${c.startedAt} AND (c.started_at > ${c.startedAt} OR (c.started_at = ${c.startedAt} AND c.id > ${c.id}))`;
}

const NEWEST_FIRST = Prisma.sql`ORDER BY c.started_at DESC, c.id DESC`;
const OLDEST_FIRST = Prisma.sql`ORDER BY c.started_at ASC, c.id ASC`;

/** `columns` of up to `take` calls of one part beyond `cursor`, in `dir` order (one index range). */
function pageBeyond(columns: Prisma.Sql, where: Prisma.Sql, cursor: Cursor | null, dir: "older" | "newer", take: number): Prisma.Sql {
  const cond = cursor ? Prisma.sql`(${where}) AND ${beyond(cursor, dir)}` : where;
  return Prisma.sql`SELECT ${columns} FROM calls c WHERE ${cond} ${dir === "older" ? NEWEST_FIRST : OLDEST_FIRST} LIMIT ${take}`;
}

export interface CallPage {
  rows: CallRow[];
  /** Cursor for the next newer page (`before=`), null on the newest page. */
  newer: string | null;
  /** Cursor for the next older page (`after=`), null on the oldest page. */
  older: string | null;
}

const newerFirst = (a: Cursor, b: Cursor) => b.startedAt.getTime() - a.startedAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

/** Up to `take` rows beyond `cursor` in `dir` order, merged over the query's parts. */
async function fetchRows(q: CallQuery, cursor: Cursor | null, dir: "older" | "newer", take: number): Promise<CallRow[]> {
  const rows = (await Promise.all(q.map((where) => callRows(pageBeyond(Prisma.sql`c.*`, where, cursor, dir, take))))).flat().sort(newerFirst);
  if (dir === "newer") rows.reverse();
  return rows.slice(0, take);
}

async function exists(q: CallQuery, c: Cursor, dir: "older" | "newer"): Promise<boolean> {
  const found = await Promise.all(q.map((where) => db.$queryRaw<{ id: string }[]>(pageBeyond(Prisma.sql`c.id`, where, c, dir, 1))));
  return found.some((rows) => rows.length > 0);
}

/** One page newest first: after `after` (older than it), before `before` (newer than it), or the newest. */
export async function listCalls(q: CallQuery, opts: { after?: string; before?: string; limit?: number } = {}): Promise<CallPage> {
  const limit = opts.limit ?? PAGE_SIZE;
  const cursor = opts.before ? decodeCursor(opts.before) : opts.after ? decodeCursor(opts.after) : null;
  const dir = opts.before && cursor ? "newer" : "older";
  const fetched = await fetchRows(q, cursor, dir, limit + 1);
  const more = fetched.length > limit;
  const rows = fetched.slice(0, limit);
  if (dir === "newer") rows.reverse();
  const first = rows[0];
  const last = rows.at(-1);
  // The far side of the page we came from: one cheap probe instead of trusting the cursor.
  if (dir === "older") {
    const top = first ?? cursor;
    return {
      rows,
      older: more && last ? encodeCursor(last) : null,
      newer: cursor && top && (await exists(q, top, "newer")) ? encodeCursor(top) : null,
    };
  }
  const bottom = (last ?? cursor)!;
  return { rows, newer: more && first ? encodeCursor(first) : null, older: (await exists(q, bottom, "older")) ? encodeCursor(bottom) : null };
}

/** Exact up to COUNT_CAP; past it, `exact: false` and the page says "10,000+". The parts are disjoint, so counts add up. */
export async function countCalls(q: CallQuery): Promise<{ value: number; exact: boolean }> {
  // Unordered: the first COUNT_CAP + 1 matches in whatever order the plan finds them (Prisma's
  // capped count always sorted them, which walked 10,001 rows newest first through the heap).
  const counts = await Promise.all(
    q.map((where) => db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM (SELECT 1 FROM calls c WHERE ${where} LIMIT ${COUNT_CAP + 1}) s`),
  );
  const n = counts.reduce((sum, rows) => sum + rows[0]!.n, 0);
  return n > COUNT_CAP ? { value: COUNT_CAP, exact: false } : { value: n, exact: true };
}

/** Every matching row, newest first, in batches (the export): one short index range per batch and part. */
export async function* callBatches(q: CallQuery, batchSize: number): AsyncGenerator<CallRow[]> {
  let cursor: Cursor | null = null;
  for (;;) {
    const rows = await fetchRows(q, cursor, "older", batchSize);
    if (rows.length) yield rows;
    if (rows.length < batchSize) return;
    const last = rows.at(-1)!;
    cursor = { startedAt: last.startedAt, id: last.id };
  }
}

export async function orgTimeZone(orgId: string): Promise<string> {
  const org = await db.organization.findUnique({ where: { id: orgId }, select: { timeZone: true } });
  return safeTimeZone(org?.timeZone);
}
