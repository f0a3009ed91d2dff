// A business-initiated call on this gateway: answers the agent's browser first, makes the WhatsApp
// offer with its own peer, sends `connect`, plays ringback to the agent while the user's phone
// rings, bridges once WhatsApp's answer SDP has connected, and ends on reject, no answer or hangup.
import type { Logger } from "pino";
import type { RTCPeerConnection, RtpPacket } from "werift";
import { type AgentCallState, type CallUpdated, channels, events } from "../../lib/agents/contract";
import { callChanged, callMoved } from "../../lib/agents/transfers";
import { callbackReached } from "../../lib/callbacks/service";
import type { GatewayCommand, OutgoingReply, RejoinReply } from "../../lib/gateway/messages";
import type { DisconnectedBy } from "../../lib/ivr";
import { waitConnected } from "../../lib/media/webrtc";
import { publish } from "../../lib/realtime";
import { GraphApiError, type GraphClient } from "../../lib/whatsapp/graph-client";
import { Player } from "../media/player";
import { AgentLeg } from "./agent-leg";
import { Bridge } from "./bridge";
import { type BridgedCall, holdBridge, LEG_IN_USE_MS, rejoinBridge, resumeBridge } from "./bridge-control";
import { CallLog } from "./call-log";
import { createOffer } from "./peer";
import { fileAudio, holdMusic } from "./prompts";
import { recordBridge, recordingWanted } from "./recorder";
import { SilenceWatch } from "./silence-watch";
import type { SessionDeps } from "./session";

type Outgoing = Extract<GatewayCommand, { type: "call.outgoing" }>;
type WaStatus = Extract<GatewayCommand, { type: "call.status" }>["status"];
type AgentRejoin = Extract<GatewayCommand, { type: "agent.rejoin" }>;

/** How long the agent's browser gets to finish ICE/DTLS after we answered it. */
const AGENT_CONNECT_MS = 15_000;
const OPUS_PT = 111;
/** How long hangup waits for the call log before terminating at WhatsApp anyway. */
const FINISH_WAIT_MS = 2_000;

const errorText = (err: unknown) => (err instanceof GraphApiError ? err.summary : (err as Error).message);

export class OutgoingCall {
  readonly log: Logger;
  private readonly callLog: CallLog;
  /** The callee's side once answered: a phone gone without a terminate webhook ends the call. */
  private readonly calleeMedia: SilenceWatch;
  /** WhatsApp's call id once `connect` returned it. */
  private waCallId: string | null = null;
  private leg: AgentLeg | null = null;
  private pc: RTCPeerConnection | null = null;
  private player: Player | null = null;
  private bridge: Bridge | null = null;
  private answerApplied = false;
  /** WhatsApp said RINGING: the agent hears ringback (a leg that rejoins too). */
  private ringing = false;
  private readonly timers = new Set<NodeJS.Timeout>();
  private ringTimer: NodeJS.Timeout | undefined;
  private recording: Promise<boolean> = Promise.resolve(false);
  private closed = false;
  private ending: Promise<void> | null = null;
  private graphClient: GraphClient | null = null;

  constructor(
    readonly cmd: Outgoing,
    private readonly deps: SessionDeps,
  ) {
    this.log = deps.log.child({ callId: cmd.callId, orgId: cmd.orgId, direction: "outgoing" });
    this.callLog = new CallLog(cmd.callId, this.log);
    const { media_timeout_secs } = deps.config.calling;
    this.calleeMedia = new SilenceWatch(media_timeout_secs * 1000, () => void this.hangup(`No audio from the callee for ${media_timeout_secs} s`, "system"));
  }

  /** Talking with the callee through the gateway's bridge now. */
  get bridged() {
    return this.bridge !== null;
  }

  get callId() {
    return this.cmd.callId;
  }

  private async graph() {
    this.graphClient ??= await this.deps.graph(this.cmd.accountId);
    return this.graphClient;
  }

  private later(ms: number, fn: () => void): NodeJS.Timeout {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
    return t;
  }

