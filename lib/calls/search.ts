// Call-log search, served by B-tree indexes: a query of digits (spaces, +, -, parentheses allowed)
// is a prefix of the caller's number; anything else is the start of the contact's name.
// Substring search would need pg_trgm, which the Prisma schema can only declare through the
// `postgresqlExtensions` datasource setting; prefixes keep every search an index range.
import { db, Prisma } from "../db";

/** Up to this many matching contacts are looked up first and passed as ids. */
const CONTACT_IDS_MAX = 10_000;

/** The smallest string greater than every string that starts with `prefix` (code-point order). */
function prefixEnd(prefix: string): string {
  const last = prefix.codePointAt(prefix.length - 1)!;
  return prefix.slice(0, prefix.length - String.fromCodePoint(last).length) + String.fromCodePoint(last + 1);
}

export function phoneDigits(q: string): string | null {
  const stripped = q.replace(/[\s+().-]/g, "");
  return /^\d{1,20}$/.test(stripped) ? stripped : null;
}

/** How people type a name: as typed, lower case, Capitalised Words, UPPER CASE. */
export function nameVariants(q: string): string[] {
  const lower = q.toLowerCase();
  const title = lower.replace(/(^|[\s'-])(\p{L})/gu, (_m, sep: string, ch: string) => sep + ch.toUpperCase());
  return [...new Set([q, lower, title, q.toUpperCase()])];
}

/**
 * `q` as a condition on the call row `c` (lib/calls/list-query). A name matches few contacts
 * compared with calls, so the contacts are found first (the (org_id, name, id) index) and their ids
 * passed as one array parameter: an id list through Prisma costs a bind parameter each (~30 ms for
 * 4,286 ids), and joining per call probed thousands of contacts per page. A very common prefix
 * (over CONTACT_IDS_MAX contacts) keeps the contacts as a subquery.
 */
export async function searchSql(orgId: string, q: string): Promise<Prisma.Sql> {
  const digits = phoneDigits(q);
  if (digits) return Prisma.sql`c.caller_phone >= ${digits} AND c.caller_phone < ${prefixEnd(digits)}`;
  const ranges = nameVariants(q).map((v) => Prisma.sql`(ct.name >= ${v} AND ct.name < ${prefixEnd(v)})`);
  // One index-only range per variant ((org_id, name, id)); as one OR, PostgreSQL reads each
  // matching contact from the table (2,544 pages for "maria").
  const perVariant = ranges.map((range) => Prisma.sql`SELECT ct.id FROM contacts ct WHERE ct.org_id = ${orgId} AND ${range}`);
  const found = await db.$queryRaw<{ id: string }[]>`${Prisma.join(perVariant, " UNION ALL ")} LIMIT ${CONTACT_IDS_MAX + 1}`;
  // A name can match two variants only if one is a prefix of another; the set keeps each id once.
  const ids = [...new Set(found.map((r) => r.id))];
  return found.length <= CONTACT_IDS_MAX
    ? Prisma.sql`c.contact_id = ANY(${ids}::text[])`
    : Prisma.sql`c.contact_id IN (SELECT ct.id FROM contacts ct WHERE ct.org_id = ${orgId} AND (${Prisma.join(ranges, " OR ")}))`;
}
