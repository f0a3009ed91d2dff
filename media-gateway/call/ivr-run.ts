// The IVR engine running on one answered call: feeds it events one at a time, carries out its
// actions (prompts, timers, HTTP callbacks, goto-flow, transfer, hangup, path steps) and tells the
// live board which node the call is in. The call session owns it and closes it with the call.
import type { Logger } from "pino";
import type { Config } from "../../lib/config";
import { publishedDocument } from "../../lib/flows/service";
import { reportIvrNode } from "../../lib/board/phase";
import { redis } from "../../lib/gateway/redis";
import { createSession, type DisconnectedBy, type EngineAction, type EngineEvent, type EngineState, type FlowDocument, step } from "../../lib/ivr";
import { callbackPolicy, runCallback } from "../../lib/net/callback-request";
import type { Player } from "../media/player";
import type { CallLog } from "./call-log";
import { resolvePrompt } from "./prompts";

export interface IvrRunDeps {
  call: { orgId: string; callId: string; callerPhone: string; flowId: string };
  config: Config;
  log: Logger;
  callLog: CallLog;
  player: () => Player | null;
  startTransfer: (a: Extract<EngineAction, { type: "start_transfer" }>) => void;
  hangup: (reason: string, by: DisconnectedBy) => void;
  /** Aborted when the call ends: cancels HTTP callbacks still in flight. */
  signal: AbortSignal;
}

export class IvrRun {
  private state: EngineState | null = null;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly queue: EngineEvent[] = [];
  private draining = false;
  private currentPlayback: string | null = null;
  private reportedNode: string | null = null;
  private closed = false;

  constructor(private readonly deps: IvrRunDeps) {}

  /** The flow's variables so far (a transfer shows them to the agent). */
  get variables(): Record<string, unknown> {
    return this.state?.variables ?? {};
  }

  start(document: FlowDocument) {
    const { callId, callerPhone, flowId } = this.deps.call;
    this.state = createSession(document, { callId, callerPhone, flowId });
    this.dispatch({ type: "start", now: Date.now() });
  }

  /** Feeds the engine one event at a time, in order, even when actions raise new events; ignored before start and after close. */
  dispatch(event: EngineEvent) {
    if (this.closed || !this.state) return;
    this.queue.push(event);
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.queue.length && this.state && !this.closed) {
        const result = step(this.state, this.queue.shift()!);
        this.state = result.state;
        for (const action of result.actions) this.execute(action);
      }
      this.reportNode();
    } finally {
      this.draining = false;
    }
  }

  /** Stops events and timers; safe to call twice. */
  close() {
    this.closed = true;
    this.queue.length = 0;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  /** Tells the live board which IVR node the call is in now (only when it changed). */
  private reportNode() {
    const node = this.closed ? null : (this.state?.node ?? null);
    if ((node?.id ?? null) === this.reportedNode) return;
    this.reportedNode = node?.id ?? null;
    const doc = node ? this.state?.document.nodes.find((n) => n.id === node.id) : undefined;
    const phase = node ? { nodeId: node.id, label: doc?.label || node.id, nodeType: doc?.type ?? "", since: new Date(node.enteredAt).toISOString() } : null;
    void reportIvrNode(redis(), this.deps.call.orgId, this.deps.call.callId, phase);
  }

  private execute(a: EngineAction) {
    const { call, log } = this.deps;
    switch (a.type) {
      case "play":
        this.currentPlayback = a.playbackId;
        resolvePrompt(call.orgId, a.prompt, log)
          .then((packets) => {
            const player = this.deps.player();
            if (this.currentPlayback !== a.playbackId || !player) return;
            player.play(packets, { loop: a.loop, onEnd: () => this.dispatch({ type: "playback_done", playbackId: a.playbackId, now: Date.now() }) });
          })
          .catch((err) => {
            // A prompt that cannot be played is skipped (and logged), never a silent dead end.
            log.error({ err, prompt: a.prompt }, "prompt could not be played");
            this.dispatch({ type: "playback_done", playbackId: a.playbackId, now: Date.now() });
          });
        return;
      case "stop_playback":
        if (this.currentPlayback === a.playbackId) {
          this.currentPlayback = null;
          this.deps.player()?.stop();
        }
        return;
      case "set_timer":
        this.setTimer(a.timerId, a.ms, () => this.dispatch({ type: "timer_fired", timerId: a.timerId, now: Date.now() }));
        return;
      case "cancel_timer":
        clearTimeout(this.timers.get(a.timerId));
        this.timers.delete(a.timerId);
        return;
      case "http_request":
        void this.http(a);
        return;
      case "start_transfer":
        this.deps.startTransfer(a);
        return;
      case "goto_flow":
        publishedDocument(call.orgId, a.flowId)
          .then((p) => p.document)
          .catch(() => null)
          .then((document) => this.dispatch({ type: "flow_loaded", flowId: a.flowId, document, now: Date.now() }));
        return;
      case "hangup":
        this.deps.hangup(a.reason, a.disconnectedBy);
        return;
      case "path_step":
        this.deps.callLog.step(a.step).catch((err) => log.error({ err }, "could not store an IVR path step"));
        return;
    }
  }

  /** Through lib/net's policy (no internal addresses unless allow-listed), capped at 64 KB, cancelled when the call ends. */
  private async http(a: Extract<EngineAction, { type: "http_request" }>) {
    if (a.missingVariables.length) this.deps.log.warn({ missing: a.missingVariables }, "HTTP callback uses variables that are not set");
    const result = await runCallback(a, { policy: callbackPolicy(this.deps.config), signal: this.deps.signal });
    if ("error" in result) this.deps.log.warn({ url: a.url, error: result.error }, "HTTP callback failed");
    this.dispatch({ type: "http_result", requestId: a.requestId, ...result, now: Date.now() });
  }

  private setTimer(id: string, ms: number, fn: () => void) {
    clearTimeout(this.timers.get(id));
    this.timers.set(
      id,
      setTimeout(() => {
        this.timers.delete(id);
        fn();
      }, ms),
    );
  }
}
