-- DropIndex
DROP INDEX "contacts_org_id_created_at_id_idx";

-- AlterTable
ALTER TABLE "contacts" ADD COLUMN     "last_activity_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- Backfill: each contact's latest call, else when it was saved.
UPDATE "contacts" c SET "last_activity_at" = GREATEST(c."created_at", COALESCE((SELECT max(k."started_at") FROM "calls" k WHERE k."contact_id" = c."id"), c."created_at"));

-- CreateIndex
CREATE INDEX "contacts_org_id_last_activity_at_id_idx" ON "contacts"("org_id", "last_activity_at" DESC, "id" DESC);
