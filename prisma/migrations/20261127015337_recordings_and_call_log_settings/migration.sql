-- AlterEnum
ALTER TYPE "RecordingStatus" ADD VALUE 'expired';

-- AlterTable
ALTER TABLE "organizations" ADD COLUMN     "recording_enabled" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "recording_retention_days" INTEGER,
ADD COLUMN     "time_zone" TEXT NOT NULL DEFAULT 'UTC';

-- AlterTable
ALTER TABLE "recordings" ADD COLUMN     "bridged_ms" INTEGER,
ADD COLUMN     "expired_at" TIMESTAMP(3),
ADD COLUMN     "gateway_id" TEXT;

-- CreateIndex
CREATE INDEX "recordings_status_created_at_idx" ON "recordings"("status", "created_at");
