// A call's way to a human: rings the team (hold music meanwhile), waits for the first accept or the
// timeout, answers the winning agent's browser with a second peer, and then owns the bridge.
import type { Logger } from "pino";
import { channels, events, type AgentCallState, type CallUpdated } from "../../lib/agents/contract";
import { callChanged, callMoved, closeTransfer, openTransfer, reopenTransfer, stillAnswerable } from "../../lib/agents/transfers";
import { missedCallAnswered } from "../../lib/callbacks/service";
import type { Config } from "../../lib/config";
import type { GatewayCommand, RejoinReply } from "../../lib/gateway/messages";
import { waitConnected } from "../../lib/media/webrtc";
import type { EngineAction, TransferNotTaken } from "../../lib/ivr";
import { publish } from "../../lib/realtime";
import type { MediaClock } from "../media/clock";
import type { Player } from "../media/player";
import { AgentLeg } from "./agent-leg";
import { Bridge } from "./bridge";
import { type BridgedCall, holdBridge, type Rejoinable, rejoinBridge, resumeBridge } from "./bridge-control";
import type { CallLog } from "./call-log";
import { holdMusic } from "./prompts";
import { recordBridge, recordingWanted } from "./recorder";

type StartTransfer = Extract<EngineAction, { type: "start_transfer" }>;
type AgentConnect = Extract<GatewayCommand, { type: "agent.connect" }>;
type AgentRejoin = Extract<GatewayCommand, { type: "agent.rejoin" }>;

export interface TransferHost {
  readonly gatewayId: string;
  readonly orgId: string;
  readonly callId: string;
  readonly log: Logger;
  readonly config: Config;
  readonly clock: MediaClock;
  readonly callLog: CallLog;
  /** The caller's player (exists once the call is answered). */
  player(): Player | null;
  variables(): Record<string, unknown>;
  /** Nobody took the call: the engine follows `no_answer` or says goodbye. */
  noAnswer(reason: TransferNotTaken): void;
  /** The agent is connected and hears the caller. */
  accepted(agentId: string): void;
  /** The agent's browser went away mid-call. */
  agentLost(why: string): void;
}

/** How long the gateway waits for the agent's browser to finish ICE/DTLS after answering it. */
const AGENT_CONNECT_MS = 15_000;
/** After the timeout, a claimed transfer gets this long for its agent to connect before it is dropped. */
const CLAIM_GRACE_MS = 20_000;
/** While a caller waits (a transfer that skips the wait when nobody is available), how often the gateway checks that someone still can answer. */
const RECHECK_MS = 3_000;
/** Checks in a row that found nobody before the caller stops waiting: rides over a quick status change. */
const NOBODY_CHECKS = 2;

export class AgentTransfer {
  private transferId: string | null = null;
  private deadline = 0;
  private timer: NodeJS.Timeout | undefined;
  /** Checks that someone can still answer while the caller waits (see RECHECK_MS). */
  private recheck: NodeJS.Timeout | undefined;
  private nobodyChecks = 0;
  private checking = false;
  private connecting: AgentLeg | null = null;
  /** Set while the transfer row is being created: an agent can see the offer before it resolves. */
  private starting: Promise<void> | null = null;
  private bridge: Bridge | null = null;
  /** Looked up when the transfer opens, so the bridge does not wait on the database. */
  private recording: Promise<boolean> = Promise.resolve(false);
  agentId: string | null = null;
  private closed = false;

  constructor(private readonly host: TransferHost) {}

  get waiting() {
    return this.transferId !== null;
  }

  get bridged() {
    return this.bridge !== null;
  }

  private holdMusic = () => holdMusic(this.host.orgId, this.host.config.calling.hold_music_file);

  private async playHoldMusic() {
    try {
      const packets = await this.holdMusic();
      if (this.transferId && !this.bridge && !this.closed) this.host.player()?.play(packets, { loop: true });
    } catch (err) {
      this.host.log.error({ err }, "hold music could not be loaded; the caller hears silence while waiting");
    }
  }

  /** The caller no longer waits (taken, given up, or the call is over): no timeout, no rechecks. */
  private stopWaiting() {
    clearTimeout(this.timer);
    clearInterval(this.recheck);
  }

