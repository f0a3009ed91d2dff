-- CreateIndex
CREATE INDEX "contacts_org_id_created_at_id_idx" ON "contacts"("org_id", "created_at" DESC, "id" DESC);
