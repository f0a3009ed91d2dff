// Every background job by name; the workers process runs them, the web tier and gateway enqueue them.
import { type ConnectionOptions, Queue } from "bullmq";
import { config } from "../config";
import { analyticsRollupJob } from "./analytics-rollup";
import { flowTextAudioSweepJob } from "./flow-text-audio-sweep";
import type { JobDefinition, QueueName } from "./job";
import { recordingFinaliseJob } from "./recording-finalise";
import { recordingRetentionJob } from "./recording-retention";
import { transcodeJob } from "./transcode";
import { ttsJob } from "./tts";
import { webhookRetentionJob } from "./webhook-retention";

export const AUDIO_QUEUE = "audio";
export const RECORDINGS_QUEUE = "recordings";
export const QUEUES: Record<QueueName, string> = { audio: AUDIO_QUEUE, recordings: RECORDINGS_QUEUE };

export const JOBS: Record<string, JobDefinition<never>> = Object.fromEntries(
  [ttsJob, transcodeJob, recordingFinaliseJob, recordingRetentionJob, webhookRetentionJob, analyticsRollupJob, flowTextAudioSweepJob].map((j) => [
    j.name,
    j as unknown as JobDefinition<never>,
  ]),
);

export function redisConnection(url = config().redis.url): ConnectionOptions {
  return { url, maxRetriesPerRequest: null };
}

const queues = new Map<QueueName, Queue>();
export function queueFor(name: QueueName): Queue {
  let q = queues.get(name);
  if (!q) {
    q = new Queue(QUEUES[name], { connection: redisConnection() });
    queues.set(name, q);
  }
  return q;
}

export function audioQueue(): Queue {
  return queueFor("audio");
}

/** Closes the queues this process opened (their Redis connections). */
export async function closeQueues(): Promise<void> {
  const open = [...queues.values()];
  queues.clear();
  await Promise.all(open.map((q) => q.close().catch(() => {})));
}

/** Enqueues a job with its own retry policy; the job id makes repeats idempotent. */
export async function enqueue<T>(job: JobDefinition<T>, input: T, jobId?: string, queue: Queue = queueFor(job.queue ?? "audio")) {
  const data = job.schema.parse(input);
  return queue.add(job.name, data, {
    jobId,
    attempts: job.attempts,
    // "capped" is computed by the runner's backoffStrategy (exponential up to maxBackoffMs).
    backoff: job.maxBackoffMs ? { type: "capped", delay: job.backoffMs } : { type: "exponential", delay: job.backoffMs },
    removeOnComplete: 1000,
    removeOnFail: false,
  });
}

/**
 * Enqueues a job whose id names its subject (e.g. one asset's transcode) so that it runs again: a
 * finished job under that id (kept for the job lists) would make BullMQ drop the new one silently.
 * One still waiting or running is left alone (the repeat is idempotent).
 */
export async function enqueueAgain<T>(job: JobDefinition<T>, input: T, jobId: string, queue: Queue = queueFor(job.queue ?? "audio")) {
  const previous = await queue.getJob(jobId);
  if (previous && ((await previous.isCompleted()) || (await previous.isFailed()))) await previous.remove();
  return enqueue(job, input, jobId, queue);
}

/** Retry delay for a "capped" job's attempt n (1-based): exponential, never above its cap. */
export function cappedBackoff(job: Pick<JobDefinition<unknown>, "backoffMs" | "maxBackoffMs">, attemptsMade: number): number {
  const cap = job.maxBackoffMs ?? Number.POSITIVE_INFINITY;
  return Math.min(job.backoffMs * 2 ** Math.max(0, Math.min(attemptsMade - 1, 30)), cap);
}