  private arm(ms: number) {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.timedOut().catch((err) => this.host.log.error({ err }, "transfer timeout failed")), ms);
  }

  start(a: StartTransfer): Promise<void> {
    this.starting = this.open(a).finally(() => {
      this.starting = null;
    });
    return this.starting;
  }

  private async open(a: StartTransfer): Promise<void> {
    this.recording = recordingWanted(this.host.config.calling, this.host.orgId).catch((err) => {
      this.host.log.error({ err }, "could not tell whether to record this call; it is not recorded");
      return false;
    });
    try {
      const t = await openTransfer({ orgId: this.host.orgId, callId: this.host.callId, teamId: a.teamId, nodeId: a.nodeId, variables: this.host.variables() });
      if (this.closed) {
        await closeTransfer(t.transferId, "cancelled", "call_ended");
        return;
      }
      this.transferId = t.transferId;
      this.host.log.info({ transferId: t.transferId, teamId: a.teamId, rung: t.offeredTo.length }, "transfer started");
      if (t.offeredTo.length === 0 && a.skipWhenNoAgents) {
        await this.giveUp("no_agents");
        return;
      }
      void this.playHoldMusic();
      this.deadline = Date.now() + this.host.config.calling.transfer_timeout_secs * 1000;
      this.arm(this.host.config.calling.transfer_timeout_secs * 1000);
      // As at the start, so while waiting: nobody left who could answer (all away, signed out or
      // declined) does not keep the caller on hold music until the timeout.
      if (a.skipWhenNoAgents) this.recheck = setInterval(() => void this.checkAnswerable(t.transferId), RECHECK_MS);
    } catch (err) {
      this.host.log.error({ err }, "the transfer could not be started");
      if (!this.closed) this.host.noAnswer("timeout");
    }
  }

  private async checkAnswerable(transferId: string) {
    if (this.closed || this.transferId !== transferId) return clearInterval(this.recheck);
    if (this.checking) return;
    this.checking = true;
    try {
      // An agent connecting may yet take the call; if their leg fails, the count starts again.
      const left = this.connecting ? null : await stillAnswerable(transferId);
      if (!left || left.agents > 0 || this.connecting || this.transferId !== transferId) {
        this.nobodyChecks = 0;
        return;
      }
      this.nobodyChecks += 1;
      if (this.nobodyChecks >= NOBODY_CHECKS) await this.giveUp(left.declined ? "declined" : "no_agents");
    } catch (err) {
      this.host.log.warn({ err }, "could not check who can still answer; the caller keeps waiting");
    } finally {
      this.checking = false;
    }
  }

  private async giveUp(reason: TransferNotTaken, evenIfClaimed = false): Promise<boolean> {
    const id = this.transferId;
    if (!id || !(await closeTransfer(id, "timed_out", reason, evenIfClaimed))) return false;
    this.transferId = null;
    this.stopWaiting();
    if (this.closed) return true;
    this.host.player()?.stop();
    this.host.log.info({ transferId: id, reason }, "nobody took the transfer");
    this.host.noAnswer(reason);
    return true;
  }

  private async timedOut() {
    if (!this.transferId || this.closed) return;
    // An agent is connecting: give it the time it needs, but not forever.
    const overdue = Date.now() - this.deadline > CLAIM_GRACE_MS;
    if (this.connecting && !overdue) return this.arm(2_000);
    if (!(await this.giveUp("timeout", overdue))) this.arm(2_000);
  }

  /** The claiming agent's offer (from the accept route): answer it now, bridge once it connects. */
  async connect(cmd: AgentConnect): Promise<{ sdp: string }> {
    // The offer is visible (realtime, polling) as soon as the row exists; an agent may be quicker than us.
    await this.starting;
    if (this.closed || this.transferId !== cmd.transferId) throw new Error("The call is no longer waiting for an agent");
    if (this.connecting || this.bridge) throw new Error("Another agent is already connecting to this call");
    const leg = await AgentLeg.answer(cmd.sdp, this.host.config.calling, this.host.clock, (payload, ts, leg) => this.bridge?.fromAgent(payload, ts, leg));
    if (this.closed || this.transferId !== cmd.transferId) {
      await leg.close();
      throw new Error("The call ended while the agent was connecting");
    }
    this.connecting = leg;
    this.agentId = cmd.agentId;
    void this.notifyAgent("connecting");
    void this.bridgeWhenConnected(leg, cmd.agentId, cmd.transferId);
    return { sdp: leg.answer };
  }

  private async bridgeWhenConnected(leg: AgentLeg, agentId: string, transferId: string) {
    try {
      await waitConnected(leg.pc, AGENT_CONNECT_MS);
    } catch (err) {
      await leg.close();
      if (this.connecting !== leg) return; // another page of the agent took the call over
      this.connecting = null;
      if (this.closed) return;
      this.host.log.warn({ err, agentId }, "the agent's browser did not connect; the caller waits again");
      void this.notifyAgent("ended", { endedBy: "system", reason: "Your browser could not connect to the call" });
      this.agentId = null;
      await reopenTransfer(transferId, agentId).catch((e) => this.host.log.error({ err: e }, "reopening the transfer failed"));
      this.arm(Math.max(this.deadline - Date.now(), 5_000));
      return;
    }
    const player = this.host.player();
    if (this.closed || !player || this.connecting !== leg) return void leg.close();
    this.connecting = null;
    this.transferId = null;
    this.stopWaiting();
    this.bridge = new Bridge(player, leg, this.holdMusic);
    void this.startRecording(this.bridge);
    leg.watch((why) => this.host.agentLost(why), this.host.log);
    this.host.accepted(agentId);
    await this.host.callLog.bridged(agentId);
    // A first transfer may have timed out into this one: its callback task is no longer needed.
    void missedCallAnswered(this.host.callId).catch((err) => this.host.log.error({ err }, "could not close the callback task"));
    this.host.log.info({ agentId }, "agent connected; audio bridged");
    void this.notifyAgent("in_call");
    void callChanged(this.host.orgId, this.host.callId, "answered");
  }

  private startRecording(bridge: Bridge) {
    const { callId, gatewayId, log, config } = this.host;
    return recordBridge(bridge, this.recording, { callId, gatewayId, dir: config.calling.recordings_dir, log }, () => !this.closed);
  }

  /** The caller's Opus payloads (forwarded only while bridged and not on hold). */
  fromCaller(payload: Buffer, timestamp: number) {
    this.bridge?.fromCaller(payload, timestamp);
  }

  private bridgedCall(): BridgedCall {
    const { callLog, orgId, callId, log } = this.host;
    return { bridge: this.bridge, callLog, orgId, callId, log, notifyAgent: (s) => this.notifyAgent(s), notBridged: "The call is not connected to an agent" };
  }

  hold() {
    return holdBridge(this.bridgedCall());
  }

  resume() {
    return resumeBridge(this.bridgedCall());
  }

  /**
   * The agent on the call is back from a new page (see rejoinBridge). While the call the agent accepted
   * is still connecting, the page that accepted it has it: a rejoin is told it is in use, and a
   * take-over (a reload of that page, or "move the call here") replaces the leg still connecting.
   */
  async rejoin(cmd: AgentRejoin): Promise<RejoinReply> {
    if (!this.bridge && this.connecting && cmd.agentId === this.agentId) {
      if (!cmd.force) return { inUse: true };
      return this.replaceConnecting(cmd);
    }
    const { config, clock } = this.host;
    const rejoinable: Rejoinable = {
      agentId: this.agentId,
      calling: config.calling,
      clock,
      closed: () => this.closed,
      agentLost: (why) => this.host.agentLost(why),
    };
    return rejoinBridge({ ...this.bridgedCall(), ...rejoinable }, cmd);
  }

  /** The new page's leg takes the place of the one still connecting, and is bridged once it connects. */
  private async replaceConnecting(cmd: AgentRejoin): Promise<RejoinReply> {
    const { config, clock, callId, log } = this.host;
    const transferId = this.transferId;
    const leg = await AgentLeg.answer(cmd.sdp, config.calling, clock, (payload, ts, from) => this.bridge?.fromAgent(payload, ts, from));
    const old = this.connecting;
    if (this.closed || !old || this.bridge || !transferId || this.transferId !== transferId) {
      await leg.close();
      if (this.bridge && !this.closed) return this.rejoin(cmd); // the first page connected meanwhile
      throw new Error("The call is no longer waiting for you to connect");
    }
    this.connecting = leg;
    void old.close();
    log.info("the agent took the call to a new page while it was connecting");
    void callMoved(cmd.agentId, callId, cmd.window);
    void this.bridgeWhenConnected(leg, cmd.agentId, transferId);
    return { sdp: leg.answer, status: "in_call", bridgedAt: null };
  }

  private notifyAgent(status: AgentCallState, extra: Partial<CallUpdated> = {}) {
    if (!this.agentId) return Promise.resolve();
    const body: CallUpdated = { callId: this.host.callId, status, ...extra };
    return publish(channels.user(this.agentId), events.callUpdated, body);
  }

  /** The call is over: withdraw a waiting offer, tell the agent, close the agent leg. Idempotent. */
  async close(endedBy: CallUpdated["endedBy"], reason?: string): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopWaiting();
    let recording: Promise<void> = Promise.resolve();
    if (this.bridge) {
      recording = this.bridge.close().catch((err) => this.host.log.error({ err }, "closing the recording failed"));
      const { toAgent, toCaller } = this.bridge.forwardMs;
      this.host.log.info({ toAgent: toAgent.summary(), toCaller: toCaller.summary() }, "bridge closed; forwarding time per packet (ms)");
    }
    const legs = [this.bridge?.leg, this.connecting].filter((l): l is AgentLeg => !!l);
    await Promise.all(legs.map((l) => l.close()));
    const id = this.transferId;
    this.transferId = null;
    if (id) await closeTransfer(id, "cancelled", endedBy === "client" ? "caller_hung_up" : "call_ended", true).catch(() => {});
    await this.notifyAgent("ended", { endedBy, reason });
    await recording;
  }
}
