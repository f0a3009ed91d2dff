// The operations endpoint every long-running process opens (lib/metrics/ops-server.ts), and the
// workers' job metrics on a real BullMQ queue in Redis.
import { Queue, QueueEvents, Worker } from "bullmq";
import { afterAll, describe, expect, it } from "vitest";
import { redisConnection } from "../../lib/jobs/registry";
import { logger } from "../../lib/log";
import { startOpsServer } from "../../lib/metrics/ops-server";
import { WorkerMetrics } from "../../workers/metrics";

const QUEUE = `ops-metrics-${process.pid}`;
const connection = () => redisConnection(process.env.REDIS_URL);
const closers: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

describe("the operations endpoint", () => {
  it("answers /healthz, reports /readyz per check with the reason, and 404s anything else", async () => {
    let redisUp = true;
    const metrics = new WorkerMetrics([]);
    const { server, port } = await startOpsServer({
      host: "127.0.0.1",
      port: 0,
      registry: metrics.registry,
      log: logger,
      checkTimeoutMs: 300,
      checks: {
        redis: async () => {
          if (!redisUp) throw new Error("connect ECONNREFUSED 127.0.0.1:6379");
        },
        postgres: () => new Promise(() => {}),
      },
    });
    closers.push(() => new Promise((r) => server.close(r)));
    const base = `http://127.0.0.1:${port}`;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);

    const notReady = await fetch(`${base}/readyz`);
    expect(notReady.status).toBe(503);
    const body = await notReady.json();
    expect(body.ready).toBe(false);
    expect(body.checks.redis).toMatchObject({ ok: true });
    expect(body.checks.postgres).toMatchObject({ ok: false, error: "no answer within 300 ms" });

    redisUp = false;
    expect((await (await fetch(`${base}/readyz`)).json()).checks.redis).toMatchObject({ ok: false, error: /ECONNREFUSED/ });
    expect((await fetch(`${base}/nope`)).status).toBe(404);
    expect((await fetch(`${base}/metrics`, { method: "POST" })).status).toBe(405);
    expect(await (await fetch(`${base}/metrics`)).text()).toMatch(/^ringflow_workers_process_cpu_seconds_total/m);
  });
});

describe("workers metrics", () => {
  it("shows queue depth by state, job durations and failed attempts", async () => {
    const queue = new Queue(QUEUE, { connection: connection() });
    const events = new QueueEvents(QUEUE, { connection: connection() });
    closers.push(
      () => queue.obliterate({ force: true }).then(() => queue.close()),
      () => events.close(),
    );
    await events.waitUntilReady();
    const metrics = new WorkerMetrics([queue]);
    await queue.add("slow", {}, { delay: 60_000 });
    const worker = new Worker(
      QUEUE,
      async (job) => {
        if (job.name === "broken") throw new Error("ffmpeg exited 1");
        await new Promise((r) => setTimeout(r, 50));
      },
      { connection: connection() },
    );
    closers.push(() => worker.close());
    metrics.watch(QUEUE, worker);
    const done = await queue.add("tts", {});
    const broken = await queue.add("broken", {});
    await done.waitUntilFinished(events, 10_000);
    await expect(broken.waitUntilFinished(events, 10_000)).rejects.toThrow(/ffmpeg/);

    let text = "";
    const sample = (prefix: string) =>
      Number(
        text
          .split("\n")
          .find((l) => l.startsWith(prefix))
          ?.split(" ")
          .at(-1),
      );
    // The worker's own "failed" event may land just after the queue's.
    await expect
      .poll(async () => {
        text = await metrics.registry.metrics();
        return sample(`ringflow_workers_job_failures_total{queue="${QUEUE}",job="broken"}`);
      })
      .toBe(1);
    expect(sample(`ringflow_workers_queue_jobs{queue="${QUEUE}",state="delayed"}`)).toBe(1);
    expect(sample(`ringflow_workers_queue_jobs{queue="${QUEUE}",state="failed"}`)).toBe(1);
    expect(sample(`ringflow_workers_queue_jobs{queue="${QUEUE}",state="completed"}`)).toBe(1);
    expect(sample(`ringflow_workers_job_duration_seconds_count{queue="${QUEUE}",job="tts"}`)).toBe(1);
    expect(sample(`ringflow_workers_job_duration_seconds_sum{queue="${QUEUE}",job="tts"}`)).toBeGreaterThanOrEqual(0.04);
    expect(sample(`ringflow_workers_job_failures_total{queue="${QUEUE}",job="broken"}`)).toBe(1);
  });
});
