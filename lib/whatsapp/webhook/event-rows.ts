// The webhook_events rows every delivery writes: stored (deduplicated) as it arrives, marked
// processed after. One statement each, on the pool directly (db/sql.ts: Prisma's per-statement cost).
import { randomUUID } from "node:crypto";
import { Prisma } from "../../db";
import { sqlExec, sqlRows } from "../../db/sql";

export interface EventRow {
  dedupeKey: string;
  accountId: string;
  payload: Prisma.InputJsonValue;
  /** Why the item is ignored: stored processed, with this error, and not acted on. */
  error?: string;
}

export interface StoredRow {
  id: string;
  accountId: string;
  dedupeKey: string;
  payload: unknown;
  error: string | null;
}

/** Stores the rows whose dedupe key is new; returns those (the others were delivered before). */
export function storeEvents(rows: EventRow[]): Promise<StoredRow[]> {
  const now = new Date();
  const values = rows.map(
    (r) =>
      Prisma.sql`(${randomUUID()}, ${r.accountId}, ${r.dedupeKey}, ${JSON.stringify(r.payload)}::jsonb, ${now}, ${r.error ? now : null}::timestamp, ${r.error ?? null})`,
  );
  return sqlRows<StoredRow>(Prisma.sql`
    INSERT INTO webhook_events (id, account_id, dedupe_key, payload, received_at, processed_at, error)
    VALUES ${Prisma.join(values)}
    ON CONFLICT (dedupe_key) DO NOTHING
    RETURNING id, account_id AS "accountId", dedupe_key AS "dedupeKey", payload, error`);
}

/** Marks a stored event processed, with the error its processing ended in (null: none). */
export async function markProcessed(eventId: string, error: string | null) {
  await sqlExec(Prisma.sql`UPDATE webhook_events SET processed_at = ${new Date()}, error = ${error} WHERE id = ${eventId}`);
}
