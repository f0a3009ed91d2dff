// The gateway's side of "nothing recorded is lost": at start, and every few minutes after, leftover
// recordings in this host's recordings_dir (a crash mid-call, a finalise enqueue that never
// reached Redis) are handed to the finalise job.
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { keys } from "../lib/gateway/messages";
import { enqueueFinalise } from "../lib/recordings/enqueue";
import { sweepLeftoverRecordings } from "../lib/recordings/sweep";
import { activeRecordings } from "./call/recorder";

const EVERY_MS = 5 * 60_000;

export class RecordingSweep {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();

  constructor(private readonly opts: { dir: string; gatewayId: string; redis: Redis; log: Logger }) {}

  run(): Promise<unknown> {
    this.running = sweepLeftoverRecordings({
      dir: this.opts.dir,
      gatewayId: this.opts.gatewayId,
      active: activeRecordings,
      isLive: async (id) => (await this.opts.redis.exists(keys.gateway(id))) === 1,
      enqueue: enqueueFinalise,
      log: this.opts.log,
    }).catch((err) => this.opts.log.error({ err }, "the recording sweep failed; it runs again later"));
    return this.running;
  }

  start() {
    void this.run();
    this.timer = setInterval(() => void this.run(), EVERY_MS);
  }

  async stop() {
    clearInterval(this.timer);
    await this.running;
  }
}
