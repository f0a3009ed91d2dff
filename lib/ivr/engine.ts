// The IVR session loop: (state, event) -> { state, actions }. Pure: no I/O, no clock, no randomness.
// The host (media gateway, editor simulator, CLI) executes the actions and feeds back events.
import type { DraftNode, FlowDocument, Prompt } from "./document";
import { nodeSpec } from "./nodes";
import type { NodeRuntime, Outcome } from "./nodes/node";
import type { DisconnectedBy, EngineAction, EngineEvent, EngineState, StepResult } from "./types";
import { validateFlow } from "./validate";

export interface SessionOptions {
  callId: string;
  callerPhone: string;
  flowId?: string | null;
  variables?: Record<string, unknown>;
}

/** A new session for a validated (executable) document; feed it a `start` event. */
export function createSession(document: FlowDocument, opts: SessionOptions): EngineState {
  return {
    callId: opts.callId,
    callerPhone: opts.callerPhone,
    flowId: opts.flowId ?? null,
    document,
    phase: "idle",
    variables: { ...opts.variables, caller_phone: opts.callerPhone, call_id: opts.callId },
    steps: 0,
    seq: 0,
    pathSeq: 0,
    typeahead: "",
    node: null,
    playing: null,
    timer: null,
    request: null,
    retries: {},
    ending: null,
    outcome: null,
  };
}

class Session {
  readonly actions: EngineAction[] = [];
  now = 0;
  constructor(readonly s: EngineState) {}

  emit(action: EngineAction) {
    this.actions.push(action);
    return "";
  }

  nextId(prefix: string) {
    this.s.seq += 1;
    return `${prefix}${this.s.seq}`;
  }

  currentNode(): DraftNode | undefined {
    const id = this.s.node?.id;
    return id ? this.s.document.nodes.find((n) => n.id === id) : undefined;
  }

  play(prompt: Prompt, interruptible: boolean) {
    this.stopPlayback();
    const playbackId = this.nextId("p");
    this.s.playing = playbackId;
    this.emit({ type: "play", playbackId, prompt, interruptible, loop: false });
  }

  stopPlayback() {
    if (this.s.playing) this.emit({ type: "stop_playback", playbackId: this.s.playing });
    this.s.playing = null;
  }

  setTimer(seconds: number) {
    this.cancelTimer();
    const timerId = this.nextId("t");
    this.s.timer = timerId;
    this.emit({ type: "set_timer", timerId, ms: seconds * 1000 });
  }

  cancelTimer() {
    if (this.s.timer) this.emit({ type: "cancel_timer", timerId: this.s.timer });
    this.s.timer = null;
  }

  edgeTarget(nodeId: string, handle: string): string | undefined {
    return this.s.document.edges.find((e) => e.source === nodeId && e.sourceHandle === handle)?.target;
  }

  runtime(node: DraftNode): NodeRuntime<unknown> {
    const self = this;
    const local = this.s.node?.local ?? {};
    return {
      config: node.config,
      node,
      now: this.now,
      state: this.s,
      local,
      play: (p, i) => self.play(p, i),
      stopPlayback: () => self.stopPlayback(),
      setTimer: (secs) => self.setTimer(secs),
      cancelTimer: () => self.cancelTimer(),
      hasEdge: (h) => self.edgeTarget(node.id, h) !== undefined,
      emit: (a) => self.emit(a),
      nextId: (p) => self.nextId(p),
      takeDigit() {
        const d = self.s.typeahead[0];
        self.s.typeahead = self.s.typeahead.slice(1);
        return d;
      },
      bufferDigit(d) {
        self.s.typeahead = (self.s.typeahead + d).slice(-32);
      },
      retry(handle, maxRetries, replay) {
        const count = (self.s.retries[node.id] ?? 0) + 1;
        self.s.retries[node.id] = count;
        if (count > maxRetries) return { kind: "next", handle: "max_retries" };
        if (self.edgeTarget(node.id, handle) !== undefined) return { kind: "next", handle, retry: true } as Outcome;
        return replay();
      },
    };
  }

