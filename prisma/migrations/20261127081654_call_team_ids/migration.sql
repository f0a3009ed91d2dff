-- AlterTable
ALTER TABLE "calls" ADD COLUMN     "team_ids" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- Backfill (hand-written): each call's teams are the distinct teams of its transfers.
UPDATE "calls" AS c
SET "team_ids" = t.ids
FROM (
  SELECT "call_id", array_agg(DISTINCT "team_id" ORDER BY "team_id") AS ids
  FROM "call_transfers"
  WHERE "team_id" IS NOT NULL
  GROUP BY "call_id"
) AS t
WHERE c."id" = t."call_id";

-- CreateIndex
CREATE INDEX "calls_team_ids_idx" ON "calls" USING GIN ("team_ids");
