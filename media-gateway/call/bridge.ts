// Forwards Opus between the caller's leg and the agent's leg. Each leg's player keeps its own
// continuous sequence numbers and timestamps; hold stops forwarding both ways, loops hold music to
// the caller and sends the agent silence; resume restores both directions at once.
import { LatencyHistogram } from "../../lib/media/latency-histogram";
import type { Player } from "../media/player";
import type { AgentLeg } from "./agent-leg";

export class Bridge {
  private held = false;
  private closed = false;
  /** Time from a leg's packet callback to the re-encrypted packet handed to the other leg's socket. */
  readonly forwardMs = { toAgent: new LatencyHistogram(), toCaller: new LatencyHistogram() };

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
    const t = performance.now();
    this.leg.player.forward(payload);
    this.forwardMs.toAgent.record(performance.now() - t);
  }

  fromAgent(payload: Buffer) {
    if (this.held || this.closed) return;
    const t = performance.now();
    this.caller.forward(payload);
    this.forwardMs.toCaller.record(performance.now() - t);
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
