-- Older data may hold the same verify token on several numbers (only the service checked).
-- Keep the oldest account's token as is and suffix the others with their id, so the index can be
-- built. Those numbers must have their token re-entered in Meta's dashboard to verify again.
UPDATE "whatsapp_accounts" AS a
SET "verify_token" = a."verify_token" || '-' || a."id"
WHERE EXISTS (
  SELECT 1 FROM "whatsapp_accounts" AS b
  WHERE b."verify_token" = a."verify_token"
    AND (b."created_at", b."id") < (a."created_at", a."id")
);

-- CreateIndex
CREATE UNIQUE INDEX "whatsapp_accounts_verify_token_key" ON "whatsapp_accounts"("verify_token");
