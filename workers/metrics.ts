// What a workers process exports to Prometheus: jobs waiting/active/delayed/failed per queue (read
// from Redis at scrape time), job durations and failed attempts by queue and job name.
import type { Job, Queue, Worker } from "bullmq";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

const STATES = ["waiting", "active", "delayed", "failed", "completed"] as const;

export class WorkerMetrics {
  readonly registry = new Registry();
  private readonly durations: Histogram<"queue" | "job">;
  private readonly failures: Counter<"queue" | "job">;

  constructor(queues: Queue[]) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: "ringflow_workers_" });
    new Gauge({
      name: "ringflow_workers_queue_jobs",
      help: "Jobs in each queue by state (BullMQ counts, read from Redis when scraped)",
      labelNames: ["queue", "state"],
      registers,
      async collect() {
        for (const queue of queues) {
          const counts = await queue.getJobCounts(...STATES);
          for (const state of STATES) this.set({ queue: queue.name, state }, counts[state] ?? 0);
        }
      },
    });
    this.durations = new Histogram({
      name: "ringflow_workers_job_duration_seconds",
      help: "Time from a job's start to its completion",
      labelNames: ["queue", "job"],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
      registers,
    });
    this.failures = new Counter({ name: "ringflow_workers_job_failures_total", help: "Failed job attempts", labelNames: ["queue", "job"], registers });
  }

  /** Counts the worker's completed and failed jobs. */
  watch(queue: string, worker: Worker) {
    worker.on("completed", (job: Job) => {
      if (job.processedOn && job.finishedOn) this.durations.observe({ queue, job: job.name }, (job.finishedOn - job.processedOn) / 1000);
    });
    worker.on("failed", (job) => this.failures.inc({ queue, job: job?.name ?? "unknown" }));
  }
}
