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

type Mark = { id: string; error: string | null; done: () => void; failed: (err: unknown) => void };
let waiting: Mark[] = [];
let writing = false;

/**
 * Marks a stored event processed, with the error its processing ended in (null: none); resolves once
 * written. Marks that come while one write is in flight go together in the next (one statement for
 * all of them: at overload every event's own UPDATE queued behind every other webhook's statements).
 */
export function markProcessed(eventId: string, error: string | null): Promise<void> {
  return new Promise((done, failed) => {
    waiting.push({ id: eventId, error, done, failed });
    if (!writing) void writeMarks();
  });
}

async function writeMarks() {
  writing = true;
  while (waiting.length > 0) {
    const batch = waiting;
    waiting = [];
    try {
      await sqlExec(Prisma.sql`
        UPDATE webhook_events AS e SET processed_at = ${new Date()}, error = m.error
        FROM unnest(${batch.map((m) => m.id)}::text[], ${batch.map((m) => m.error)}::text[]) AS m(id, error)
        WHERE e.id = m.id`);
      for (const m of batch) m.done();
    } catch (err) {
      for (const m of batch) m.failed(err);
    }
  }
  writing = false;
}
