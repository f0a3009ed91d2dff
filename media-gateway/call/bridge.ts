// Forwards Opus between the caller's leg and the agent's leg. Each leg's player keeps its own
// continuous sequence numbers and timestamps; hold stops forwarding both ways, loops hold music to
// the caller and sends the agent silence; resume restores both directions at once.
import { LatencyHistogram } from "../../lib/media/latency-histogram";
import type { Player } from "../media/player";
import type { AgentLeg } from "./agent-leg";
import type { CallRecorder } from "./recorder";

export class Bridge {
  private held = false;
  private closed = false;
  /** Set once recording has started (a moment after the bridge; the files still start at its start). */
  private recorder: CallRecorder | null = null;
  /** performance.now() when the legs were joined. */
  readonly startedAt = performance.now();
  /** Time from a leg's packet callback to the re-encrypted packet handed to the other leg's socket. */
  readonly forwardMs = { toAgent: new LatencyHistogram(), toCaller: new LatencyHistogram() };

  constructor(
    private readonly caller: Player,
    private agentLeg: AgentLeg,
    private readonly holdMusic: () => Promise<Buffer[]>,
  ) {
    caller.live();
    agentLeg.player.live();
  }

  /** The agent's current leg (a rejoin from a new page replaces it). */
  get leg(): AgentLeg {
    return this.agentLeg;
  }

  /**
   * Moves the agent's side onto `leg` (the agent came back from a new page) and returns the leg it
   * replaces, for the caller to close. On hold, the new leg hears silence until resume.
   */
  replaceLeg(leg: AgentLeg): AgentLeg {
    const old = this.agentLeg;
    this.agentLeg = leg;
    if (this.held) leg.player.stop();
    else leg.player.live();
    return old;
  }

  get onHold() {
    return this.held;
  }

  /** Records from now on (until close); a second recorder is refused. */
  record(recorder: CallRecorder): boolean {
    if (this.closed || this.recorder) return false;
    this.recorder = recorder;
    return true;
  }

  // Recorded after forwarding (the forward is what the other side waits for) and only while
  // bridged: hold is silence in the recording, as it is on the line.
  fromCaller(payload: Buffer, timestamp: number) {
    if (this.held || this.closed) return;
    const t = performance.now();
    this.agentLeg.player.forward(payload);
    this.forwardMs.toAgent.record(performance.now() - t);
    this.recorder?.fromCaller(payload, timestamp);
  }

  /** The agent's Opus from `from`: only the current leg is heard (a replaced one may still be closing). */
  fromAgent(payload: Buffer, timestamp: number, from: AgentLeg) {
    if (this.held || this.closed || from !== this.agentLeg) return;
    const t = performance.now();
    this.caller.forward(payload);
    this.forwardMs.toCaller.record(performance.now() - t);
    this.recorder?.fromAgent(payload, timestamp);
  }

  async hold(): Promise<void> {
    if (this.held || this.closed) return;
    this.held = true;
    this.agentLeg.player.stop();
    this.caller.stop();
    const packets = await this.holdMusic();
    if (this.held && !this.closed) this.caller.play(packets, { loop: true });
  }

  resume() {
    if (!this.held || this.closed) return;
    this.held = false;
    this.caller.live();
    this.agentLeg.player.live();
  }

  /** Stops forwarding; resolves once the recording (if any) is closed and handed on. Idempotent. */
  close(): Promise<void> {
    this.closed = true;
    return this.recorder?.close() ?? Promise.resolve();
  }
}