  /** Closes the current node's path step. */
  leave(handle: string | null, extra: { digits?: string; variables?: Record<string, unknown>; error?: string } = {}) {
    const cur = this.s.node;
    const node = this.currentNode();
    if (!cur || !node) return;
    this.s.pathSeq += 1;
    this.emit({
      type: "path_step",
      step: {
        seq: this.s.pathSeq,
        flowId: this.s.flowId,
        nodeId: node.id,
        nodeType: node.type,
        label: node.label,
        handle,
        ...extra,
        enteredAt: cur.enteredAt,
        leftAt: this.now,
      },
    });
    this.s.node = null;
  }

  /** A path entry for a failure outside any node (missing node, internal error). */
  systemStep(error: string) {
    this.s.pathSeq += 1;
    const step = { seq: this.s.pathSeq, flowId: this.s.flowId, nodeId: "system", nodeType: "system", label: "System" };
    this.emit({ type: "path_step", step: { ...step, handle: "error", error, enteredAt: this.now, leftAt: this.now } });
    this.s.node = null;
  }

  /** Ends the call because of a flow problem: goodbye (if any), then hang up as the system. */
  fail(reason: string) {
    this.stopPlayback();
    this.cancelTimer();
    this.s.request = null;
    if (this.currentNode()) this.leave("error", { error: reason });
    else this.systemStep(reason);
    this.endWith(this.s.document.settings.errorPrompt, reason, "system");
  }

  endWith(prompt: Prompt | null | undefined, reason: string, by: DisconnectedBy) {
    this.stopPlayback();
    this.cancelTimer();
    if (prompt && (prompt.assetId || prompt.text?.trim())) {
      this.s.phase = "ending";
      this.s.ending = { reason, disconnectedBy: by };
      this.play(prompt, false);
      return;
    }
    this.hangup(reason, by);
  }

  hangup(reason: string, by: DisconnectedBy) {
    this.stopPlayback();
    this.cancelTimer();
    this.s.phase = "ended";
    this.s.ending = null;
    this.s.outcome = { kind: "hangup", reason, disconnectedBy: by };
    this.emit({ type: "hangup", reason, disconnectedBy: by });
  }

  /** Enters `nodeId` and follows immediate outcomes (timing, type-ahead) iteratively. */
  enter(nodeId: string) {
    let next: string | undefined = nodeId;
    while (next !== undefined) {
      const id: string = next;
      next = undefined;
      const node = this.s.document.nodes.find((n) => n.id === id);
      if (!node) {
        this.fail(`Node ${id} does not exist`);
        return;
      }
      this.s.node = { id, enteredAt: this.now, local: {} };
      this.s.steps += 1;
      if (this.s.steps > this.s.document.settings.maxSteps) {
        this.fail(`Loop guard: more than ${this.s.document.settings.maxSteps} steps in one call`);
        return;
      }
      next = this.apply(node, nodeSpec(node.type).enter(this.runtime(node)));
    }
  }

  /** Applies a node's outcome; returns the next node id to enter immediately, if any. */
  apply(node: DraftNode, outcome: Outcome): string | undefined {
    if (!outcome) return undefined;
    switch (outcome.kind) {
      case "next": {
        const retrying = (outcome as { retry?: boolean }).retry === true;
        if (!retrying) delete this.s.retries[node.id];
        if (outcome.vars) Object.assign(this.s.variables, outcome.vars);
        const target = this.edgeTarget(node.id, outcome.handle);
        this.cancelTimer();
        this.stopPlayback();
        if (target === undefined) {
          this.fail(`“${node.label || node.id}” has no connection for ${outcome.handle}`);
          return undefined;
        }
        this.leave(outcome.handle, { digits: outcome.digits, variables: outcome.vars });
        return target;
      }
      case "transfer":
        this.leave(null);
        this.s.phase = "transferring";
        this.s.transferNodeId = node.id;
        this.emit({ type: "start_transfer", teamId: outcome.teamId, nodeId: node.id, skipWhenNoAgents: outcome.skipWhenNoAgents ?? true });
        return undefined;
      case "goto":
        this.leave(null);
        this.s.phase = "awaiting_flow";
        this.emit({ type: "goto_flow", flowId: outcome.flowId });
        return undefined;
      case "hangup":
        this.leave(null);
        this.endWith(outcome.prompt, "flow_hangup", "system");
        return undefined;
    }
  }

