// The call-log list: filters + visibility (lib/calls/access) + keyset pages on (startedAt desc,
// id desc). Each page is one index range whatever its depth (no OFFSET paging), and the total is a
// count capped at 10,000 so a filter matching most of a million calls stays cheap.
import { db, type Prisma } from "../db";
import { visibleCallParts } from "./access";
import type { CallFilters } from "./filters";
import { searchWhere } from "./search";
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
  contact: { select: { name: true } },
  account: { select: { id: true, name: true } },
  agent: { select: { id: true, name: true } },
  flow: { select: { id: true, name: true } },
} satisfies Prisma.CallSelect;
export type CallRow = Prisma.CallGetPayload<{ select: typeof callRowSelect }>;

/** `filters` as a `where`; dates are days in `timeZone`. */
export async function filterWhere(orgId: string, filters: CallFilters, timeZone: string): Promise<Prisma.CallWhereInput[]> {
  const and: Prisma.CallWhereInput[] = [];
  if (filters.status) and.push({ status: filters.status });
  if (filters.direction) and.push({ direction: filters.direction });
  if (filters.account) and.push({ accountId: filters.account });
  if (filters.flow) and.push({ flowId: filters.flow });
  if (filters.agent) and.push({ agentId: filters.agent });
  // `teamIds` holds the teams of the call's transfers (GIN-indexed): same rows as `transfers: { some: { teamId } }`.
  if (filters.team) and.push({ teamIds: { has: filters.team } });
  if (filters.from) and.push({ startedAt: { gte: zonedDayStart(filters.from, timeZone) } });
  if (filters.to) and.push({ startedAt: { lt: zonedDayStart(nextDay(filters.to), timeZone) } });
  if (filters.q) and.push(await searchWhere(orgId, filters.q));
  return and;
}

/**
 * What `viewer` may see narrowed by `filters`, as disjoint parts (lib/calls/access
 * `visibleCallParts`): one for admins, two for agents. Every read below takes the parts and
 * merges their rows, so the visibility rule stays in access.ts.
 */
export type CallQuery = Prisma.CallWhereInput[];

export async function callsWhere(viewer: Viewer, filters: CallFilters, timeZone: string): Promise<CallQuery> {
  const [and, parts] = await Promise.all([filterWhere(viewer.orgId, filters, timeZone), visibleCallParts(viewer)]);
  return parts.map((part) => ({ AND: [part, ...and] }));
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
export function beyond(c: Cursor, dir: "older" | "newer"): Prisma.CallWhereInput {
  return dir === "older"
    ? { AND: [{ startedAt: { lte: c.startedAt } }, { OR: [{ startedAt: { lt: c.startedAt } }, { startedAt: c.startedAt, id: { lt: c.id } }] }] }
    : { AND: [{ startedAt: { gte: c.startedAt } }, { OR: [{ startedAt: { gt: c.startedAt } }, { startedAt: c.startedAt, id: { gt: c.id } }] }] };
}

const NEWEST_FIRST = [{ startedAt: "desc" }, { id: "desc" }] satisfies Prisma.CallOrderByWithRelationInput[];
const OLDEST_FIRST = [{ startedAt: "asc" }, { id: "asc" }] satisfies Prisma.CallOrderByWithRelationInput[];

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
  const parts = await Promise.all(
    q.map((where) =>
      db.call.findMany({
        where: cursor ? { AND: [where, beyond(cursor, dir)] } : where,
        orderBy: dir === "older" ? NEWEST_FIRST : OLDEST_FIRST,
        take,
        select: callRowSelect,
      }),
    ),
  );
  const rows = parts.length === 1 ? parts[0]! : parts.flat().sort(newerFirst);
  if (parts.length > 1 && dir === "newer") rows.reverse();
  return rows.slice(0, take);
}

async function exists(q: CallQuery, c: Cursor, dir: "older" | "newer"): Promise<boolean> {
  const found = await Promise.all(
    q.map((where) =>
      db.call.findFirst({ where: { AND: [where, beyond(c, dir)] }, orderBy: dir === "older" ? NEWEST_FIRST : OLDEST_FIRST, select: { id: true } }),
    ),
  );
  return found.some(Boolean);
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
  // Ordered like the list so the capped scan walks the same index; without an order Prisma orders
  // by the primary key, which sorts every match first.
  const counts = await Promise.all(q.map((where) => db.call.count({ where, take: COUNT_CAP + 1, orderBy: NEWEST_FIRST })));
  const n = counts.reduce((a, b) => a + b, 0);
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
