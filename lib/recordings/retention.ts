// Retention: recordings older than their organisation's `recordingRetentionDays` are deleted from
// storage and marked expired (the call log keeps saying there was one, and when it went).
import type { Logger } from "pino";
import { db } from "../db";
import type { ObjectStorage } from "../storage/types";

const BATCH = 200;
const DAY_MS = 86_400_000;

export async function expireRecordings(storage: ObjectStorage, opts: { now?: Date; log?: Logger } = {}): Promise<{ expired: number; failed: number }> {
  const now = opts.now ?? new Date();
  const orgs = await db.organization.findMany({ where: { recordingRetentionDays: { not: null } }, select: { id: true, recordingRetentionDays: true } });
  let expired = 0;
  let failed = 0;
  for (const org of orgs) {
    const cutoff = new Date(now.getTime() - org.recordingRetentionDays! * DAY_MS);
    // Rows that fail stay `ready` and come back next run; skip them within this run.
    const skip: string[] = [];
    for (;;) {
      const batch = await db.recording.findMany({
        where: { status: "ready", createdAt: { lt: cutoff }, call: { orgId: org.id }, id: { notIn: skip } },
        orderBy: { createdAt: "asc" },
        take: BATCH,
        select: { id: true, storageKey: true },
      });
      if (batch.length === 0) break;
      for (const rec of batch) {
        try {
          if (rec.storageKey) await storage.delete(rec.storageKey);
          // The key goes too: nothing should try to presign an object that no longer exists.
          await db.recording.update({ where: { id: rec.id }, data: { status: "expired", expiredAt: now, storageKey: null } });
          expired += 1;
        } catch (err) {
          failed += 1;
          skip.push(rec.id);
          opts.log?.warn({ err, recordingId: rec.id }, "could not expire a recording; the next run tries again");
        }
      }
    }
  }
  if (expired || failed) opts.log?.info({ expired, failed }, "recording retention ran");
  return { expired, failed };
}
