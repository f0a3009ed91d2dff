// What changed between two versions of a flow document: nodes and edges added, removed or changed,
// and the flow-level settings. Pure; the versions page draws it on the canvas.
import { type DraftDocument, type DraftNode, nodeSpec } from "../ivr";

export type ChangeKind = "added" | "removed" | "changed";

export interface NodeChange {
  id: string;
  label: string;
  kind: ChangeKind;
  /** For "changed": which parts differ (label, position is ignored, config keys…). */
  fields: string[];
}

export interface EdgeChange {
  /** Edges are compared by what they connect (source + output), not by id. */
  key: string;
  source: string;
  sourceHandle: string;
  kind: ChangeKind;
  from?: string;
  to?: string;
}

export interface FlowDiff {
  nodes: NodeChange[];
  edges: EdgeChange[];
  /** Entry node and other document-level settings. */
  settings: string[];
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * A spoken prompt is its text: publishing attaches the audio rendered from it (`assetId`, see
 * prompt-audio.ts), which is not a change the author made, so it is left out of the comparison.
 */
function withoutRenderedAudio(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutRenderedAudio);
  if (!value || typeof value !== "object") return value;
  const entries = Object.entries(value as Record<string, unknown>);
  const spoken = typeof (value as { text?: unknown }).text === "string" && (value as { text: string }).text.trim() !== "";
  return Object.fromEntries(entries.filter(([k]) => !(spoken && k === "assetId")).map(([k, v]) => [k, withoutRenderedAudio(v)]));
}

/** The config with the node's defaults filled in, so `{}` and the same values spelled out compare equal. */
function configOf(n: DraftNode): Record<string, unknown> {
  const parsed = nodeSpec(n.type).configSchema.safeParse(n.config);
  return withoutRenderedAudio(parsed.success ? parsed.data : n.config) as Record<string, unknown>;
}

export function diffDocuments(before: DraftDocument, after: DraftDocument): FlowDiff {
  const nodes: NodeChange[] = [];
  const old = new Map(before.nodes.map((n) => [n.id, n]));
  const cur = new Map(after.nodes.map((n) => [n.id, n]));
  for (const n of after.nodes) {
    const o = old.get(n.id);
    if (!o) {
      nodes.push({ id: n.id, label: n.label, kind: "added", fields: [] });
      continue;
    }
    const fields: string[] = [];
    if (o.type !== n.type) fields.push("type");
    if (o.label !== n.label) fields.push("label");
    const [oc, nc] = [configOf(o), configOf(n)];
    for (const k of new Set([...Object.keys(oc), ...Object.keys(nc)])) if (!same(oc[k], nc[k])) fields.push(k);
    if (fields.length) nodes.push({ id: n.id, label: n.label, kind: "changed", fields });
  }
  for (const o of before.nodes) if (!cur.has(o.id)) nodes.push({ id: o.id, label: o.label, kind: "removed", fields: [] });

  const edges: EdgeChange[] = [];
  const key = (e: { source: string; sourceHandle: string }) => `${e.source}|${e.sourceHandle}`;
  const oldEdges = new Map(before.edges.map((e) => [key(e), e]));
  const curEdges = new Map(after.edges.map((e) => [key(e), e]));
  for (const [k, e] of curEdges) {
    const o = oldEdges.get(k);
    if (!o) edges.push({ key: k, source: e.source, sourceHandle: e.sourceHandle, kind: "added", to: e.target });
    else if (o.target !== e.target) edges.push({ key: k, source: e.source, sourceHandle: e.sourceHandle, kind: "changed", from: o.target, to: e.target });
  }
  for (const [k, o] of oldEdges) if (!curEdges.has(k)) edges.push({ key: k, source: o.source, sourceHandle: o.sourceHandle, kind: "removed", from: o.target });

  const settings: string[] = [];
  if (before.entryNodeId !== after.entryNodeId) settings.push("entryNodeId");
  const b = before as Record<string, unknown>;
  const a = after as Record<string, unknown>;
  for (const k of new Set([...Object.keys(b), ...Object.keys(a)])) {
    if (k === "nodes" || k === "edges" || k === "entryNodeId") continue;
    if (!same(b[k], a[k])) settings.push(k);
  }
  return { nodes, edges, settings };
}

/** Both versions' nodes on one canvas: the newer document plus the removed nodes where they were. */
export function mergedForCanvas(before: DraftDocument, after: DraftDocument): DraftDocument {
  const ids = new Set(after.nodes.map((n) => n.id));
  const edgeKeys = new Set(after.edges.map((e) => `${e.source}|${e.sourceHandle}`));
  return {
    ...after,
    nodes: [...after.nodes, ...before.nodes.filter((n) => !ids.has(n.id))],
    edges: [...after.edges, ...before.edges.filter((e) => !edgeKeys.has(`${e.source}|${e.sourceHandle}`)).map((e) => ({ ...e, id: `removed-${e.id}` }))],
  };
}
