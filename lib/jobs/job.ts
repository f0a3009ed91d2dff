// A background job: a name, an input schema, retry policy, and an idempotent handler.
import type { ZodType } from "zod";
import type { ObjectStorage } from "../storage/types";

export interface JobContext {
  storage: ObjectStorage;
  progress: (pct: number) => Promise<void>;
}

export interface JobDefinition<T> {
  name: string;
  schema: ZodType<T>;
  attempts: number;
  backoffMs: number;
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
