// Webhook events are kept for `[whatsapp] webhook_retention_days` (dedupe and debugging need recent
// ones only), then deleted in small batches per account along the (account_id, received_at) index,
// so a big backlog never holds one long lock on the table.
import { db } from "../../db";

const BATCH = 5_000;

export async function deleteOldWebhookEvents(retentionDays: number, now = Date.now()): Promise<number> {
  const cutoff = new Date(now - retentionDays * 86_400_000);
  const accounts = await db.whatsAppAccount.findMany({ select: { id: true } });
  let deleted = 0;
  for (const accountId of [...accounts.map((a) => a.id), null]) {
    for (;;) {
      const n = await db.$executeRaw`
        DELETE FROM webhook_events WHERE id IN (
          SELECT id FROM webhook_events
          WHERE account_id IS NOT DISTINCT FROM ${accountId} AND received_at < ${cutoff}
          LIMIT ${BATCH})`;
      deleted += n;
      if (n < BATCH) break;
    }
  }
  return deleted;
}