  /** Sets the call up as far as `connect`; the reply goes back to the agent's route. */
  async start(): Promise<OutgoingReply> {
    const calling = this.deps.config.calling;
    this.recording = recordingWanted(calling, this.cmd.orgId).catch((err) => {
      this.log.error({ err }, "could not tell whether to record this call; it is not recorded");
      return false;
    });
    try {
      this.leg = await AgentLeg.answer(this.cmd.sdp, calling, this.deps.clock, (payload, ts, leg) => this.bridge?.fromAgent(payload, ts, leg));
      // Our offer puts Opus on 111; the callee's telephone-event packets are not passed to the agent.
      const wa = await createOffer(calling, (p: RtpPacket) => {
        this.calleeMedia.heard();
        if (p.header.payloadType === OPUS_PT) this.bridge?.fromCaller(p.payload, p.header.timestamp);
      });
      this.pc = wa.pc;
      this.player = new Player(wa.rtp.send, this.deps.clock, { ssrc: wa.transceiver.sender.ssrc });
      if (this.closed) throw new Error("The call ended while it was being set up");
      let connected: { callId: string };
      try {
        connected = await (await this.graph()).connect(this.cmd.to, wa.offer, this.cmd.callId);
      } catch (err) {
        const code = err instanceof GraphApiError ? err.code : null;
        const message = err instanceof GraphApiError ? err.message : (err as Error).message;
        this.log.warn({ code, err: errorText(err) }, "WhatsApp refused the outgoing call");
        await this.end("system", errorText(err), () => this.callLog.finish({ by: "system", error: errorText(err), failed: true }).then(() => {}));
        return { refused: { code, message } };
      }
      this.waCallId = connected.callId;
      this.log.info({ waCallId: connected.callId }, "connect sent; the user's phone is ringing");
      // Awaited: the status webhooks look the call up by this id (or by the callback data we sent).
      await this.callLog.dialled(connected.callId, this.deps.gatewayId);
      void callChanged(this.cmd.orgId, this.cmd.callId, "ringing");
      this.ringTimer = this.later(calling.outgoing_ring_timeout_secs * 1000, () => {
        if (!this.bridge) void this.hangup(`No answer within ${calling.outgoing_ring_timeout_secs} s`, "system", "missed");
      });
      this.later(calling.max_call_duration * 1000, () => void this.hangup("max_call_duration", "system"));
      void this.watchAgent(this.leg);
      return { sdp: this.leg.answer, waCallId: connected.callId };
    } catch (err) {
      if (!this.ending) {
        this.log.error({ err }, "setting up the outgoing call failed");
        await this.end("system", errorText(err), () =>
          this.callLog.finish({ by: "system", error: `Setting up the call failed: ${errorText(err)}`, failed: true }).then(() => {}),
        );
      }
      throw err;
    }
  }

  /** The agent's browser must connect; until the callee answers it hears ringback. */
  private async watchAgent(leg: AgentLeg) {
    try {
      await waitConnected(leg.pc, AGENT_CONNECT_MS);
    } catch {
      if (!this.closed) void this.hangup("The agent's browser could not connect to the call", "system");
      return;
    }
    void this.notifyAgent("connecting");
  }

  private async playRingback() {
    try {
      const packets = await fileAudio(this.deps.config.calling.ringback_file);
      if (!this.bridge && !this.closed) this.leg?.player.play(packets, { loop: true });
    } catch (err) {
      this.log.error({ err }, "ringback could not be loaded; the agent hears silence while it rings");
    }
  }

  /** RINGING / ACCEPTED / REJECTED from the status webhook. */
  onStatus(status: WaStatus) {
    if (this.closed) return;
    this.log.info({ status }, "call status from WhatsApp");
    if (status === "RINGING") {
      this.ringing = true;
      void this.playRingback();
    } else if (status === "REJECTED")
      void this.end("client", undefined, () =>
        this.callLog.finish({ by: "client", status: "rejected", error: "The contact declined the call" }).then(() => {}),
      );
  }

  /** WhatsApp's SDP answer (the `connect` webhook): apply it, bridge once media flows. */
  async onAnswer(sdp: string) {
    if (this.closed || this.answerApplied || !this.pc) return;
    this.answerApplied = true;
    const pc = this.pc;
    try {
      await pc.setRemoteDescription({ type: "answer", sdp });
      await waitConnected(pc, this.deps.config.gateway.answer_timeout_secs * 1000);
    } catch (err) {
      if (!this.closed) void this.fail(`The callee's media did not connect: ${errorText(err)}`);
      return;
    }
    if (this.closed || !this.player || !this.leg) return;
    clearTimeout(this.ringTimer);
    this.calleeMedia.start();
    this.leg.player.stop();
    this.bridge = new Bridge(this.player, this.leg, () => holdMusic(this.cmd.orgId, this.deps.config.calling.hold_music_file));
    const { callId } = this;
    const { gatewayId } = this.deps;
    void recordBridge(this.bridge, this.recording, { callId, gatewayId, dir: this.deps.config.calling.recordings_dir, log: this.log }, () => !this.closed);
    this.leg.watch((why) => void this.hangup(`The agent left: ${why}`, "system"), this.log);
    void this.callLog.answered(gatewayId);
    void this.callLog.bridged(this.cmd.agentId);
    void callbackReached(this.callId).catch((err) => this.log.error({ err }, "could not mark the callback task done"));
    this.log.info("callee answered; audio bridged");
    void this.notifyAgent("in_call");
    void callChanged(this.cmd.orgId, this.callId, "answered");
  }

