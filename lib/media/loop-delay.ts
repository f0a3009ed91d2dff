// Watches how late this process's event loop runs. A media process whose loop is late on most of its
// ticks cannot send 20 ms packets on time, so it should take no new calls until it catches up.
import { monitorEventLoopDelay } from "node:perf_hooks";

export interface LoopDelayOptions {
  /** Overloaded once the loop's p90 delay reaches this in `windows` windows in a row. */
  thresholdMs: number;
  /** Length of one measuring window. */
  windowMs?: number;
  /** Consecutive windows needed to change state (both ways), so one stall (a GC pause) changes nothing. */
  windows?: number;
  onChange?: (overloaded: boolean, lateMs: number) => void;
}

export class LoopDelayWatch {
  overloaded = false;
  /** p90 loop delay of the last window, ms. */
  lateMs = 0;
  private readonly histogram = monitorEventLoopDelay({ resolution: 10 });
  private readonly timer: NodeJS.Timeout;
  private streak = 0;

  constructor(private readonly opts: LoopDelayOptions) {
    this.histogram.enable();
    this.timer = setInterval(() => this.sample(), opts.windowMs ?? 1_000);
    this.timer.unref();
  }

  private sample() {
    // monitorEventLoopDelay counts the timer's own resolution into each sample; what is late is above it.
    this.lateMs = Math.max(0, this.histogram.percentile(90) / 1e6 - 10);
    this.histogram.reset();
    // Overloaded at the threshold; back to normal only below half of it (no flapping around one value).
    const wouldBe = this.overloaded ? this.lateMs >= this.opts.thresholdMs / 2 : this.lateMs >= this.opts.thresholdMs;
    this.streak = wouldBe === this.overloaded ? 0 : this.streak + 1;
    if (this.streak < (this.opts.windows ?? 2)) return;
    this.streak = 0;
    this.overloaded = wouldBe;
    this.opts.onChange?.(wouldBe, this.lateMs);
  }

  stop() {
    clearInterval(this.timer);
    this.histogram.disable();
  }
}
