// One drift-free 20 ms clock per process: deadlines are computed from the start time, not from the
// last wake-up, and every player is fed from the same tick.
export class MediaClock {
  private readonly listeners = new Set<() => void>();
  /** Called when a listener throws; the tick goes on for every other call. */
  onError: (err: unknown) => void = () => {};
  /** Called on every tick with the time since the previous one (the send interval every call sees). */
  onTick: ((sinceLastMs: number) => void) | undefined;
  private lastTick = 0;
  private timer: NodeJS.Timeout | undefined;
  private start = 0;
  private ticks = 0;

  constructor(readonly intervalMs = 20) {}

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    if (!this.timer) this.run();
    return () => {
      this.listeners.delete(fn);
      if (this.listeners.size === 0) this.stop();
    };
  }

  private run() {
    this.start = performance.now();
    this.lastTick = this.start;
    this.ticks = 0;
    const tick = () => {
      this.ticks += 1;
      if (this.onTick) {
        const at = performance.now();
        this.onTick(at - this.lastTick);
        this.lastTick = at;
      }
      // One player that throws must not stop the clock (and with it every call on this process).
      for (const fn of this.listeners) {
        try {
          fn();
        } catch (err) {
          this.onError(err);
        }
      }
      const now = performance.now();
      // Catch up without bursting if the event loop stalled: skip deadlines already missed by far.
      if (now - (this.start + this.ticks * this.intervalMs) > 5 * this.intervalMs) {
        this.ticks = Math.floor((now - this.start) / this.intervalMs);
      }
      const next = this.start + (this.ticks + 1) * this.intervalMs;
      this.timer = setTimeout(tick, Math.max(0, next - now));
    };
    this.timer = setTimeout(tick, this.intervalMs);
  }

  stop() {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
