-- AlterTable
ALTER TABLE "audio_assets" ADD COLUMN     "from_flow_text" BOOLEAN NOT NULL DEFAULT false;
