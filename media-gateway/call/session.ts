// One WhatsApp call on this gateway: answers it (pre_accept → ICE/DTLS → accept), runs the IVR
// (IvrRun; a transfer hands over to AgentTransfer), and closes everything it owns exactly once.
import type { Logger } from "pino";
import type { RTCPeerConnection, RtpPacket } from "werift";
import type { Config } from "../../lib/config";
import { publishedDocument } from "../../lib/flows/service";
import type { GatewayCommand } from "../../lib/gateway/messages";
import { DtmfDetector } from "../../lib/media/dtmf";
import { RtpLossCounter } from "../../lib/media/rtp-loss";
import { telephoneEventPayloadType } from "../../lib/media/sdp-payload-types";
import { waitConnected } from "../../lib/media/webrtc";
import type { DisconnectedBy } from "../../lib/ivr";
import { GraphApiError, type GraphClient } from "../../lib/whatsapp/graph-client";
import type { MediaClock } from "../media/clock";
import type { GatewayMetrics } from "../metrics";
import { Player } from "../media/player";
import { callChanged } from "../../lib/agents/transfers";
import { rejectIncomingCall } from "../../lib/calls/reject-incoming";
import { AgentTransfer } from "./agent-transfer";
import { tooLateToAnswer, watchAnswerDeadline } from "./answer-deadline";
import { CallLog } from "./call-log";
import { IvrRun } from "./ivr-run";
import { answerOffer } from "./peer";
import { SilenceWatch } from "./silence-watch";

type Assign = Extract<GatewayCommand, { type: "call.assign" }>;
type AgentConnect = Extract<GatewayCommand, { type: "agent.connect" }>;
type AgentRejoin = Extract<GatewayCommand, { type: "agent.rejoin" }>;

export interface SessionDeps {
  gatewayId: string;
  config: Config;
  clock: MediaClock;
  log: Logger;
  graph: (accountId: string) => Promise<GraphClient>;
  onClosed: (callId: string) => void;
  /** The call is answered: its setup is over (the web tier counts setups in flight against a budget). */
  onAnswered?: (callId: string) => void;
  /** The call's setup reached pre_accept (or was rejected late) `waitedMs` after its webhook (the setup budget adapts to it). */
  onSetupTimed?: (waitedMs: number, rejectedLate: boolean) => void;
  metrics?: GatewayMetrics;
}

const errorText = (err: unknown) => (err instanceof GraphApiError ? err.summary : (err as Error).message);

/** How long hangup waits for the call log to close before terminating at WhatsApp anyway. */
const FINISH_WAIT_MS = 2_000;

export class CallSession {
  readonly log: Logger;
  private readonly callLog: CallLog;
  private pc: RTCPeerConnection | null = null;
  private player: Player | null = null;
  private readonly ivr: IvrRun;
  private maxDuration: NodeJS.Timeout | undefined;
  private answered = false;
  /** The caller's side once answered: a phone gone without a terminate webhook ends the call. */
  private readonly callerMedia: SilenceWatch;
  private closed = false;
  private ending: Promise<void> | null = null;
  private graphClient: Promise<GraphClient> | null = null;
  private readonly agents: AgentTransfer;
  /** Aborted when the call closes: cancels HTTP callbacks still in flight. */
  private readonly ended = new AbortController();

  constructor(
    readonly cmd: Assign,
    private readonly deps: SessionDeps,
  ) {
    this.log = deps.log.child({ callId: cmd.callId, orgId: cmd.orgId, waCallId: cmd.waCallId });
    this.callLog = new CallLog(cmd.callId, this.log);
    const { media_timeout_secs } = deps.config.calling;
    this.callerMedia = new SilenceWatch(media_timeout_secs * 1000, () => void this.hangup(`No audio from the caller for ${media_timeout_secs} s`, "system"));
    this.agents = new AgentTransfer({
      gatewayId: deps.gatewayId,
      orgId: cmd.orgId,
      callId: cmd.callId,
      log: this.log,
      config: deps.config,
      clock: deps.clock,
      callLog: this.callLog,
      player: () => this.player,
      variables: () => this.ivr.variables,
      noAnswer: (reason) => this.ivr.dispatch({ type: "transfer_timeout", reason, now: Date.now() }),
      accepted: (agentId) => this.ivr.dispatch({ type: "transfer_accepted", agentId, now: Date.now() }),
      agentLost: (why) => void this.hangup(`The agent left: ${why}`, "system"),
    });
    this.ivr = new IvrRun({
      call: cmd,
      config: deps.config,
      log: this.log,
      callLog: this.callLog,
      player: () => this.player,
      startTransfer: (a) => void this.agents.start(a),
      hangup: (reason, by) => void this.hangup(reason, by),
      signal: this.ended.signal,
    });
  }

