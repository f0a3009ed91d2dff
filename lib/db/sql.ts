// The statements every webhook and every call runs, straight on the pg pool under `db`: Prisma 7's
// client spends about 0.55 ms of CPU on each statement on top of pg's 0.15 ms (raw queries included),
// and at 50 calls/s that was a quarter of a core of a web tier saturated by them. Written with
// Prisma.sql (the same placeholders and nesting as $queryRaw); everything else stays on `db`.
import { dbPool, type Prisma } from "./index";

/**
 * PostgreSQL parameters as Prisma sends them: Dates as UTC (our timestamp columns hold UTC without a
 * zone; pg would send the local time). Anything else as pg sends it.
 */
const param = (v: unknown) => (v instanceof Date ? v.toISOString() : v);

/** The rows `query` returns. Columns come back as pg parses them: select no timestamp, or cast it. */
export async function sqlRows<T>(query: Prisma.Sql): Promise<T[]> {
  const result = await dbPool.query(query.text, query.values.map(param));
  return result.rows as T[];
}

/** How many rows `statement` changed. */
export async function sqlExec(statement: Prisma.Sql): Promise<number> {
  const result = await dbPool.query(statement.text, statement.values.map(param));
  return result.rowCount ?? 0;
}
