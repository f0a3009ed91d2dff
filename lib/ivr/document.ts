// The flow document: a lenient draft schema for the editor and helpers shared by the
// strict per-node config schemas (lib/ivr/nodes/*) used for publishing and the engine.
import { z } from "zod";

export const NODE_TYPES = ["greeting", "menu", "gather", "http_callback", "transfer", "goto_flow", "timing", "hangup"] as const;
export type NodeType = (typeof NODE_TYPES)[number];

export const FLOW_DOCUMENT_VERSION = 1;
/** The built-in goodbyes; they ship pre-rendered (lib/audio/prompt-audio.ts), never synthesized. */
export const DEFAULT_ERROR_TEXT = "Sorry, something went wrong. Please call again later. Goodbye.";
export const DEFAULT_NO_AGENT_TEXT = "Sorry, no one is available to take your call right now. Goodbye.";
export const DEFAULT_MAX_STEPS = 100;

/** What to play: an uploaded/TTS audio asset, or text the TTS pipeline will speak. */
export const promptSchema = z.strictObject({
  assetId: z.string().min(1).nullish(),
  text: z.string().max(2000).nullish(),
});
export type Prompt = z.infer<typeof promptSchema>;

export function hasPrompt(p: Prompt | null | undefined): p is Prompt {
  return !!p && (!!p.assetId || !!p.text?.trim());
}

const position = z.object({ x: z.number().finite(), y: z.number().finite() });

/** The longest node label and menu option label a flow keeps (the editor's inputs stop there). */
export const NODE_LABEL_MAX = 120;
export const OPTION_LABEL_MAX = 60;

export const draftNodeSchema = z.object({
  id: z.string().min(1).max(100),
  type: z.enum(NODE_TYPES),
  label: z.string().max(NODE_LABEL_MAX).default(""),
  position: position.default({ x: 0, y: 0 }),
  config: z.record(z.string(), z.unknown()).default({}),
});

export const edgeSchema = z.object({
  id: z.string().min(1).max(100),
  source: z.string().min(1),
  sourceHandle: z.string().min(1).default("default"),
  target: z.string().min(1),
});

export const settingsSchema = z.strictObject({
  /** Loop guard: nodes entered per call before the engine ends it. */
  maxSteps: z.number().int().min(5).max(10_000).default(DEFAULT_MAX_STEPS),
  /** Played before the engine ends a call because of a flow error (never a silent line). */
  errorPrompt: promptSchema.default({ text: DEFAULT_ERROR_TEXT }),
  /** Played when no agent accepts a transfer in time. */
  noAgentPrompt: promptSchema.default({ text: DEFAULT_NO_AGENT_TEXT }),
});
export type FlowSettings = z.infer<typeof settingsSchema>;

/** Lenient: what the editor saves, valid or not. */
export const draftDocumentSchema = z.object({
  version: z.literal(FLOW_DOCUMENT_VERSION).default(FLOW_DOCUMENT_VERSION),
  entryNodeId: z.string().nullable().default(null),
  nodes: z.array(draftNodeSchema).max(2000).default([]),
  edges: z.array(edgeSchema).max(10_000).default([]),
  settings: settingsSchema.prefault({}),
});

export type DraftDocument = z.infer<typeof draftDocumentSchema>;

/**
 * An imported file must be a flow document as Export writes it: the draft schema fills gaps with
 * defaults, so without this `{"foo":1}` would open as an empty draft.
 */
export const importedDocumentSchema = z.strictObject({
  version: z.literal(FLOW_DOCUMENT_VERSION, `Only flow documents of version ${FLOW_DOCUMENT_VERSION} can be imported`),
  entryNodeId: z.string().nullable(),
  nodes: z.array(draftNodeSchema).max(2000),
  edges: z.array(edgeSchema).max(10_000),
  settings: settingsSchema.optional(),
});
export type DraftNode = z.infer<typeof draftNodeSchema>;
export type FlowEdge = z.infer<typeof edgeSchema>;

/** A published, validated document: every node's config has passed its strict schema. */
export interface FlowDocument extends DraftDocument {
  entryNodeId: string;
}

export function emptyDocument(): DraftDocument {
  return draftDocumentSchema.parse({});
}
