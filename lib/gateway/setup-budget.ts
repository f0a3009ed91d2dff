// How many calls a gateway sets up at once, adapted to how long setups take on this machine now.
// A fixed `[gateway] setup_budget` fits one machine on one day: 30 held the 1 s rule at 50 calls/s on a
// fast morning, and on a machine 2.4x slower it let setups queue behind each other's DTLS handshakes
// until the gateway rejected calls late (114 of 1,800 at 30 calls/s, against 0 with 15). The budget
// backs off when a setup reaches `pre_accept` late (or is rejected late), and creeps back up to the
// configured one while setups are quick (additive increase, multiplicative decrease, as TCP does).

/** pre_accept past this share of the deadline since the webhook is "late": the next late one is rejected. */
export const SLOW_SHARE = 0.6;
/** pre_accept within this share counts as quick: the budget may grow again. */
export const QUICK_SHARE = 0.4;
/** After one cut, further slow setups within this long are the same episode (setups in flight were admitted under the old budget). */
export const CUT_EVERY_MS = 1_000;
/** A cut keeps this share of the budget. */
const CUT_TO = 0.7;

export interface SetupBudgetOptions {
  /** The configured budget: where it starts and the most it grows back to. */
  max: number;
  /** `[gateway] setup_deadline_ms`. */
  deadlineMs: number;
  /** The fewest setups it keeps, however slow: the web tier must still be able to hand calls over. */
  min?: number;
  /** The budget as published changed (to an integer). */
  onChange: (budget: number) => void;
}

export class SetupBudget {
  private value: number;
  private lastCut = Number.NEGATIVE_INFINITY;
  private readonly min: number;

  constructor(private readonly opts: SetupBudgetOptions) {
    this.value = opts.max;
    this.min = Math.min(opts.max, opts.min ?? 2);
  }

  /** The budget to publish. */
  get current(): number {
    // (A budget grown by thirds reaches 4 as 3.9999…: floating point, not a missing setup.)
    return Math.floor(this.value + 1e-9);
  }

  /**
   * A call's setup reached `pre_accept` (or was rejected because it could not) `waitedMs` after its
   * webhook arrived.
   */
  observe(waitedMs: number, rejectedLate = false, now = Date.now()) {
    const before = this.current;
    const { deadlineMs, max } = this.opts;
    if (rejectedLate || waitedMs > deadlineMs * SLOW_SHARE) {
      if (now - this.lastCut >= CUT_EVERY_MS) {
        this.value = Math.max(this.min, this.value * CUT_TO);
        this.lastCut = now;
      }
    } else if (waitedMs <= deadlineMs * QUICK_SHARE) {
      // About one more per budget's worth of quick setups.
      this.value = Math.min(max, this.value + 1 / Math.max(1, this.current));
    }
    if (this.current !== before) this.opts.onChange(this.current);
  }
}
