// A WhatsApp peer that vanished without a terminate webhook (a lost webhook, a phone gone off the
// network) must not hold a port and a capacity slot until max_call_duration: WhatsApp sends audio
// all through a call, silence included, so nothing at all for [calling] media_timeout_secs means
// the other end is gone.

/** Calls `gone` once nothing was `heard()` for `timeoutMs` after `start()` (never when timeoutMs ≤ 0). */
export class SilenceWatch {
  private lastHeardAt = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly timeoutMs: number,
    private readonly gone: () => void,
  ) {}

  /** A packet came: only a stamp, no timer work per packet. */
  heard() {
    this.lastHeardAt = performance.now();
  }

  /** One timer per call, set again for the time left whenever a packet came since. */
  start() {
    if (this.timeoutMs <= 0 || this.timer) return;
    this.heard();
    const check = () => {
      const silentMs = performance.now() - this.lastHeardAt;
      if (silentMs < this.timeoutMs) this.timer = setTimeout(check, this.timeoutMs - silentMs);
      else this.gone();
    };
    this.timer = setTimeout(check, this.timeoutMs);
  }

  stop() {
    clearTimeout(this.timer);
  }
}
