// Scheduled (every minute, see workers/main.ts): brings the analytics rollup up to date, rebuilding
// the local days of calls that ended since the last run (lib/analytics/rollup.ts).
import { z } from "zod";
import { refreshRollup } from "../analytics/rollup";
import { defineJob } from "./job";

export const ANALYTICS_ROLLUP_EVERY_MS = 60_000;

export const analyticsRollupJob = defineJob({
  name: "analytics.rollup",
  schema: z.object({ full: z.boolean().optional() }).passthrough(),
  attempts: 3,
  backoffMs: 10_000,
  async handle(input, { log }) {
    const started = Date.now();
    const r = await refreshRollup({ full: input.full });
    if (r.days || r.fullRebuilds) log?.info({ ...r, ms: Date.now() - started }, "analytics rollup refreshed");
  },
});
