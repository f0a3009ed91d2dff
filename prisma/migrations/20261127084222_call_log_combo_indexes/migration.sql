-- DropIndex
DROP INDEX "calls_org_id_agent_id_started_at_id_idx";

-- CreateIndex
CREATE INDEX "calls_org_id_account_id_flow_id_started_at_id_idx" ON "calls"("org_id", "account_id", "flow_id", "started_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "calls_org_id_agent_id_started_at_id_team_ids_idx" ON "calls"("org_id", "agent_id", "started_at" DESC, "id" DESC, "team_ids");
