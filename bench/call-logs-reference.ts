// The call-log bench's correctness check: each list and count case answered again by one plain SQL
// query written straight from the rules (visibility through call_transfers → team_members, the team
// filter through call_transfers, search through contacts), with none of the list's rewrites
// (parts, denormalised team ids, contact id look-ups, capped-count shapes). Slow on purpose.
import type pg from "pg";
import { decodeCursor } from "../lib/calls/list-query";
import type { CallFilters } from "../lib/calls/filters";
import { nameVariants, phoneDigits } from "../lib/calls/search";

export interface RefViewer {
  orgId: string;
  userId: string;
  role: "admin" | "agent";
}

/** The ids of the page `listCalls` should return (newest first); with a large `limit`, what a capped count counts. */
export async function referenceIds(
  sql: pg.Client,
  viewer: RefViewer,
  f: CallFilters,
  tz: string,
  opts: { after?: string; before?: string; limit: number },
): Promise<string[]> {
  const p: unknown[] = [viewer.orgId];
  const arg = (v: unknown) => `$${p.push(v)}`;
  const and = ["c.org_id = $1"];
  if (viewer.role !== "admin") {
    const u = arg(viewer.userId);
    and.push(`(c.agent_id = ${u} OR EXISTS (SELECT 1 FROM call_transfers t JOIN team_members m ON m.team_id = t.team_id
      JOIN teams tm ON tm.id = t.team_id AND tm.org_id = c.org_id WHERE t.call_id = c.id AND m.user_id = ${u}))`);
  }
  if (f.status) and.push(`c.status::text = ${arg(f.status)}`);
  if (f.direction) and.push(`c.direction::text = ${arg(f.direction)}`);
  if (f.account) and.push(`c.account_id = ${arg(f.account)}`);
  if (f.flow) and.push(`c.flow_id = ${arg(f.flow)}`);
  if (f.agent) and.push(`c.agent_id = ${arg(f.agent)}`);
  if (f.team) and.push(`EXISTS (SELECT 1 FROM call_transfers t WHERE t.call_id = c.id AND t.team_id = ${arg(f.team)})`);
  // A day's bounds in the organisation's zone, converted by PostgreSQL (started_at is UTC).
  if (f.from) and.push(`c.started_at >= ((${arg(f.from)}::date)::timestamp AT TIME ZONE ${arg(tz)}::text) AT TIME ZONE 'UTC'`);
  if (f.to) and.push(`c.started_at < ((${arg(f.to)}::date + 1)::timestamp AT TIME ZONE ${arg(tz)}::text) AT TIME ZONE 'UTC'`);
  if (f.q) {
    const digits = phoneDigits(f.q);
    if (digits) and.push(`left(c.caller_phone, ${digits.length}) = ${arg(digits)}`);
    else
      and.push(
        `EXISTS (SELECT 1 FROM contacts ct WHERE ct.id = c.contact_id AND ct.org_id = c.org_id AND (${nameVariants(f.q)
          .map((v) => `left(ct.name, ${v.length}) = ${arg(v)}`)
          .join(" OR ")}))`,
      );
  }
  const cursor = opts.before ? decodeCursor(opts.before) : opts.after ? decodeCursor(opts.after) : null;
  const newer = Boolean(opts.before && cursor);
  if (cursor) and.push(`(c.started_at, c.id) ${newer ? ">" : "<"} (${arg(cursor.startedAt)}::timestamp, ${arg(cursor.id)})`);
  const order = newer ? "ASC" : "DESC";
  const rows = await sql.query(`SELECT c.id FROM calls c WHERE ${and.join(" AND ")} ORDER BY c.started_at ${order}, c.id ${order} LIMIT ${arg(opts.limit)}`, p);
  const ids = rows.rows.map((r) => r.id as string);
  return newer ? ids.reverse() : ids;
}
