-- DropIndex
DROP INDEX "contacts_org_id_name_idx";

-- CreateIndex
CREATE INDEX "contacts_org_id_name_id_idx" ON "contacts"("org_id", "name", "id");

-- CreateIndex
CREATE INDEX "calls_agent_org_id_agent_id_status_started_at_id_idx" ON "calls"("org_id", "agent_id", "status", "started_at" DESC, "id" DESC) WHERE (agent_id IS NOT NULL);

-- CreateIndex
CREATE INDEX "calls_transferred_org_id_status_started_at_id_idx" ON "calls"("org_id", "status", "started_at" DESC, "id" DESC) WHERE (team_ids <> '{}'::text[]);
