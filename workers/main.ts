// Workers process: runs the background jobs (TTS, transcoding) until SIGTERM, then finishes the
// jobs in hand and exits.
import { config } from "../lib/config";
import { db } from "../lib/db";
import { startWorker } from "../lib/jobs/runner";
import { logger } from "../lib/log";
import { storage } from "../lib/storage";

const cfg = config();
const log = logger.child({ process: "workers" });
const worker = startWorker({ concurrency: cfg.workers.concurrency, log, storage: storage() });
worker.on("failed", (job, err) => log.warn({ job: job?.name, jobId: job?.id, attempts: job?.attemptsMade, err: err.message }, "job attempt failed"));
log.info({ concurrency: cfg.workers.concurrency, storage: storage().kind }, "workers ready");

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, "shutting down; finishing jobs in hand");
  await worker.close();
  await db.$disconnect();
  process.exit(0);
}
process.on("SIGTERM", () => void stop("SIGTERM"));
process.on("SIGINT", () => void stop("SIGINT"));
