// The one interface every IVR node module implements; the session loop in engine.ts drives them.
import type { ZodType } from "zod";
import type { DraftNode, Prompt } from "../document";
import type { EngineAction, EngineEvent, EngineState } from "../types";

export type Outcome =
  | { kind: "next"; handle: string; digits?: string; vars?: Record<string, unknown> }
  | { kind: "transfer"; teamId: string; skipWhenNoAgents?: boolean }
  | { kind: "goto"; flowId: string }
  | { kind: "hangup"; prompt?: Prompt | null }
  | undefined;

/** What a node may do while it runs; the engine owns ids, timers and playback bookkeeping. */
export interface NodeRuntime<C> {
  readonly config: C;
  readonly node: DraftNode;
  readonly now: number;
  readonly state: EngineState;
  /** Node-local memory, cleared when the node is left. */
  readonly local: Record<string, unknown>;
  play(prompt: Prompt, interruptible: boolean): void;
  stopPlayback(): void;
  setTimer(seconds: number): void;
  cancelTimer(): void;
  hasEdge(handle: string): boolean;
  emit(action: EngineAction): string;
  nextId(prefix: string): string;
  /** True while this node's prompt is playing. */
  readonly playing: boolean;
  /** Takes the next type-ahead digit, if any. */
  takeDigit(): string | undefined;
  bufferDigit(digit: string): void;
  /** Drops digits pressed ahead (a prompt the caller must hear in full). */
  clearTypeahead(): void;
  /** Counts a failed attempt: past maxRetries → max_retries; else the handle's edge or a replay. `digits` (the key that failed) goes on the step left by. */
  retry(handle: string, maxRetries: number, replay: () => Outcome, digits?: string): Outcome;
}

export interface ValidationContext {
  teamIds?: ReadonlySet<string>;
  flowIds?: ReadonlySet<string>;
  /** The organisation's audio library: a prompt's audio file must be one of them. */
  assetIds?: ReadonlySet<string>;
  /** Files in the library that cannot be played (their conversion failed), with what to tell the author. */
  assetProblems?: ReadonlyMap<string, string>;
  currentFlowId?: string;
}

export interface NodeIssue {
  severity: "error" | "warning";
  message: string;
}

export interface NodeSpec<C = unknown> {
  type: string;
  title: string;
  configSchema: ZodType<C>;
  /** Terminal nodes (goto_flow, hangup) have no output handles. */
  terminal: boolean;
  /** Every handle the node can leave by. */
  handles(config: C): string[];
  /** Handles that must have an edge, or the call would dead-end. */
  requiredHandles(config: C, connected: ReadonlySet<string>): string[];
  /** Variables the node sets (for the "never set" warning). */
  sets?(config: C): string[];
  /** Templates the node reads variables from. */
  templates?(config: C): string[];
  check?(config: C, ctx: ValidationContext): NodeIssue[];
  summary(config: C): string;
  enter(rt: NodeRuntime<C>): Outcome;
  onEvent?(rt: NodeRuntime<C>, event: EngineEvent): Outcome;
}

export function defineNode<C>(spec: NodeSpec<C>): NodeSpec<C> {
  return spec;
}
