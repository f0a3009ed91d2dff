// Forwards Opus between the caller's leg and the agent's leg. Each leg's player keeps its own
// continuous sequence numbers and timestamps; hold stops forwarding both ways, loops hold music to
// the caller and sends the agent silence; resume restores both directions at once.
import type { Player } from "../media/player";
import type { AgentLeg } from "./agent-leg";

export class Bridge {
  private held = false;
  private closed = false;
  /** Packets forwarded each way (for stats and tests). */
  readonly forwarded = { toAgent: 0, toCaller: 0 };

  constructor(
    private readonly caller: Player,
    readonly leg: AgentLeg,
    private readonly holdMusic: () => Promise<Buffer[]>,
  ) {
    caller.live();
    leg.player.live();
  }

  get onHold() {
    return this.held;
  }

  fromCaller(payload: Buffer) {
    if (this.held || this.closed) return;
    this.forwarded.toAgent += 1;
    this.leg.player.forward(payload);
  }

  fromAgent(payload: Buffer) {
    if (this.held || this.closed) return;
    this.forwarded.toCaller += 1;
    this.caller.forward(payload);
  }

  async hold(): Promise<void> {
    if (this.held || this.closed) return;
    this.held = true;
    this.leg.player.stop();
    this.caller.stop();
    const packets = await this.holdMusic();
    if (this.held && !this.closed) this.caller.play(packets, { loop: true });
  }

  resume() {
    if (!this.held || this.closed) return;
    this.held = false;
    this.caller.live();
    this.leg.player.live();
  }

  close() {
    this.closed = true;
  }
}
