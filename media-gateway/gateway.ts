// The gateway process's core: takes commands from its Redis inbox and owns the call sessions.
import type { Logger } from "pino";
import type { Config } from "../lib/config";
import { rejectIncomingCall } from "../lib/calls/reject-incoming";
import type { GatewayAgent } from "../lib/gateway/agent";
import type { Envelope, GatewayCommand } from "../lib/gateway/messages";
import { SetupBudget } from "../lib/gateway/setup-budget";
import type { GraphClient } from "../lib/whatsapp/graph-client";
import { PEERS_PER_CALL, type PortPool } from "./call/port-pool";
import { OutgoingCall } from "./call/outgoing-call";
import { tooLateToAnswer } from "./call/answer-deadline";
import { CallSession } from "./call/session";
import type { MediaClock } from "./media/clock";
import type { GatewayMetrics } from "./metrics";

/** How often the gateway hands back slots the web tier still counts for calls it does not hold. */
const RECONCILE_MS = 15_000;

export class MediaGateway {
  readonly sessions = new Map<string, CallSession | OutgoingCall>();
  private stopping = false;
  private loop: Promise<void> | null = null;
  private reconciler: NodeJS.Timeout | undefined;
  private readonly refusing = new Set<Promise<void>>();
  /** Null without a budget or a deadline (then the configured budget, if any, stays as it is). */
  private readonly setupBudget: SetupBudget | null;

  constructor(
    private readonly agent: GatewayAgent,
    private readonly deps: {
      config: Config;
      clock: MediaClock;
      log: Logger;
      graph: (accountId: string) => Promise<GraphClient>;
      /** The answering peers' ports; with it, a call is taken only while both its peers have one. */
      ports?: PortPool;
      metrics?: GatewayMetrics;
      /** How late the event loop runs; while overloaded, new calls are refused at once. */
      loop?: { overloaded: boolean; lateMs: number };
    },
  ) {
    const { setup_budget: max, setup_deadline_ms: deadlineMs } = deps.config.gateway;
    this.setupBudget =
      max > 0 && deadlineMs > 0
        ? new SetupBudget({
            max,
            deadlineMs,
            onChange: (budget) => {
              const cut = budget < (this.agent.info.setupBudget ?? max);
              // Published at once: the web tier admits against it.
              this.agent.info = { ...this.agent.info, setupBudget: budget };
              void this.agent.heartbeat().catch(() => {});
              if (cut) deps.log.info({ setupBudget: budget, max }, "setups reach pre_accept late: fewer at once");
              else deps.log.debug({ setupBudget: budget, max }, "setups are quick: one more at once");
            },
          })
        : null;
  }

  get id() {
    return this.agent.info.id;
  }

  /** Calls talking with an agent now. */
  get bridgedCalls() {
    let n = 0;
    for (const s of this.sessions.values()) if (s.bridged) n += 1;
    return n;
  }

  /** Calls this gateway takes (published in its registration; the web tier admits against it). */
  get capacity() {
    return this.agent.info.capacity;
  }

  start() {
    const reconcile = () =>
      this.agent
        .reconcileCalls(new Set(this.sessions.keys()))
        .then((r) => (r.freed || r.restored) && this.deps.log.warn(r, "corrected the web tier's count of this gateway's calls"))
        .catch((err) => this.deps.log.error({ err }, "reconciling call slots failed"));
    void reconcile();
    this.reconciler = setInterval(reconcile, RECONCILE_MS);
    this.loop = (async () => {
      while (!this.stopping) {
        try {
          for (const env of await this.agent.nextBatch(1)) this.handle(env);
        } catch (err) {
          if (!this.stopping) this.deps.log.error({ err }, "reading the gateway inbox failed");
          await new Promise((r) => setTimeout(r, 500));
        }
      }
    })();
  }

  /** tooLateToAnswer, counted against the setup budget when it is. */
  private tooLate(receivedAt: number) {
    const late = tooLateToAnswer(receivedAt, this.deps.config.gateway.setup_deadline_ms);
    if (late) this.setupBudget?.observe(Date.now() - receivedAt, true);
    return late;
  }

  private updateLoad() {
    this.agent.setLoad(this.sessions.size);
  }

