// Workers process: runs the background jobs (TTS and transcoding on the audio queue; recording
// finalise and retention on the recordings queue) until SIGTERM, then finishes the jobs in hand
// and exits. It must run on the same host as the media gateway: recordings wait on that disk
// (`[calling] recordings_dir`) until they are uploaded.
import { config } from "../lib/config";
import { ANALYTICS_ROLLUP_EVERY_MS, analyticsRollupJob } from "../lib/jobs/analytics-rollup";
import { db } from "../lib/db";
import { FLOW_TEXT_AUDIO_SWEEP_EVERY_MS, flowTextAudioSweepJob } from "../lib/jobs/flow-text-audio-sweep";
import { RETENTION_EVERY_MS, recordingRetentionJob } from "../lib/jobs/recording-retention";
import { closeQueues, queueFor } from "../lib/jobs/registry";
import { startWorker } from "../lib/jobs/runner";
import { WEBHOOK_RETENTION_EVERY_MS, webhookRetentionJob } from "../lib/jobs/webhook-retention";
import { logger } from "../lib/log";
import { startOpsServer } from "../lib/metrics/ops-server";
import { storage } from "../lib/storage";
import { WorkerMetrics } from "./metrics";

const cfg = config();
const log = logger.child({ process: "workers" });
const QUEUES = ["audio", "recordings"] as const;
const metrics = new WorkerMetrics(QUEUES.map((q) => queueFor(q)));
const workers = QUEUES.map((queue) => {
  const worker = startWorker({ concurrency: cfg.workers.concurrency, log, storage: storage(), queue });
  worker.on("failed", (job, err) => log.warn({ queue, job: job?.name, jobId: job?.id, attempts: job?.attemptsMade, err: err.message }, "job attempt failed"));
  metrics.watch(queue, worker);
  return worker;
});
// One schedule however many workers processes run (upsert by id); not awaited, so a slow Redis
// does not hold up the workers or their shutdown.
function schedule(queue: (typeof QUEUES)[number], id: string, everyMs: number, job: { name: string; attempts: number }, what: string) {
  void queueFor(queue)
    .upsertJobScheduler(id, { every: everyMs }, { name: job.name, data: {}, opts: { attempts: job.attempts } })
    .catch((err) => log.error({ err }, `could not schedule ${what}`));
}
schedule("recordings", "recording-retention", RETENTION_EVERY_MS, recordingRetentionJob, "recording retention");
schedule("audio", "webhook-retention", WEBHOOK_RETENTION_EVERY_MS, webhookRetentionJob, "webhook event retention");
schedule("audio", "analytics-rollup", ANALYTICS_ROLLUP_EVERY_MS, analyticsRollupJob, "the analytics rollup");
schedule("audio", "flow-text-audio-sweep", FLOW_TEXT_AUDIO_SWEEP_EVERY_MS, flowTextAudioSweepJob, "the sweep of unused prompt audio");
log.info({ concurrency: cfg.workers.concurrency, storage: storage().kind, recordingsDir: cfg.calling.recordings_dir }, "workers ready");

// Ready when Redis and PostgreSQL answer and every worker is taking jobs.
const ops = cfg.workers.metrics_port
  ? await startOpsServer({
      host: cfg.workers.metrics_host,
      port: cfg.workers.metrics_port,
      registry: metrics.registry,
      log,
      checks: {
        redis: () => queueFor("audio").getJobCounts("waiting"),
        postgres: () => db.$queryRaw`SELECT 1`,
        workers: async () => {
          const stopped = QUEUES.filter((_, i) => !workers[i]!.isRunning());
          if (stopped.length) throw new Error(`not taking jobs: ${stopped.join(", ")}`);
        },
      },
    }).catch((err) => {
      log.error({ err, port: cfg.workers.metrics_port }, "the operations endpoint could not listen; running without metrics");
      return null;
    })
  : null;

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, "shutting down; finishing jobs in hand");
  await Promise.all(workers.map((w) => w.close()));
  await closeQueues();
  await db.$disconnect();
  ops?.server.close();
  process.exit(0);
}
process.on("SIGTERM", () => void stop("SIGTERM"));
process.on("SIGINT", () => void stop("SIGINT"));
