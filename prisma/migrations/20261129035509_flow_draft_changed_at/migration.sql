-- AlterTable
ALTER TABLE "ivr_flows" ADD COLUMN     "draft_changed_at" TIMESTAMP(3);
