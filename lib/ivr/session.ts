// One step's working copy of the engine state and the bookkeeping every node relies on: ids,
// playback, the one timer, edges, path steps and the ways a call ends. engine.ts drives it.
import type { DraftNode, Prompt } from "./document";
import type { NodeRuntime, Outcome } from "./nodes/node";
import type { DisconnectedBy, EngineAction, EngineState } from "./types";

type StepExtra = { digits?: string; variables?: Record<string, unknown>; error?: string };

export class Session {
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

  findNode(id: string): DraftNode | undefined {
    return this.s.document.nodes.find((n) => n.id === id);
  }

  currentNode(): DraftNode | undefined {
    const id = this.s.node?.id;
    return id ? this.findNode(id) : undefined;
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

  /** The first edge on a handle wins (validation reports any duplicate). */
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
      get playing() {
        return self.s.playing !== null;
      },
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
      clearTypeahead() {
        self.s.typeahead = "";
      },
      retry(handle, maxRetries, replay, digits) {
        const count = (self.s.retries[node.id] ?? 0) + 1;
        self.s.retries[node.id] = count;
        if (count > maxRetries) return { kind: "next", handle: "max_retries", digits };
        if (self.edgeTarget(node.id, handle) !== undefined) return { kind: "next", handle, retry: true, digits } as Outcome;
        return replay();
      },
    };
  }

  /** Appends a path step that opens and closes now (events outside a running node). */
  instantStep(node: { id: string; type: string; label: string }, handle: string, extra: StepExtra = {}) {
    this.s.pathSeq += 1;
    const step = { seq: this.s.pathSeq, flowId: this.s.flowId, nodeId: node.id, nodeType: node.type, label: node.label };
    this.emit({ type: "path_step", step: { ...step, handle, ...extra, enteredAt: this.now, leftAt: this.now } });
  }

  /** Closes the current node's path step. */
  leave(handle: string | null, extra: StepExtra = {}) {
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

  /** Ends the call because of a flow problem: goodbye (if any), then hang up as the system. */
  fail(reason: string) {
    this.stopPlayback();
    this.cancelTimer();
    this.s.request = null;
    if (this.currentNode()) this.leave("error", { error: reason });
    else {
      // A failure outside any node (missing node, internal error).
      this.instantStep({ id: "system", type: "system", label: "System" }, "error", { error: reason });
      this.s.node = null;
    }
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
}
