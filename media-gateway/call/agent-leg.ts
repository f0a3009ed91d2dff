// The agent's browser leg of a bridged call: a second werift peer answering the browser's offer,
// with its own player (its own continuous RTP stream) and a watch for a browser that went away.
import type { Logger } from "pino";
import type { RTCPeerConnection, RtpPacket } from "werift";
import type { Config } from "../../lib/config";
import type { MediaClock } from "../media/clock";
import { Player } from "../media/player";
import { opusPayloadType } from "../../lib/media/sdp-payload-types";
import { agentCodecs } from "../../lib/media/webrtc";
import { answerOffer } from "./peer";

export class AgentLeg {
  readonly player: Player;
  private lastRtpAt = performance.now();
  private lostTimer: NodeJS.Timeout | undefined;
  private watchdog: NodeJS.Timeout | undefined;
  private closed = false;

  private constructor(
    readonly pc: RTCPeerConnection,
    send: (packet: RtpPacket) => void,
    ssrc: number,
    readonly answer: string,
    clock: MediaClock,
    /** `[calling] agent_lost_secs`: a browser disconnected, or sending nothing, this long has left. */
    private readonly lostMs: number,
  ) {
    this.player = new Player(send, clock, { ssrc });
  }

  /** Answers the agent's complete offer; `onAudio` gets the agent's Opus payloads (never DTMF). */
  static async answer(
    offer: string,
    calling: Config["calling"],
    clock: MediaClock,
    onAudio: (payload: Buffer, timestamp: number, leg: AgentLeg) => void,
  ): Promise<AgentLeg> {
    const opusPt = opusPayloadType(offer);
    if (opusPt === null) throw new Error("The agent's offer has no Opus audio");
    let leg: AgentLeg | null = null;
    const { pc, rtp, transceiver, answer } = await answerOffer(
      offer,
      calling,
      (p: RtpPacket) => {
        if (!leg) return;
        leg.lastRtpAt = performance.now();
        // The agent's telephone-event packets (Chromium's insertDTMF) are not passed to the caller.
        if (p.header.payloadType === opusPt) onAudio(p.payload, p.header.timestamp, leg);
      },
      undefined,
      agentCodecs(),
      "passive",
    );
    leg = new AgentLeg(pc, rtp.send, transceiver.sender.ssrc, answer, clock, calling.agent_lost_secs * 1000);
    return leg;
  }

  /** Whether the browser sent audio within the last `ms` (a page that is gone sends none). */
  heardWithin(ms: number): boolean {
    return !this.closed && performance.now() - this.lastRtpAt < ms;
  }

  /** Calls `onLost` once if the browser disconnects for `lostMs`, fails, or stops sending audio as long. */
  watch(onLost: (why: string) => void, log: Pick<Logger, "warn">) {
    let reported = false;
    const lost = (why: string) => {
      if (reported || this.closed) return;
      reported = true;
      log.warn({ why }, "agent leg lost");
      onLost(why);
    };
    this.lastRtpAt = performance.now();
    this.pc.connectionStateChange.subscribe((s) => {
      if (s === "connected") {
        clearTimeout(this.lostTimer);
        this.lostTimer = undefined;
      } else if (s === "disconnected" && !this.lostTimer) {
        this.lostTimer = setTimeout(() => lost("the agent's browser disconnected"), this.lostMs);
      } else if (s === "failed") {
        lost("the agent's browser connection failed");
      }
    });
    this.watchdog = setInterval(() => {
      if (performance.now() - this.lastRtpAt > this.lostMs) lost("no audio from the agent's browser");
    }, 1_000);
  }

  /** Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.lostTimer);
    clearInterval(this.watchdog);
    this.player.close();
    await this.pc.close().catch(() => {});
  }
}
