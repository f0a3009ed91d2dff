// Scheduled (hourly, see workers/main.ts): deletes webhook events older than the retention.
import { z } from "zod";
import { config } from "../config";
import { deleteOldWebhookEvents } from "../whatsapp/webhook/retention";
import { defineJob } from "./job";

export const WEBHOOK_RETENTION_EVERY_MS = 60 * 60 * 1000;

export const webhookRetentionJob = defineJob({
  name: "webhooks.retention",
  schema: z.object({}).passthrough(),
  attempts: 3,
  backoffMs: 60_000,
  async handle(_input, { log }) {
    const deleted = await deleteOldWebhookEvents(config().whatsapp.webhook_retention_days);
    if (deleted) log?.info({ deleted }, "deleted old webhook events");
  },
});
