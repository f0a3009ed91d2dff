// Every background job by name; the workers process runs them, the web tier enqueues them.
import { type ConnectionOptions, Queue } from "bullmq";
import { config } from "../config";
import type { JobDefinition } from "./job";
import { transcodeJob } from "./transcode";
import { ttsJob } from "./tts";

export const AUDIO_QUEUE = "audio";
export const JOBS: Record<string, JobDefinition<never>> = Object.fromEntries(
  [ttsJob, transcodeJob].map((j) => [j.name, j as unknown as JobDefinition<never>]),
);

export function redisConnection(url = config().redis.url): ConnectionOptions {
  return { url, maxRetriesPerRequest: null };
}

let queue: Queue | undefined;
export function audioQueue(): Queue {
  queue ??= new Queue(AUDIO_QUEUE, { connection: redisConnection() });
  return queue;
}

/** Enqueues a job with its own retry policy; the job id makes repeats idempotent. */
export async function enqueue<T>(job: JobDefinition<T>, input: T, jobId?: string, queue: Queue = audioQueue()) {
  const data = job.schema.parse(input);
  return queue.add(job.name, data, {
    jobId,
    attempts: job.attempts,
    backoff: { type: "exponential", delay: job.backoffMs },
    removeOnComplete: 1000,
    removeOnFail: false,
  });
}
