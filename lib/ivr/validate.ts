// Flow validation: every problem is reported per node/edge with a message a flow author understands.
import type { z } from "zod";
import { type DraftDocument, type DraftNode, draftDocumentSchema, type FlowDocument } from "./document";
import { nodeSpec } from "./nodes";
import { handleLabel } from "./nodes/handle-labels";
import type { ValidationContext } from "./nodes/node";
import { templateVariables } from "./template";
import { BUILT_IN_VARIABLES } from "./built-in-variables";

export type { ValidationContext } from "./nodes/node";

export interface ValidationIssue {
  severity: "error" | "warning";
  code: string;
  message: string;
  /** The message as the flow editor shows it, where it differs: outputs named as the canvas names them. */
  shown?: string;
  nodeId?: string;
  edgeId?: string;
}

/** What the flow editor shows for an issue. */
export const issueText = (i: Pick<ValidationIssue, "message" | "shown">): string => i.shown ?? i.message;

export interface ValidationResult {
  ok: boolean;
  issues: ValidationIssue[];
  /** The executable document (configs with defaults applied), when there is no error. */
  document?: FlowDocument;
}

/** Nodes that hand the call on or end it; a flow that reaches none can only loop. */
const ENDINGS = new Set<string>(["hangup", "transfer", "goto_flow"]);

function zodMessage(error: z.ZodError): string {
  return error.issues.map((i) => (i.path.length ? `${i.path.join(".")} ${i.message}` : i.message)).join("; ");
}

function nodeName(n: DraftNode) {
  return n.label ? `“${n.label}”` : `${nodeSpec(n.type).title} node`;
}

/** An output as the editor labels it ("No agent answered", not `no_answer`). */
function outputName(n: DraftNode, handle: string) {
  return handleLabel(n.type, (n.config ?? {}) as Record<string, unknown>, handle);
}

const MISSING_AUDIO = "its audio file is no longer in the audio library; choose another or type TTS text";

/**
 * One message per prompt among `values` whose audio file is not in the organisation's library (when the
 * context lists it), or is there but cannot be played (its conversion failed).
 */
function missingAudio(values: unknown[], ctx: ValidationContext): string[] {
  const { assetIds, assetProblems } = ctx;
  return values.flatMap((v) => {
    const assetId = (v as { assetId?: unknown } | null)?.assetId;
    if (!v || typeof v !== "object" || typeof assetId !== "string") return [];
    if (assetIds && !assetIds.has(assetId)) return [MISSING_AUDIO];
    const problem = assetProblems?.get(assetId);
    return problem ? [problem] : [];
  });
}

/** What a prompt whose audio file failed to convert tells the author (`reason`: the conversion's error, when known). */
export function unusableAudioMessage(name: string, reason?: string | null): string {
  return `its audio file “${name}” could not be converted${reason ? ` (${reason})` : ""}; choose another or type TTS text`;
}

