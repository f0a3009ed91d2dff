// Call-log search, served by B-tree indexes: a query of digits (spaces, +, -, parentheses allowed)
// is a prefix of the caller's number; anything else is the start of the contact's name.
// Substring search would need pg_trgm, which the Prisma schema can only declare through the
// `postgresqlExtensions` datasource setting; prefixes keep every search an index range.
import { db, type Prisma } from "../db";

/** Up to this many matching contacts are looked up first and passed as ids. */
const CONTACT_IDS_MAX = 1000;

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
 * A name matches few contacts compared with calls, so the contacts are found first (the
 * (org_id, name) index) and the calls by contact id; joining per call instead probed thousands
 * of contacts per page. A very common prefix (over CONTACT_IDS_MAX contacts) keeps the join.
 */
export async function searchWhere(orgId: string, q: string): Promise<Prisma.CallWhereInput> {
  const digits = phoneDigits(q);
  if (digits) return { callerPhone: { gte: digits, lt: prefixEnd(digits) } };
  const byName: Prisma.ContactWhereInput = { orgId, OR: nameVariants(q).map((v) => ({ name: { gte: v, lt: prefixEnd(v) } })) };
  const ids = await db.contact.findMany({ where: byName, select: { id: true }, take: CONTACT_IDS_MAX + 1 });
  return ids.length <= CONTACT_IDS_MAX ? { contactId: { in: ids.map((c) => c.id) } } : { contact: byName };
}
