// A virtual-clock host for the engine: used by the editor's "Test call", the ivr:sim CLI and tests.
// It keeps what a real host would (current prompt, timers, pending HTTP) without any real I/O.
import type { FlowDocument, Prompt } from "./document";
import { createSession, type SessionOptions, step } from "./engine";
import type { EngineAction, EngineEvent, EngineState, PathStep, TransferNotTaken } from "./types";

export interface SimulatedRequest {
  requestId: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  missingVariables: string[];
}

export class SimulatedCall {
  state: EngineState;
  now: number;
  readonly path: PathStep[] = [];
  readonly log: EngineAction[] = [];
  playing: { playbackId: string; prompt: Prompt; interruptible: boolean } | null = null;
  readonly timers = new Map<string, number>();
  pendingRequest: SimulatedRequest | null = null;
  transferTeamId: string | null = null;
  gotoFlowId: string | null = null;
  hangup: { reason: string; disconnectedBy: string } | null = null;
  /** Every prompt played, in order. */
  readonly prompts: Prompt[] = [];

  constructor(document: FlowDocument, opts: Partial<SessionOptions> & { now?: number } = {}) {
    this.now = opts.now ?? Date.UTC(2026, 0, 5, 10, 0); // a Monday, 10:00 UTC
    this.state = createSession(document, {
      callId: opts.callId ?? "sim-call",
      callerPhone: opts.callerPhone ?? "15550001234",
      flowId: opts.flowId ?? null,
      variables: opts.variables,
    });
  }

  get currentNodeId(): string | null {
    return this.state.node?.id ?? null;
  }

  get ended(): boolean {
    return this.state.phase === "ended";
  }

  send(event: EngineEvent): EngineAction[] {
    const { state, actions } = step(this.state, event);
    this.state = state;
    for (const a of actions) this.apply(a);
    // The engine gave up on the request (its timeout fired, the call moved on): a late answer would be ignored.
    if (this.pendingRequest && this.state.request !== this.pendingRequest.requestId) this.pendingRequest = null;
    return actions;
  }

  private apply(a: EngineAction) {
    this.log.push(a);
    switch (a.type) {
      case "play":
        this.playing = { playbackId: a.playbackId, prompt: a.prompt, interruptible: a.interruptible };
        this.prompts.push(a.prompt);
        break;
      case "stop_playback":
        if (this.playing?.playbackId === a.playbackId) this.playing = null;
        break;
      case "set_timer":
        this.timers.set(a.timerId, this.now + a.ms);
        break;
      case "cancel_timer":
        this.timers.delete(a.timerId);
        break;
      case "http_request":
        this.pendingRequest = { ...a };
        break;
      case "start_transfer":
        this.transferTeamId = a.teamId;
        break;
      case "goto_flow":
        this.gotoFlowId = a.flowId;
        break;
      case "hangup":
        this.hangup = { reason: a.reason, disconnectedBy: a.disconnectedBy };
        this.playing = null;
        this.timers.clear();
        break;
      case "path_step":
        this.path.push(a.step);
        break;
    }
  }

  start() {
    return this.send({ type: "start", now: this.now });
  }

  /** The current prompt plays to its end. */
  finishPrompt() {
    const p = this.playing;
    if (!p) throw new Error("nothing is playing");
    this.playing = null;
    return this.send({ type: "playback_done", playbackId: p.playbackId, now: this.now });
  }

  press(keys: string) {
    for (const digit of keys) this.send({ type: "digit", digit, now: this.now });
  }

  /** Moves the virtual clock, firing timers that fall due on the way, in order. */
  advance(ms: number) {
    const until = this.now + ms;
    for (;;) {
      const due = [...this.timers].filter(([, at]) => at <= until).sort((a, b) => a[1] - b[1])[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.now = due[1];
      this.send({ type: "timer_fired", timerId: due[0], now: this.now });
    }
    this.now = until;
  }

  respond(result: { status?: number; body?: string; error?: string }) {
    const req = this.pendingRequest;
    if (!req) throw new Error("no HTTP request is pending");
    this.pendingRequest = null;
    return this.send({ type: "http_result", requestId: req.requestId, now: this.now, ...result });
  }

  loadFlow(flowId: string, document: unknown) {
    this.gotoFlowId = null;
    return this.send({ type: "flow_loaded", flowId, document, now: this.now });
  }

  acceptTransfer(agentId: string) {
    return this.send({ type: "transfer_accepted", agentId, now: this.now });
  }

  transferTimeout(reason: TransferNotTaken = "timeout") {
    this.transferTeamId = null;
    return this.send({ type: "transfer_timeout", reason, now: this.now });
  }

  callerHangsUp() {
    return this.send({ type: "hangup", now: this.now });
  }

  /** Handles taken so far, as "nodeId:handle". */
  trail(): string[] {
    return this.path.map((p) => `${p.nodeId}:${p.handle ?? "end"}`);
  }
}
