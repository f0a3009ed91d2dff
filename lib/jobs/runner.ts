// Runs jobs from the queue: validates input, reports progress, turns permanent errors into
// immediate failures (no pointless retries), and keeps failed jobs as the dead-letter list.
import { type Job, UnrecoverableError, Worker } from "bullmq";
import type { Logger } from "pino";
import type { ObjectStorage } from "../storage/types";
import { AUDIO_QUEUE, JOBS, redisConnection } from "./registry";
import { PermanentJobError } from "./job";

export function startWorker(opts: { concurrency: number; log: Logger; storage: ObjectStorage; redisUrl?: string }): Worker {
  const worker = new Worker(
    AUDIO_QUEUE,
    async (job: Job) => {
      const def = JOBS[job.name];
      if (!def) throw new UnrecoverableError(`Unknown job ${job.name}`);
      const input = def.schema.safeParse(job.data);
      if (!input.success) throw new UnrecoverableError(`Invalid input for ${job.name}: ${input.error.message}`);
      const log = opts.log.child({ job: job.name, jobId: job.id, attempt: job.attemptsMade + 1 });
      try {
        await def.handle(input.data as never, { storage: opts.storage, progress: (pct) => job.updateProgress(pct) });
        log.info("job done");
      } catch (err) {
        log.warn({ err }, "job failed");
        if (err instanceof PermanentJobError) throw new UnrecoverableError(err.message);
        throw err;
      }
    },
    { connection: redisConnection(opts.redisUrl), concurrency: opts.concurrency },
  );
  return worker;
}
