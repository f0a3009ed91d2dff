// Runs jobs from a queue: validates input, reports progress, turns permanent errors into
// immediate failures (no pointless retries), and keeps failed jobs as the dead-letter list.
import { type Job, UnrecoverableError, Worker } from "bullmq";
import type { Logger } from "pino";
import type { ObjectStorage } from "../storage/types";
import type { QueueName } from "./job";
import { PermanentJobError } from "./job";
import { cappedBackoff, JOBS, QUEUES, redisConnection } from "./registry";

export function startWorker(opts: { concurrency: number; log: Logger; storage: ObjectStorage; redisUrl?: string; queue?: QueueName }): Worker {
  const worker = new Worker(
    QUEUES[opts.queue ?? "audio"],
    async (job: Job) => {
      const def = JOBS[job.name];
      if (!def) throw new UnrecoverableError(`Unknown job ${job.name}`);
      const input = def.schema.safeParse(job.data);
      if (!input.success) throw new UnrecoverableError(`Invalid input for ${job.name}: ${input.error.message}`);
      const log = opts.log.child({ job: job.name, jobId: job.id, attempt: job.attemptsMade + 1 });
      try {
        await def.handle(input.data as never, {
          storage: opts.storage,
          progress: (pct) => job.updateProgress(pct),
          log,
          attempt: job.attemptsMade + 1,
          attempts: job.opts.attempts ?? 1,
        });
        log.info("job done");
      } catch (err) {
        log.warn({ err }, "job failed");
        if (err instanceof PermanentJobError) throw new UnrecoverableError(err.message);
        throw err;
      }
    },
    {
      connection: redisConnection(opts.redisUrl),
      concurrency: opts.concurrency,
      settings: {
        backoffStrategy: (attemptsMade: number, type?: string, _err?: Error, job?: { name: string }) => {
          const def = job ? JOBS[job.name] : undefined;
          if (type !== "capped" || !def) return 1_000;
          return cappedBackoff(def, attemptsMade);
        },
      },
    },
  );
  return worker;
}