  handle(env: Envelope) {
    const cmd = env.command;
    const session = this.sessions.get(cmd.callId);
    switch (cmd.type) {
      case "call.assign": {
        if (session) return;
        const full = this.stopping ? `Media gateway ${this.id} is shutting down` : (this.fullBecause() ?? this.tooLate(cmd.receivedAt));
        if (full) return void this.refuse(cmd, full);
        const s = new CallSession(cmd, {
          gatewayId: this.id,
          ...this.deps,
          onClosed: (callId) => this.closed(callId),
          onAnswered: (callId) => void this.agent.setupDone(callId).catch(() => {}),
          onSetupTimed: (waitedMs, rejectedLate) => this.setupBudget?.observe(waitedMs, rejectedLate),
        });
        this.sessions.set(cmd.callId, s);
        this.updateLoad();
        void s.start();
        return;
      }
      case "call.outgoing": {
        if (session) return;
        const full = this.stopping ? `Media gateway ${this.id} is shutting down` : this.fullBecause();
        if (full) {
          void this.agent.releaseCall(cmd.callId).catch(() => {});
          void this.agent.reply(env, { ok: false, error: full }).catch(() => {});
          return;
        }
        const s = new OutgoingCall(cmd, { gatewayId: this.id, ...this.deps, onClosed: (callId) => this.closed(callId) });
        this.sessions.set(cmd.callId, s);
        this.updateLoad();
        this.answer(env, s, (o) => (o as OutgoingCall).start());
        return;
      }
      case "call.status":
        if (session instanceof OutgoingCall) session.onStatus(cmd.status);
        return;
      case "call.answer_sdp":
        if (session instanceof OutgoingCall) void session.onAnswer(cmd.sdp);
        return;
      case "call.terminated":
        void session?.callerHungUp();
        return;
      case "call.hangup":
        this.answer(env, session, async (s) => {
          await s.hangup(cmd.reason ?? `${cmd.by} hung up`, cmd.by);
          return { status: "ended" };
        });
        return;
      case "agent.connect":
        this.answer(env, session, (s) =>
          s instanceof CallSession ? s.connectAgent(cmd) : Promise.reject(new Error("An outgoing call has no transfer to accept")),
        );
        return;
      case "agent.rejoin":
        this.answer(env, session, (s) => s.rejoin(cmd));
        return;
      case "call.hold":
        this.answer(env, session, (s) => s.hold());
        return;
      case "call.resume":
        this.answer(env, session, (s) => s.resume());
        return;
    }
  }

  private closed(callId: string) {
    this.sessions.delete(callId);
    this.updateLoad();
    void this.agent.releaseCall(callId).catch(() => {});
  }

  /** Why a new call cannot be taken now, or null. */
  private fullBecause(): string | null {
    if (this.sessions.size >= this.capacity) return `Media gateway ${this.id} is full (${this.sessions.size} of ${this.capacity} calls)`;
    const ports = this.deps.ports;
    if (ports && ports.available < PEERS_PER_CALL) return `Media gateway ${this.id} has no free UDP ports (${ports.inUse} of ${ports.size} in use)`;
    const loop = this.deps.loop;
    if (loop?.overloaded) return `Media gateway ${this.id} is overloaded (its event loop runs ${Math.round(loop.lateMs)} ms late)`;
    return null;
  }

  /**
   * The web tier admits calls against this gateway's capacity in Redis; should a call arrive anyway
   * (its slot count was lost), it is rejected at once rather than left ringing into silence.
   */
  private refuse(cmd: Extract<GatewayCommand, { type: "call.assign" }>, reason: string): Promise<void> {
    const work = this.rejectCall(cmd, reason).finally(() => this.refusing.delete(work));
    this.refusing.add(work);
    return work;
  }

  private async rejectCall(cmd: Extract<GatewayCommand, { type: "call.assign" }>, reason: string) {
    const log = this.deps.log.child({ callId: cmd.callId, orgId: cmd.orgId, waCallId: cmd.waCallId });
    await rejectIncomingCall({ callId: cmd.callId, waCallId: cmd.waCallId, reason, graph: () => this.deps.graph(cmd.accountId), log, onLogError: "reject" });
    await this.agent.releaseCall(cmd.callId).catch(() => {});
  }

  /** Runs a command against the call and replies to the requester (if it asked for a reply). */
  private answer(env: Envelope, session: CallSession | OutgoingCall | undefined, fn: (s: CallSession | OutgoingCall) => Promise<unknown>) {
    const work = session ? fn(session) : Promise.reject(new Error("This gateway no longer holds the call; it has ended"));
    work
      .then(
        (result) => this.agent.reply(env, { ok: true, result }),
        (err: Error) => {
          this.deps.log.warn({ callId: env.command.callId, type: env.command.type, err: err.message }, "call command failed");
          return this.agent.reply(env, { ok: false, error: err.message });
        },
      )
      .catch((err) => this.deps.log.error({ err }, "replying to a call command failed"));
  }

  /**
   * A reaper declared this gateway dead (its heartbeats missed Redis for longer than the grace
   * period) and already ended its calls at WhatsApp and in the log: stop their media as well,
   * instead of streaming to callers who are gone.
   */
  async endFencedCalls(reapedAt: number): Promise<void> {
    const calls = [...this.sessions.values()];
    this.deps.log.error({ reapedAt: new Date(reapedAt).toISOString(), calls: calls.length }, "this gateway was reaped while alive; ending its calls");
    await Promise.all(calls.map((s) => s.hangup("The media gateway lost Redis for too long; its calls were ended", "system")));
  }

  /** Stops taking calls, lets active ones finish within the grace period, then ends the rest. */
  async shutdown(graceMs: number): Promise<void> {
    this.stopping = true;
    clearInterval(this.reconciler);
    this.agent.info = { ...this.agent.info, draining: true };
    await this.agent.heartbeat().catch(() => {});
    const deadline = Date.now() + graceMs;
    while (this.sessions.size && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    await Promise.all([...this.sessions.values()].map((s) => s.hangup("gateway_shutdown", "system")));
    await this.loop;
    // Calls handed over just before the registry showed us draining are rejected, not left ringing.
    for (let env = await this.agent.next(0.01).catch(() => null); env; env = await this.agent.next(0.01).catch(() => null)) this.handle(env);
    await Promise.all(this.refusing);
    await this.agent.close();
  }
}
