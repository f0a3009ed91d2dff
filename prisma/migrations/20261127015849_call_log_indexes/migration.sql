-- DropIndex
DROP INDEX "calls_org_id_started_at_idx";

-- DropIndex
DROP INDEX "calls_org_id_status_idx";

-- DropIndex
DROP INDEX "calls_org_id_direction_idx";

-- DropIndex
DROP INDEX "calls_org_id_account_id_idx";

-- DropIndex
DROP INDEX "calls_org_id_flow_id_idx";

-- DropIndex
DROP INDEX "call_transfers_call_id_idx";

-- CreateIndex
CREATE INDEX "contacts_org_id_name_idx" ON "contacts"("org_id", "name");

-- CreateIndex
CREATE INDEX "calls_org_id_started_at_id_idx" ON "calls"("org_id", "started_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "calls_org_id_status_started_at_id_idx" ON "calls"("org_id", "status", "started_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "calls_org_id_direction_started_at_id_idx" ON "calls"("org_id", "direction", "started_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "calls_org_id_account_id_started_at_id_idx" ON "calls"("org_id", "account_id", "started_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "calls_org_id_flow_id_started_at_id_idx" ON "calls"("org_id", "flow_id", "started_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "calls_org_id_agent_id_started_at_id_idx" ON "calls"("org_id", "agent_id", "started_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "calls_org_id_contact_id_started_at_id_idx" ON "calls"("org_id", "contact_id", "started_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "calls_org_id_caller_phone_idx" ON "calls"("org_id", "caller_phone");

-- CreateIndex
CREATE INDEX "call_transfers_call_id_team_id_idx" ON "call_transfers"("call_id", "team_id");

-- CreateIndex
CREATE INDEX "call_transfers_team_id_call_id_idx" ON "call_transfers"("team_id", "call_id");