  onEvent(event: EngineEvent) {
    this.now = event.now;
    const s = this.s;
    if (s.phase === "ended") return;
    if (event.type === "hangup") {
      this.stopPlayback();
      this.cancelTimer();
      this.leave("caller_hangup");
      s.phase = "ended";
      s.outcome = { kind: "hangup", reason: "caller_hangup", disconnectedBy: "client" };
      return;
    }
    switch (s.phase) {
      case "idle":
        if (event.type === "start") {
          s.phase = "running";
          this.enter(s.document.entryNodeId);
        }
        return;
      case "ending":
        if (event.type === "playback_done" && event.playbackId === s.playing && s.ending) {
          s.playing = null;
          this.hangup(s.ending.reason, s.ending.disconnectedBy);
        }
        return;
      case "awaiting_flow":
        if (event.type === "flow_loaded") this.switchFlow(event.flowId, event.document);
        return;
      case "transferring":
        if (event.type === "transfer_accepted") {
          s.phase = "connected";
          s.outcome = { kind: "connected", agentId: event.agentId };
        } else if (event.type === "transfer_timeout") {
          this.noAnswer(event.reason ?? "timeout");
        }
        return;
      case "running":
        this.running(event);
        return;
      default:
        return;
    }
  }

  running(event: EngineEvent) {
    const s = this.s;
    // Stale completions (a prompt already stopped, a cancelled timer, an old request) are ignored.
    if (event.type === "playback_done") {
      if (event.playbackId !== s.playing) return;
      s.playing = null;
    }
    if (event.type === "timer_fired") {
      if (event.timerId !== s.timer) return;
      s.timer = null;
    }
    if (event.type === "http_result" && event.requestId !== s.request) return;
    if (event.type === "digit" && !/^[0-9*#]$/.test(event.digit)) return;
    const node = this.currentNode();
    if (!node) return;
    const spec = nodeSpec(node.type);
    const next = this.apply(node, spec.onEvent?.(this.runtime(node), event));
    if (next !== undefined) this.enter(next);
  }

  /** Nobody took the transfer: follow the node's `no_answer` output, else the "no agent" goodbye. */
  noAnswer(reason: "timeout" | "no_agents") {
    const nodeId = this.s.transferNodeId;
    this.s.transferNodeId = null;
    const target = nodeId ? this.edgeTarget(nodeId, "no_answer") : undefined;
    if (target === undefined) {
      this.endWith(this.s.document.settings.noAgentPrompt, "transfer_timeout", "system");
      return;
    }
    const node = this.s.document.nodes.find((n) => n.id === nodeId)!;
    this.s.phase = "running";
    this.s.pathSeq += 1;
    this.emit({
      type: "path_step",
      step: { seq: this.s.pathSeq, flowId: this.s.flowId, nodeId: node.id, nodeType: node.type, label: node.label, handle: "no_answer", variables: { transfer_result: reason }, enteredAt: this.now, leftAt: this.now },
    });
    this.enter(target);
  }

  switchFlow(flowId: string, raw: unknown) {
    if (raw === null || raw === undefined) {
      this.endWith(this.s.document.settings.errorPrompt, `Flow ${flowId} was not found`, "system");
      return;
    }
    const result = validateFlow(raw);
    if (!result.document) {
      this.endWith(this.s.document.settings.errorPrompt, `Flow ${flowId} is not valid and cannot run`, "system");
      return;
    }
    this.s.document = result.document;
    this.s.flowId = flowId;
    this.s.phase = "running";
    this.enter(result.document.entryNodeId);
  }
}

function cloneState(state: EngineState): EngineState {
  // Documents are never mutated, so they are shared; everything else is copied.
  const { document, ...rest } = state;
  return { ...structuredClone(rest), document };
}

/** Advances the session by one event. Never throws: an internal error ends the call cleanly. */
export function step(state: EngineState, event: EngineEvent): StepResult {
  const session = new Session(cloneState(state));
  try {
    session.onEvent(event);
  } catch (err) {
    const recovery = new Session(cloneState(state));
    recovery.now = event.now;
    recovery.fail(`Internal error: ${(err as Error).message}`);
    return { state: recovery.s, actions: recovery.actions };
  }
  return { state: session.s, actions: session.actions };
}
