// A background job: a name, an input schema, retry policy, and an idempotent handler.
import type { Logger } from "pino";
import type { ZodType } from "zod";
import type { ObjectStorage } from "../storage/types";

export interface JobContext {
  storage: ObjectStorage;
  progress: (pct: number) => Promise<void>;
  /** The job's child logger (jobs that report more than done/failed). */
  log?: Logger;
  /** This attempt (1-based) and the job's total, for jobs that act on their last attempt. */
  attempt?: number;
  attempts?: number;
}

/** BullMQ queues: recordings have their own, so a finalise never waits behind TTS (and vice versa). */
export type QueueName = "audio" | "recordings";

export interface JobDefinition<T> {
  name: string;
  /** Defaults to "audio". */
  queue?: QueueName;
  schema: ZodType<T>;
  attempts: number;
  /** First retry delay; it doubles with every attempt… */
  backoffMs: number;
  /** …up to this, when set (jobs that must keep retrying for hours). */
  maxBackoffMs?: number;
  handle(input: T, ctx: JobContext): Promise<void>;
}

/** A failure that retrying cannot fix (corrupt upload, missing asset): fail at once. */
export class PermanentJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PermanentJobError";
  }
}

export function defineJob<T>(job: JobDefinition<T>): JobDefinition<T> {
  return job;
}
