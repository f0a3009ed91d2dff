// Pure helpers the editor uses on the flow document (the document, not the canvas, is the truth).
import { type DraftDocument, type DraftNode, NODE_EDITORS, type NodeType, nodeSpec } from "@/lib/ivr";

/** A new node's config, as its declaration in lib/ivr/nodes says. */
export const defaultConfig = (type: NodeType) => NODE_EDITORS[type].defaults();

const STATIC_HANDLES: Record<NodeType, string[]> = {
  greeting: ["default"],
  menu: ["timeout", "max_retries", "default"],
  gather: ["default", "timeout", "max_retries"],
  http_callback: ["default", "http:2xx", "http:error"],
  transfer: ["no_answer"],
  goto_flow: [],
  timing: ["in_hours", "out_of_hours"],
  hangup: [],
};

/** Output handles, following menu options live even while the config is incomplete. */
export function handlesOf(node: DraftNode): string[] {
  const spec = nodeSpec(node.type);
  const parsed = spec.configSchema.safeParse(node.config);
  if (parsed.success) return spec.handles(parsed.data);
  if (node.type === "menu") {
    const options = Array.isArray(node.config.options) ? (node.config.options as { digit?: string }[]) : [];
    return [...options.filter((o) => o.digit).map((o) => `digit:${o.digit}`), ...STATIC_HANDLES.menu];
  }
  return STATIC_HANDLES[node.type];
}

export function summaryOf(node: DraftNode): string {
  const spec = nodeSpec(node.type);
  const parsed = spec.configSchema.safeParse(node.config);
  return parsed.success ? spec.summary(parsed.data) : "needs setup";
}

let counter = 0;
export function newId(prefix: string, taken: Set<string>): string {
  let id: string;
  do id = `${prefix}-${Date.now().toString(36)}${(counter++).toString(36)}`;
  while (taken.has(id));
  return id;
}

/** A new node with a fresh id (made here, outside the reducer, so the reducer stays pure). */
export function newNode(doc: DraftDocument, type: NodeType, position: { x: number; y: number }): DraftNode {
  const id = newId(type.replace("_", "-"), new Set(doc.nodes.map((n) => n.id)));
  return { id, type, label: nodeSpec(type).title, position, config: defaultConfig(type) };
}

export function removeNodes(doc: DraftDocument, ids: Set<string>): DraftDocument {
  return {
    ...doc,
    nodes: doc.nodes.filter((n) => !ids.has(n.id)),
    edges: doc.edges.filter((e) => !ids.has(e.source) && !ids.has(e.target)),
    entryNodeId: doc.entryNodeId && ids.has(doc.entryNodeId) ? (doc.nodes.find((n) => !ids.has(n.id))?.id ?? null) : doc.entryNodeId,
  };
}

/** One edge per output handle: connecting a handle again replaces its previous edge. */
export function connect(doc: DraftDocument, source: string, sourceHandle: string, target: string, edgeId?: string): DraftDocument {
  const edges = doc.edges.filter((e) => !(e.source === source && e.sourceHandle === sourceHandle));
  const id = edgeId ?? newId("e", new Set(doc.edges.map((e) => e.id)));
  return { ...doc, edges: [...edges, { id, source, sourceHandle, target }] };
}

export function updateNode(doc: DraftDocument, id: string, patch: Partial<DraftNode>): DraftDocument {
  const nodes = doc.nodes.map((n) => (n.id === id ? { ...n, ...patch } : n));
  // Drop edges from handles that no longer exist (e.g. a removed menu option).
  const node = nodes.find((n) => n.id === id);
  const valid = node ? new Set(handlesOf(node)) : new Set<string>();
  const edges = doc.edges.filter((e) => e.source !== id || valid.has(e.sourceHandle));
  return { ...doc, nodes, edges };
}