export function validateFlow(raw: unknown, ctx: ValidationContext = {}): ValidationResult {
  const parsed = draftDocumentSchema.safeParse(raw);
  if (!parsed.success) {
    return { ok: false, issues: [{ severity: "error", code: "invalid_document", message: `Flow document is malformed: ${zodMessage(parsed.error)}` }] };
  }
  const doc: DraftDocument = parsed.data;
  const issues: ValidationIssue[] = [];
  const add = (issue: ValidationIssue) => issues.push(issue);
  const byId = new Map<string, DraftNode>();
  const configs = new Map<string, unknown>();

  for (const n of doc.nodes) {
    if (byId.has(n.id)) add({ severity: "error", code: "duplicate_node", nodeId: n.id, message: `Two nodes share the id ${n.id}` });
    byId.set(n.id, n);
  }

  for (const [prompt, what] of [
    [doc.settings.errorPrompt, "The flow's error prompt"],
    [doc.settings.noAgentPrompt, "The flow's no-agent prompt"],
  ] as const)
    for (const message of missingAudio([prompt], ctx)) add({ severity: "error", code: "missing_audio", message: `${what}: ${message}` });

  if (doc.nodes.length === 0) add({ severity: "error", code: "empty", message: "Add at least one node" });
  else if (!doc.entryNodeId) add({ severity: "error", code: "no_entry", message: "Choose the entry node (where calls start)" });
  else if (!byId.has(doc.entryNodeId)) add({ severity: "error", code: "no_entry", message: "The entry node no longer exists; choose another" });

  // Edges: known endpoints, existing handles, one edge per handle.
  const outgoing = new Map<string, Map<string, string>>();
  const targets = new Map<string, string[]>();
  for (const e of doc.edges) {
    const src = byId.get(e.source);
    if (!src) {
      add({ severity: "error", code: "edge_unknown_source", edgeId: e.id, message: "Connection starts at a node that no longer exists" });
      continue;
    }
    if (!byId.has(e.target)) {
      add({
        severity: "error",
        code: "edge_unknown_target",
        edgeId: e.id,
        nodeId: src.id,
        message: `${nodeName(src)}: the “${outputName(src, e.sourceHandle)}” connection leads to a node that no longer exists; connect it again`,
      });
      continue;
    }
    const handles = outgoing.get(src.id) ?? new Map<string, string>();
    if (handles.has(e.sourceHandle)) {
      add({
        severity: "error",
        code: "edge_duplicate",
        edgeId: e.id,
        nodeId: src.id,
        message: `${nodeName(src)}: “${outputName(src, e.sourceHandle)}” is connected twice; keep one`,
      });
    } else handles.set(e.sourceHandle, e.target); // the engine follows the first
    outgoing.set(src.id, handles);
    // Reachability counts every connection drawn, so a duplicate is reported once, as a duplicate.
    targets.set(src.id, [...(targets.get(src.id) ?? []), e.target]);
  }

  const setVariables = new Set(BUILT_IN_VARIABLES);
  const readVariables: { nodeId: string; name: string }[] = [];

  for (const n of doc.nodes) {
    const spec = nodeSpec(n.type);
    const result = spec.configSchema.safeParse(n.config);
    const connected = new Set(outgoing.get(n.id)?.keys() ?? []);
    if (!result.success) {
      add({ severity: "error", code: "invalid_config", nodeId: n.id, message: `${nodeName(n)}: ${zodMessage(result.error)}` });
      continue;
    }
    const config = result.data;
    configs.set(n.id, config);
    for (const issue of spec.check?.(config, ctx) ?? []) add({ ...issue, code: "node", nodeId: n.id, message: `${nodeName(n)}: ${issue.message}` });
    for (const prompt of missingAudio(Object.values(config as Record<string, unknown>), ctx))
      add({ severity: "error", code: "missing_audio", nodeId: n.id, message: `${nodeName(n)}: ${prompt}` });
    if (spec.terminal && connected.size > 0) {
      add({
        severity: "error",
        code: "terminal_with_edges",
        nodeId: n.id,
        message: `${nodeName(n)} ends the flow here, so it cannot have outgoing connections`,
      });
    }
    const valid = new Set(spec.handles(config));
    for (const e of doc.edges.filter((x) => x.source === n.id)) {
      if (!spec.terminal && !valid.has(e.sourceHandle)) {
        add({ severity: "error", code: "edge_unknown_handle", edgeId: e.id, nodeId: n.id, message: `${nodeName(n)} has no “${e.sourceHandle}” output` });
      }
    }
    for (const h of spec.requiredHandles(config, connected)) {
      if (!connected.has(h)) {
        const hungUp = (output: string) => `${nodeName(n)}: connect “${output}”, or callers who take it will be hung up`;
        add({
          severity: "error",
          code: "dangling_handle",
          nodeId: n.id,
          message: hungUp(h),
          shown: hungUp(handleLabel(n.type, config as Record<string, unknown>, h)),
        });
      }
    }
    for (const v of spec.sets?.(config) ?? []) setVariables.add(v);
    for (const t of spec.templates?.(config) ?? []) {
      for (const name of templateVariables(t)) readVariables.push({ nodeId: n.id, name });
    }
  }

  // Reachability from the entry node.
  if (doc.entryNodeId && byId.has(doc.entryNodeId)) {
    const seen = new Set([doc.entryNodeId]);
    const queue = [doc.entryNodeId];
    while (queue.length) {
      const id = queue.shift()!;
      for (const target of targets.get(id) ?? []) {
        if (!seen.has(target)) {
          seen.add(target);
          queue.push(target);
        }
      }
    }
    for (const n of doc.nodes) {
      if (!seen.has(n.id)) {
        add({ severity: "error", code: "unreachable", nodeId: n.id, message: `${nodeName(n)} can never be reached from the entry node` });
      }
    }
    if (![...seen].some((id) => ENDINGS.has(byId.get(id)!.type))) {
      add({
        severity: "warning",
        code: "no_ending",
        nodeId: doc.entryNodeId,
        message: "No path from the entry reaches a Hang up, Transfer or Goto flow node, so every call loops until the step limit ends it",
      });
    }
  }

  for (const { nodeId, name } of readVariables) {
    if (!setVariables.has(name)) {
      add({
        severity: "warning",
        code: "unset_variable",
        nodeId,
        message: `${nodeName(byId.get(nodeId)!)}: {{${name}}} is never set in this flow (it will be empty unless a previous flow sets it)`,
      });
    }
  }

  const ok = !issues.some((i) => i.severity === "error");
  if (!ok) return { ok, issues };
  const document: FlowDocument = {
    ...doc,
    entryNodeId: doc.entryNodeId!,
    nodes: doc.nodes.map((n) => ({ ...n, config: configs.get(n.id) as Record<string, unknown> })),
  };
  return { ok, issues, document };
}

export class FlowInvalidError extends Error {
  constructor(readonly issues: ValidationIssue[]) {
    super(
      `Flow is not valid: ${issues
        .filter((i) => i.severity === "error")
        .map((i) => i.message)
        .join("; ")}`,
    );
    this.name = "FlowInvalidError";
  }
}

/** Strict: the executable document for publishing and the engine, or FlowInvalidError. */
export function parseExecutable(raw: unknown, ctx: ValidationContext = {}): FlowDocument {
  const result = validateFlow(raw, ctx);
  if (!result.document) throw new FlowInvalidError(result.issues);
  return result.document;
}