  get callId() {
    return this.cmd.callId;
  }

  /** Talking with an agent through the gateway's bridge now. */
  get bridged() {
    return this.agents.bridged;
  }

  /** One lookup shared by everyone who asks, even at the same time; a failed one is tried again next time. */
  private graph(): Promise<GraphClient> {
    this.graphClient ??= this.deps.graph(this.cmd.accountId).catch((err) => {
      this.graphClient = null;
      throw err;
    });
    return this.graphClient;
  }

  async start(): Promise<void> {
    const watchdog = watchAnswerDeadline(this.cmd.receivedAt, this.deps.config.gateway.setup_deadline_ms, (why, waited) => {
      if (this.closed) return;
      this.deps.onSetupTimed?.(waited, true);
      void this.fail(why, "reject at once", "rejected");
    });
    // The peer (CPU: a port, the offer, our answer) is made while PostgreSQL reads the flow and the
    // Graph API client: none waits for another on the way to pre_accept. A call that turns out not to
    // be answered closes the peer once it is made.
    let peer: ReturnType<typeof answerOffer> | undefined;
    const discardPeer = () =>
      void peer?.then(
        ({ pc }) => pc.close().catch(() => {}),
        () => {},
      );
    try {
      const graph = this.graph();
      graph.catch(() => {});
      const flow = publishedDocument(this.cmd.orgId, this.cmd.flowId, this.cmd.callId);
      flow.catch(() => {});
      const dtmf = new DtmfDetector();
      const dtmfPt = telephoneEventPayloadType(this.cmd.sdpOffer);
      const metrics = this.deps.metrics;
      const loss = new RtpLossCounter();
      peer = answerOffer(this.cmd.sdpOffer, this.deps.config.calling, (p: RtpPacket) => {
        this.callerMedia.heard();
        if (metrics) {
          metrics.rtpReceived.inc();
          const lost = loss.push(p.header.sequenceNumber);
          if (lost) metrics.rtpLost.inc(lost);
        }
        if (p.header.payloadType !== dtmfPt) return this.agents.fromCaller(p.payload, p.header.timestamp);
        const digit = dtmf.push(p.header.timestamp, p.payload);
        if (digit) {
          metrics?.dtmfDigits.inc();
          this.ivr.dispatch({ type: "digit", digit, now: Date.now() });
        }
      });
      peer.catch(() => {});
      const { status, document } = await flow;
      if (this.closed) return discardPeer();
      if (status !== "ringing") {
        discardPeer();
        this.log.info("call is no longer ringing; not answering");
        return this.drop();
      }
      if (!document) {
        discardPeer();
        return this.fail("The call-start flow has no valid published version", "reject");
      }
      if (dtmfPt === null) this.log.warn("the offer has no telephone-event/8000; digits cannot be read");
      const { pc, transceiver, rtp, answer } = await peer;
      peer = undefined;
      this.pc = pc;
      if (this.closed) {
        await pc.close().catch(() => {});
        return;
      }
      const late = tooLateToAnswer(this.cmd.receivedAt, this.deps.config.gateway.setup_deadline_ms);
      this.deps.onSetupTimed?.(Date.now() - this.cmd.receivedAt, late !== null);
      // Late: the reject goes out before the log write (which waits behind PostgreSQL at overload).
      if (late) return this.fail(late, "reject at once", "rejected");
      clearTimeout(watchdog);
      await (await graph).preAccept(this.cmd.waCallId, answer);
      await waitConnected(pc, this.deps.config.gateway.answer_timeout_secs * 1000);
      if (this.closed) return;
      await (await this.graph()).accept(this.cmd.waCallId, answer);
      this.answered = true;
      this.deps.onAnswered?.(this.cmd.callId);
      this.deps.metrics?.setupSeconds.observe((Date.now() - this.cmd.receivedAt) / 1000);
      // Not awaited: the call is answered whether or not PostgreSQL is there right now (the write retries).
      void this.callLog.answered(this.deps.gatewayId).catch((err) => this.log.error({ err }, "could not record that the call was answered"));
      this.log.info("call answered; media started");
      this.player = new Player(rtp.send, this.deps.clock, { ssrc: transceiver.sender.ssrc });
      this.maxDuration = setTimeout(() => void this.hangup("max_call_duration", "system"), this.deps.config.calling.max_call_duration * 1000);
      this.callerMedia.start();
      this.ivr.start(document);
    } catch (err) {
      discardPeer();
      if (this.closed) return;
      this.log.error({ err }, "answering the call failed");
      await this.fail(`Answering failed: ${errorText(err)}`, this.answered ? "terminate" : "reject");
    } finally {
      clearTimeout(watchdog);
    }
  }

