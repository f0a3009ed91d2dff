// Events the host feeds the engine, actions it asks the host to carry out, and the engine state.
import type { FlowDocument, Prompt } from "./document";

type At = { now: number };

/**
 * Why nobody took a transfer (the `transfer_result` its no-answer output sets): nobody accepted in
 * time, nobody in the team was available (at the start, or any more while the caller waited), or
 * every agent who could have answered declined.
 */
export type TransferNotTaken = "timeout" | "no_agents" | "declined";

export type EngineEvent =
  | ({ type: "start" } & At)
  | ({ type: "playback_done"; playbackId: string } & At)
  | ({ type: "digit"; digit: string } & At)
  | ({ type: "timer_fired"; timerId: string } & At)
  | ({ type: "http_result"; requestId: string; status?: number; body?: string; error?: string } & At)
  | ({ type: "transfer_accepted"; agentId: string } & At)
  | ({ type: "transfer_timeout"; reason?: TransferNotTaken } & At)
  | ({ type: "flow_loaded"; flowId: string; document: unknown } & At)
  | ({ type: "hangup" } & At);

export type DisconnectedBy = "client" | "agent" | "system";

export interface PathStep {
  seq: number;
  flowId: string | null;
  nodeId: string;
  nodeType: string;
  label: string;
  /** The handle the call left by; null for terminal nodes. */
  handle: string | null;
  digits?: string;
  variables?: Record<string, unknown>;
  error?: string;
  enteredAt: number;
  leftAt: number;
}

export type EngineAction =
  | { type: "play"; playbackId: string; prompt: Prompt; interruptible: boolean; loop: boolean }
  | { type: "stop_playback"; playbackId: string }
  | { type: "set_timer"; timerId: string; ms: number }
  | { type: "cancel_timer"; timerId: string }
  | {
      type: "http_request";
      requestId: string;
      method: "GET" | "POST";
      url: string;
      headers: Record<string, string>;
      body?: string;
      timeoutMs: number;
      missingVariables: string[];
    }
  | { type: "start_transfer"; teamId: string; nodeId: string; skipWhenNoAgents: boolean }
  | { type: "goto_flow"; flowId: string }
  | { type: "hangup"; reason: string; disconnectedBy: DisconnectedBy }
  | { type: "path_step"; step: PathStep };

export type Phase = "idle" | "running" | "awaiting_flow" | "transferring" | "connected" | "ending" | "ended";

export interface EngineState {
  callId: string;
  callerPhone: string;
  flowId: string | null;
  document: FlowDocument;
  phase: Phase;
  variables: Record<string, unknown>;
  /** Nodes entered so far (loop guard). */
  steps: number;
  /** Counter for path steps and playback/timer/request ids. */
  seq: number;
  pathSeq: number;
  /** Digits pressed ahead of the node that will read them. */
  typeahead: string;
  node: { id: string; enteredAt: number; local: Record<string, unknown> } | null;
  playing: string | null;
  timer: string | null;
  request: string | null;
  /** Retry counts per node id; reset when the node is left by a non-retry handle. */
  retries: Record<string, number>;
  /** The transfer node the call is waiting in (its `no_answer` edge is the fallback). */
  transferNodeId?: string | null;
  /** Set while a goodbye is playing before the engine hangs up. */
  ending: { reason: string; disconnectedBy: DisconnectedBy } | null;
  outcome: null | { kind: "hangup"; reason: string; disconnectedBy: DisconnectedBy } | { kind: "connected"; agentId: string };
}

export interface StepResult {
  state: EngineState;
  actions: EngineAction[];
}
