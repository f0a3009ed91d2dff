// Scheduled (hourly, see workers/main.ts): deletes recordings past their organisation's retention.
import { z } from "zod";
import { expireRecordings } from "../recordings/retention";
import { defineJob } from "./job";

/** How often the workers process schedules the retention sweep. */
export const RETENTION_EVERY_MS = 60 * 60 * 1000;

export const recordingRetentionJob = defineJob({
  name: "recording.retention",
  queue: "recordings",
  schema: z.object({}).passthrough(),
  attempts: 3,
  backoffMs: 60_000,
  async handle(_input, { storage, log }) {
    const { failed } = await expireRecordings(storage, { log });
    // Partial failures are retried by the next scheduled run, not by hammering storage now.
    if (failed) log?.warn({ failed }, "some recordings could not be expired this run");
  },
});