  /**
   * Before the contact answers: the new page's leg replaces the old one at once and hears the
   * ringback from where it is; once WhatsApp answers, the bridge is built on it.
   */
  private async rejoinWhileRinging(cmd: AgentRejoin): Promise<RejoinReply> {
    if (cmd.agentId !== this.cmd.agentId) throw new Error("Only the agent on this call can rejoin it");
    if (!this.leg) throw new Error("The call is still being set up; try again in a moment");
    if (!cmd.force && this.leg.heardWithin(LEG_IN_USE_MS)) return { inUse: true };
    const leg = await AgentLeg.answer(cmd.sdp, this.deps.config.calling, this.deps.clock, (payload, ts, from) => this.bridge?.fromAgent(payload, ts, from));
    if (this.closed || this.bridge) {
      await leg.close();
      throw new Error(this.closed ? "The call ended while you were reconnecting" : "The contact answered while you were reconnecting; try again");
    }
    const old = this.leg;
    this.leg = leg;
    void old.close();
    this.log.info({ force: cmd.force }, "the agent rejoined the ringing call from a new page");
    void callMoved(this.cmd.agentId, this.callId, cmd.window);
    if (this.ringing) void this.playRingback();
    void this.watchAgent(leg);
    return { sdp: leg.answer, status: "dialing", bridgedAt: null };
  }

  private bridgedCall(): BridgedCall {
    const { callLog, bridge, callId } = this;
    return {
      bridge,
      callLog,
      orgId: this.cmd.orgId,
      callId,
      log: this.log,
      notifyAgent: (s) => this.notifyAgent(s),
      notBridged: "The call is not connected yet",
    };
  }

  hold() {
    return holdBridge(this.bridgedCall());
  }

  resume() {
    return resumeBridge(this.bridgedCall());
  }

  /** The agent is back from a new page (see rejoinBridge); this call then closes the new leg at its end. */
  async rejoin(cmd: AgentRejoin): Promise<RejoinReply> {
    if (!this.bridge) return this.rejoinWhileRinging(cmd);
    const reply = await rejoinBridge(
      {
        ...this.bridgedCall(),
        agentId: this.cmd.agentId,
        calling: this.deps.config.calling,
        clock: this.deps.clock,
        closed: () => this.closed,
        agentLost: (why) => void this.hangup(`The agent left: ${why}`, "system"),
      },
      cmd,
    );
    if (this.bridge) this.leg = this.bridge.leg;
    return reply;
  }

  private notifyAgent(status: AgentCallState, extra: Partial<CallUpdated> = {}) {
    const body: CallUpdated = { callId: this.callId, status, ...extra };
    return publish(channels.user(this.cmd.agentId), events.callUpdated, body).catch((err) => this.log.warn({ err }, "could not notify the agent"));
  }

  /** We end the call (agent, timeout, system): log first, then terminate at WhatsApp. */
  hangup(reason: string, by: DisconnectedBy, status?: "missed"): Promise<void> {
    this.log.info({ reason, by }, "ending the outgoing call");
    return this.end(by, reason, async () => {
      const error = by === "agent" ? undefined : reason;
      const closed = this.callLog.finish({ by, error, status }).catch((err) => this.log.error({ err }, "could not close the call log"));
      await Promise.race([closed, new Promise((r) => setTimeout(r, FINISH_WAIT_MS))]);
      await this.terminate();
    });
  }

  /** The callee hung up (terminate webhook; the webhook already closed the log). */
  callerHungUp(): Promise<void> {
    return this.end("client", undefined, () => this.callLog.finish({ by: "client" }).then(() => {}));
  }

  private fail(error: string): Promise<void> {
    return this.end("system", error, async () => {
      await this.callLog.finish({ by: "system", error, failed: true });
      await this.terminate();
    });
  }

  private async terminate() {
    if (!this.waCallId) return;
    try {
      await (await this.graph()).terminate(this.waCallId);
    } catch (err) {
      this.log.error({ err }, "terminate through the Graph API failed");
    }
  }

  /** Every ending goes through here once: media stops, the agent hears of it, the log lands. */
  private end(by: DisconnectedBy, reason: string | undefined, work: () => Promise<void>): Promise<void> {
    if (this.ending) return this.ending;
    this.ending = (async () => {
      const recording = this.close();
      const told = this.notifyAgent("ended", {
        endedBy: by,
        ...(by === "system" && reason ? { reason } : by === "client" && !this.bridge ? { reason: "The contact did not take the call" } : {}),
      });
      try {
        await work();
      } catch (err) {
        this.log.error({ err }, "finishing the call failed");
      } finally {
        await Promise.all([recording, told]);
        await this.callLog.flush();
        void callChanged(this.cmd.orgId, this.callId, "ended");
        this.deps.onClosed(this.callId);
      }
    })();
    return this.ending;
  }

  /** Closes timers, bridge (and recording), both peers; safe to call twice. */
  private async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.calleeMedia.stop();
    const recording = this.bridge?.close().catch((err) => this.log.error({ err }, "closing the recording failed"));
    this.player?.close();
    this.player = null;
    const pc = this.pc;
    this.pc = null;
    // The bridge's leg is this.leg, or the one a rejoin put in its place (close() is idempotent).
    await Promise.all([pc?.close().catch(() => {}), this.leg?.close(), this.bridge?.leg.close(), recording]);
  }
}
