-- AlterTable
ALTER TABLE "ivr_flows" ADD COLUMN     "published_draft" JSONB;