  /** Commands from the agent's routes (through the owning gateway's inbox, with a reply). */
  connectAgent(cmd: AgentConnect) {
    if (this.closed) return Promise.reject(new Error("The call has ended"));
    return this.agents.connect(cmd);
  }

  rejoin(cmd: AgentRejoin) {
    if (this.closed) return Promise.reject(new Error("The call has ended"));
    return this.agents.rejoin(cmd);
  }

  hold() {
    return this.agents.hold();
  }

  resume() {
    return this.agents.resume();
  }

  /**
   * Every way a call ends goes through here once: media stops at once, then the end work
   * (log, Graph API) runs, and only then does the gateway forget the call (so a shutting-down
   * process waits for it).
   */
  private end(by: DisconnectedBy, reason: string | undefined, work: () => Promise<void>): Promise<void> {
    if (this.ending) return this.ending;
    this.deps.metrics?.callsEnded.inc({ disconnected_by: by });
    this.ending = (async () => {
      await this.close();
      // The agent's leg closes and their panel hears of it while the log and Graph API work run.
      const agentSide = this.agents.close(by, by === "system" ? reason : undefined).catch((err) => this.log.error({ err }, "closing the agent side failed"));
      try {
        await work();
      } catch (err) {
        this.log.error({ err }, "finishing the call failed");
      } finally {
        await agentSide;
        // The call is over at WhatsApp and on the wire; its log may still be retrying (PostgreSQL
        // down). The session ends when the log has landed, so a shutdown never drops it.
        await this.callLog.flush();
        void callChanged(this.cmd.orgId, this.cmd.callId, "ended");
        this.deps.onClosed(this.cmd.callId);
      }
    })();
    return this.ending;
  }

  /** We end the call: close the log, terminate at WhatsApp, release everything. */
  hangup(reason: string, by: DisconnectedBy): Promise<void> {
    this.log.info({ reason, by }, "ending the call");
    return this.end(by, reason, async () => {
      // Close the log first: Meta's terminate webhook then finds it closed and keeps disconnected_by.
      const error = reason === "flow_hangup" || by === "agent" ? undefined : reason === "transfer_timeout" ? "No agent accepted the transfer" : reason;
      // Wait briefly for the log, not for a PostgreSQL outage: the write keeps retrying after terminate.
      const closed = this.callLog.finish({ by, error }).catch((err) => this.log.error({ err }, "could not close the call log"));
      await Promise.race([closed, new Promise((r) => setTimeout(r, FINISH_WAIT_MS))]);
      try {
        await (await this.graph()).terminate(this.cmd.waCallId);
      } catch (err) {
        this.log.error({ err }, "terminate through the Graph API failed");
      }
    });
  }

  /** WhatsApp told us the caller hung up (terminate webhook). */
  callerHungUp(): Promise<void> {
    this.ivr.dispatch({ type: "hangup", now: Date.now() });
    return this.end("client", undefined, () => this.callLog.finish({ by: "client" }));
  }

  private fail(error: string, how: "reject" | "reject at once" | "terminate", outcome: "failed" | "rejected" = "failed"): Promise<void> {
    return this.end("system", error, async () => {
      if (how !== "terminate") {
        const status = outcome === "failed" ? "failed" : "rejected";
        await rejectIncomingCall({
          callId: this.callId,
          waCallId: this.cmd.waCallId,
          reason: error,
          graph: () => this.graph(),
          log: this.log,
          onLogError: "reject",
          status,
          rejectFirst: how === "reject at once",
        });
        return;
      }
      let text = error;
      try {
        await (await this.graph()).terminate(this.cmd.waCallId);
      } catch (err) {
        text = `${error}; terminate failed: ${errorText(err)}`;
      }
      await this.callLog.finish({ by: "system", error: text, failed: outcome === "failed" });
      this.log.warn({ error: text }, "call failed");
    });
  }

  /** A call we decided not to answer at all (it was no longer ringing). */
  private drop(): Promise<void> {
    return this.end("system", undefined, async () => {});
  }

  /** Closes the IVR, player, timers and peer; safe to call twice and from any state. */
  private async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.ended.abort(new Error("the call ended"));
    this.ivr.close();
    clearTimeout(this.maxDuration);
    this.callerMedia.stop();
    this.player?.close();
    this.player = null;
    const pc = this.pc;
    this.pc = null;
    await pc?.close().catch(() => {});
  }
}
