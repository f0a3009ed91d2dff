-- CreateEnum
CREATE TYPE "CallOutcome" AS ENUM ('answered', 'ivr', 'abandoned', 'missed', 'failed');

-- AlterTable
ALTER TABLE "teams" ADD COLUMN     "sl_percent" INTEGER NOT NULL DEFAULT 80,
ADD COLUMN     "sl_seconds" INTEGER NOT NULL DEFAULT 20;

-- AlterTable
ALTER TABLE "team_members" ADD COLUMN     "supervisor" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "call_stats_hourly" (
    "org_id" TEXT NOT NULL,
    "bucket" TIMESTAMP(0) NOT NULL,
    "account_id" TEXT NOT NULL,
    "flow_id" TEXT NOT NULL,
    "team_id" TEXT NOT NULL,
    "direction" "CallDirection" NOT NULL,
    "outcome" "CallOutcome" NOT NULL,
    "calls" INTEGER NOT NULL,
    "wait_count" INTEGER NOT NULL,
    "wait_ms_sum" BIGINT NOT NULL,
    "handle_count" INTEGER NOT NULL,
    "handle_secs_sum" BIGINT NOT NULL,

    CONSTRAINT "call_stats_hourly_pkey" PRIMARY KEY ("org_id","bucket","account_id","flow_id","team_id","direction","outcome")
);

-- CreateTable
CREATE TABLE "call_stats_daily" (
    "org_id" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "account_id" TEXT NOT NULL,
    "flow_id" TEXT NOT NULL,
    "team_id" TEXT NOT NULL,
    "direction" "CallDirection" NOT NULL,
    "outcome" "CallOutcome" NOT NULL,
    "calls" INTEGER NOT NULL,
    "wait_count" INTEGER NOT NULL,
    "wait_ms_sum" BIGINT NOT NULL,
    "handle_count" INTEGER NOT NULL,
    "handle_secs_sum" BIGINT NOT NULL,

    CONSTRAINT "call_stats_daily_pkey" PRIMARY KEY ("org_id","day","account_id","flow_id","team_id","direction","outcome")
);

-- CreateTable
CREATE TABLE "call_wait_stats_daily" (
    "org_id" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "account_id" TEXT NOT NULL,
    "flow_id" TEXT NOT NULL,
    "team_id" TEXT NOT NULL,
    "wait_hist" JSONB NOT NULL,
    "wait_under" INTEGER[],

    CONSTRAINT "call_wait_stats_daily_pkey" PRIMARY KEY ("org_id","day","account_id","flow_id","team_id")
);

-- CreateTable
CREATE TABLE "call_agent_stats_daily" (
    "org_id" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "account_id" TEXT NOT NULL,
    "flow_id" TEXT NOT NULL,
    "team_id" TEXT NOT NULL,
    "agent_id" TEXT NOT NULL,
    "handle_count" INTEGER NOT NULL,
    "handle_secs_sum" BIGINT NOT NULL,

    CONSTRAINT "call_agent_stats_daily_pkey" PRIMARY KEY ("org_id","day","account_id","flow_id","team_id","agent_id")
);

-- CreateTable
CREATE TABLE "call_hour_stats_daily" (
    "org_id" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "account_id" TEXT NOT NULL,
    "flow_id" TEXT NOT NULL,
    "team_id" TEXT NOT NULL,
    "h0" INTEGER NOT NULL DEFAULT 0,
    "h1" INTEGER NOT NULL DEFAULT 0,
    "h2" INTEGER NOT NULL DEFAULT 0,
    "h3" INTEGER NOT NULL DEFAULT 0,
    "h4" INTEGER NOT NULL DEFAULT 0,
    "h5" INTEGER NOT NULL DEFAULT 0,
    "h6" INTEGER NOT NULL DEFAULT 0,
    "h7" INTEGER NOT NULL DEFAULT 0,
    "h8" INTEGER NOT NULL DEFAULT 0,
    "h9" INTEGER NOT NULL DEFAULT 0,
    "h10" INTEGER NOT NULL DEFAULT 0,
    "h11" INTEGER NOT NULL DEFAULT 0,
    "h12" INTEGER NOT NULL DEFAULT 0,
    "h13" INTEGER NOT NULL DEFAULT 0,
    "h14" INTEGER NOT NULL DEFAULT 0,
    "h15" INTEGER NOT NULL DEFAULT 0,
    "h16" INTEGER NOT NULL DEFAULT 0,
    "h17" INTEGER NOT NULL DEFAULT 0,
    "h18" INTEGER NOT NULL DEFAULT 0,
    "h19" INTEGER NOT NULL DEFAULT 0,
    "h20" INTEGER NOT NULL DEFAULT 0,
    "h21" INTEGER NOT NULL DEFAULT 0,
    "h22" INTEGER NOT NULL DEFAULT 0,
    "h23" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "call_hour_stats_daily_pkey" PRIMARY KEY ("org_id","day","account_id","flow_id","team_id")
);

-- CreateTable
CREATE TABLE "call_exit_stats_daily" (
    "org_id" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "account_id" TEXT NOT NULL,
    "flow_id" TEXT NOT NULL,
    "team_id" TEXT NOT NULL,
    "node_id" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "handle" TEXT NOT NULL,
    "calls" INTEGER NOT NULL,

    CONSTRAINT "call_exit_stats_daily_pkey" PRIMARY KEY ("org_id","day","account_id","flow_id","team_id","node_id","label","handle")
);

-- CreateTable
CREATE TABLE "call_error_stats_daily" (
    "org_id" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "account_id" TEXT NOT NULL,
    "flow_id" TEXT NOT NULL,
    "team_id" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "calls" INTEGER NOT NULL,

    CONSTRAINT "call_error_stats_daily_pkey" PRIMARY KEY ("org_id","day","account_id","flow_id","team_id","code")
);

-- CreateTable
CREATE TABLE "call_stats_state" (
    "org_id" TEXT NOT NULL,
    "time_zone" TEXT NOT NULL,
    "watermark" TIMESTAMP(3) NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "call_stats_state_pkey" PRIMARY KEY ("org_id")
);

-- CreateIndex
CREATE INDEX "calls_org_id_ended_at_idx" ON "calls"("org_id", "ended_at");
