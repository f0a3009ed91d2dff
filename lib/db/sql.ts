// The statements every webhook and every call runs, straight on the pg pool under `db`: Prisma 7's
// client spends about 0.55 ms of CPU on each statement on top of pg's 0.15 ms (raw queries included),
// and at 50 calls/s that was a quarter of a core of a web tier saturated by them. Written with
// Prisma.sql (the same placeholders and nesting as $queryRaw); everything else stays on `db`.
// Each distinct text is a named prepared statement (`[database] prepared_statements`): PostgreSQL
// parses and plans it once per connection instead of on every call, which cut its CPU per statement
// from 83–248 µs to 25–33 µs here.
import { createHash } from "node:crypto";
import { config } from "../config";
import { dbPool, type Prisma } from "./index";

/**
 * PostgreSQL parameters as Prisma sends them: Dates as UTC (our timestamp columns hold UTC without a
 * zone; pg would send the local time). Anything else as pg sends it.
 */
const param = (v: unknown) => (v instanceof Date ? v.toISOString() : v);

/**
 * The name of each text seen so far. A text made from a variable number of rows (a webhook's events)
 * is one statement per count; past this many texts the rest go unnamed, so no connection holds more.
 */
const named = new Map<string, string>();
const NAMED_MAX = 200;

function statement(query: Prisma.Sql): { name?: string; text: string; values: unknown[] } {
  const values = query.values.map(param);
  if (!config().database.prepared_statements) return { text: query.text, values };
  let name = named.get(query.text);
  if (!name && named.size < NAMED_MAX) {
    name = `rf_${createHash("sha1").update(query.text).digest("base64url")}`;
    named.set(query.text, name);
  }
  return { name, text: query.text, values };
}

/** The rows `query` returns. Columns come back as pg parses them: select no timestamp, or cast it. */
export async function sqlRows<T>(query: Prisma.Sql): Promise<T[]> {
  const result = await dbPool.query(statement(query));
  return result.rows as T[];
}

/** How many rows `sql` changed. */
export async function sqlExec(sql: Prisma.Sql): Promise<number> {
  const result = await dbPool.query(statement(sql));
  return result.rowCount ?? 0;
}
