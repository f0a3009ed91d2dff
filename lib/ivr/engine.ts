// The IVR session loop: (state, event) -> { state, actions }. Pure: no I/O, no clock, no randomness.
// The host (media gateway, editor simulator, CLI) executes the actions and feeds back events.
// Node behaviour lives in nodes/*, bookkeeping in session.ts, transfer fallback and Goto Flow in handoff.ts.
import type { DraftNode, FlowDocument } from "./document";
import { switchFlow, transferNotTaken } from "./handoff";
import { nodeSpec } from "./nodes";
import type { Outcome } from "./nodes/node";
import { Session } from "./session";
import type { EngineEvent, EngineState, StepResult } from "./types";

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

/** Enters `nodeId` and follows immediate outcomes (timing, type-ahead) iteratively. */
function enter(session: Session, nodeId: string | undefined) {
  const s = session.s;
  let next = nodeId;
  while (next !== undefined) {
    const id: string = next;
    next = undefined;
    const node = session.findNode(id);
    if (!node) {
      session.fail(`Node ${id} does not exist`);
      return;
    }
    s.node = { id, enteredAt: session.now, local: {} };
    s.steps += 1;
    if (s.steps > s.document.settings.maxSteps) {
      session.fail(`Loop guard: more than ${s.document.settings.maxSteps} steps in one call`);
      return;
    }
    next = apply(session, node, nodeSpec(node.type).enter(session.runtime(node)));
  }
}

/** Applies a node's outcome; returns the next node id to enter immediately, if any. */
function apply(session: Session, node: DraftNode, outcome: Outcome): string | undefined {
  const s = session.s;
  if (!outcome) return undefined;
  switch (outcome.kind) {
    case "next": {
      const retrying = (outcome as { retry?: boolean }).retry === true;
      if (!retrying) delete s.retries[node.id];
      if (outcome.vars) Object.assign(s.variables, outcome.vars);
      const target = session.edgeTarget(node.id, outcome.handle);
      session.cancelTimer();
      session.stopPlayback();
      if (target === undefined) {
        session.fail(`“${node.label || node.id}” has no connection for ${outcome.handle}`);
        return undefined;
      }
      session.leave(outcome.handle, { digits: outcome.digits, variables: outcome.vars });
      return target;
    }
    case "transfer":
      session.leave(null);
      s.phase = "transferring";
      s.transferNodeId = node.id;
      session.emit({ type: "start_transfer", teamId: outcome.teamId, nodeId: node.id, skipWhenNoAgents: outcome.skipWhenNoAgents ?? true });
      return undefined;
    case "goto":
      session.leave(null);
      s.phase = "awaiting_flow";
      session.emit({ type: "goto_flow", flowId: outcome.flowId });
      return undefined;
    case "hangup":
      session.leave(null);
      session.endWith(outcome.prompt, "flow_hangup", "system");
      return undefined;
  }
}

/** An event for the node that is running: stale completions are dropped, the rest go to the node. */
function running(session: Session, event: EngineEvent) {
  const s = session.s;
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
  const node = session.currentNode();
  if (!node) return;
  const next = apply(session, node, nodeSpec(node.type).onEvent?.(session.runtime(node), event));
  if (next !== undefined) enter(session, next);
}

function onEvent(session: Session, event: EngineEvent) {
  session.now = event.now;
  const s = session.s;
  if (s.phase === "ended") return;
  if (event.type === "hangup") {
    session.stopPlayback();
    session.cancelTimer();
    session.leave("caller_hangup");
    s.phase = "ended";
    s.outcome = { kind: "hangup", reason: "caller_hangup", disconnectedBy: "client" };
    return;
  }
  switch (s.phase) {
    case "idle":
      if (event.type === "start") {
        s.phase = "running";
        enter(session, s.document.entryNodeId);
      }
      return;
    case "ending":
      if (event.type === "playback_done" && event.playbackId === s.playing && s.ending) {
        s.playing = null;
        session.hangup(s.ending.reason, s.ending.disconnectedBy);
      }
      return;
    case "awaiting_flow":
      if (event.type === "flow_loaded") enter(session, switchFlow(session, event.flowId, event.document));
      return;
    case "transferring":
      if (event.type === "transfer_accepted") {
        s.phase = "connected";
        s.outcome = { kind: "connected", agentId: event.agentId };
      } else if (event.type === "transfer_timeout") {
        enter(session, transferNotTaken(session, event.reason ?? "timeout"));
      }
      return;
    case "running":
      running(session, event);
      return;
    default:
      return;
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
    onEvent(session, event);
  } catch (err) {
    const recovery = new Session(cloneState(state));
    recovery.now = event.now;
    recovery.fail(`Internal error: ${(err as Error).message}`);
    return { state: recovery.s, actions: recovery.actions };
  }
  return { state: session.s, actions: session.actions };
}
