// Webhook events older than the retention are deleted (with and without an account); newer ones stay.
import { afterAll, describe, expect, it } from "vitest";
import { webhookRetentionJob } from "../../lib/jobs/webhook-retention";
import { createAccount, createOrg } from "../../lib/seed/factories";
import { testDb as db } from "../helpers/test-db";

afterAll(() => db.$disconnect());

describe("webhook event retention", () => {
  it("deletes events past webhook_retention_days (default 30) and keeps the rest", async () => {
    const org = await createOrg(db, { name: "Retention Org" });
    const account = await createAccount(db, org.id);
    const daysAgo = (d: number) => new Date(Date.now() - d * 86_400_000);
    const tag = `ret-${Date.now()}`;
    const event = (name: string, accountId: string | null, receivedAt: Date) =>
      db.webhookEvent.create({ data: { dedupeKey: `${tag}-${name}`, accountId, payload: { name }, receivedAt } });
    await Promise.all([
      event("old", account.id, daysAgo(31)),
      event("old-unknown-account", null, daysAgo(45)),
      event("recent", account.id, daysAgo(29)),
      event("recent-unknown-account", null, daysAgo(1)),
    ]);
    await webhookRetentionJob.handle({}, { storage: undefined as never, progress: async () => {} });
    const left = await db.webhookEvent.findMany({ where: { dedupeKey: { startsWith: tag } }, select: { dedupeKey: true } });
    expect(left.map((e) => e.dedupeKey.slice(tag.length + 1)).sort()).toEqual(["recent", "recent-unknown-account"]);
  });
});
