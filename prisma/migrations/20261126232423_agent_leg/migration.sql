-- CreateEnum
CREATE TYPE "AgentStatus" AS ENUM ('available', 'away', 'offline');

-- AlterTable
ALTER TABLE "memberships" ADD COLUMN     "agent_status" "AgentStatus" NOT NULL DEFAULT 'offline',
ADD COLUMN     "last_seen_at" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "calls" ADD COLUMN     "notes" TEXT;

-- AlterTable
ALTER TABLE "call_transfers" ADD COLUMN     "declined_by" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "end_reason" TEXT,
ADD COLUMN     "node_id" TEXT,
ADD COLUMN     "offered_to" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "variables" JSONB;
