// The editor's state in one pure reducer: the document, its undo/redo history, the selection and
// whether it differs from what was last saved. Ids are made by the caller and passed in actions, so
// running the reducer twice on the same input (React StrictMode does) gives the same result.
import type { DraftDocument, DraftNode } from "@/lib/ivr";
import { connect, removeNodes, updateNode } from "./document-ops";

const HISTORY = 100;

export interface EditorState {
  doc: DraftDocument;
  past: DraftDocument[];
  future: DraftDocument[];
  selected: string[];
  selectedEdges: string[];
  /** The document as last saved (or opened): dirty means `doc` is not this one. */
  saved: DraftDocument;
  /** The document before the drag in progress, so a whole drag is one undo step. */
  dragFrom: DraftDocument | null;
}

type Position = { x: number; y: number };

export type EditorAction =
  | { type: "add"; node: DraftNode }
  | { type: "connect"; edgeId: string; source: string; sourceHandle: string; target: string }
  | { type: "remove"; nodeIds: string[]; edgeIds?: string[] }
  | { type: "update"; id: string; patch: Partial<DraftNode> }
  | { type: "set-entry"; id: string }
  | { type: "move"; positions: Record<string, Position>; final: boolean }
  | { type: "nudge"; ids: string[]; dx: number; dy: number }
  | { type: "duplicate"; ids: Record<string, string>; offset: Position }
  | { type: "layout"; positions: Record<string, Position> }
  | { type: "replace"; doc: DraftDocument }
  | { type: "select"; ids: string[]; edgeIds?: string[] }
  | { type: "saved"; doc: DraftDocument }
  | { type: "undo" }
  | { type: "redo" };

export function initEditor(doc: DraftDocument): EditorState {
  return { doc, past: [], future: [], selected: [], selectedEdges: [], saved: doc, dragFrom: null };
}

export const isDirty = (s: EditorState) => s.doc !== s.saved;

/** One undo step: the previous document goes on the history, redo is cleared. */
function record(s: EditorState, doc: DraftDocument, from: DraftDocument = s.doc): EditorState {
  if (doc === from) return s.doc === doc ? s : { ...s, doc, dragFrom: null };
  return { ...s, doc, past: [...s.past.slice(-(HISTORY - 1)), from], future: [], dragFrom: null };
}

function place(doc: DraftDocument, positions: Record<string, Position>): DraftDocument {
  return { ...doc, nodes: doc.nodes.map((n) => (positions[n.id] ? { ...n, position: positions[n.id]! } : n)) };
}

function duplicate(doc: DraftDocument, ids: Record<string, string>, offset: Position): DraftDocument {
  const copies = doc.nodes
    .filter((n) => ids[n.id])
    .map((n) => ({ ...n, id: ids[n.id]!, label: `${n.label} (copy)`, position: { x: n.position.x + offset.x, y: n.position.y + offset.y } }));
  // Edges between copied nodes are copied too; one edge per handle keeps `e-<node>-<handle>` unique.
  const edges = doc.edges
    .filter((e) => ids[e.source] && ids[e.target])
    .map((e) => ({ id: `e-${ids[e.source]}-${e.sourceHandle}`, source: ids[e.source]!, sourceHandle: e.sourceHandle, target: ids[e.target]! }));
  return { ...doc, nodes: [...doc.nodes, ...copies], edges: [...doc.edges, ...edges] };
}

const sameIds = (a: string[], b: string[]) => a.length === b.length && a.every((id, i) => b[i] === id);

export function editorReducer(s: EditorState, a: EditorAction): EditorState {
  switch (a.type) {
    case "add": {
      const doc = { ...s.doc, nodes: [...s.doc.nodes, a.node], entryNodeId: s.doc.entryNodeId ?? a.node.id };
      return { ...record(s, doc), selected: [a.node.id] };
    }
    case "connect":
      return record(s, connect(s.doc, a.source, a.sourceHandle, a.target, a.edgeId));
    case "remove": {
      const nodeIds = new Set(a.nodeIds);
      const edgeIds = new Set(a.edgeIds ?? []);
      if (!nodeIds.size && !edgeIds.size) return s;
      let doc = nodeIds.size ? removeNodes(s.doc, nodeIds) : s.doc;
      if (edgeIds.size) doc = { ...doc, edges: doc.edges.filter((e) => !edgeIds.has(e.id)) };
      return {
        ...record(s, doc),
        selected: s.selected.filter((id) => !nodeIds.has(id)),
        selectedEdges: s.selectedEdges.filter((id) => doc.edges.some((e) => e.id === id)),
      };
    }
    case "update":
      return record(s, updateNode(s.doc, a.id, a.patch));
    case "set-entry":
      return s.doc.entryNodeId === a.id ? s : record(s, { ...s.doc, entryNodeId: a.id });
    case "move": {
      // Intermediate drag positions redraw the canvas without history; the drop is one step.
      const from = s.dragFrom ?? s.doc;
      const doc = place(s.doc, a.positions);
      return a.final ? record(s, doc, from) : { ...s, doc, dragFrom: from };
    }
    case "nudge": {
      const ids = new Set(a.ids);
      const positions = Object.fromEntries(s.doc.nodes.filter((n) => ids.has(n.id)).map((n) => [n.id, { x: n.position.x + a.dx, y: n.position.y + a.dy }]));
      return Object.keys(positions).length ? record(s, place(s.doc, positions)) : s;
    }
    case "duplicate": {
      if (!Object.keys(a.ids).length) return s;
      return { ...record(s, duplicate(s.doc, a.ids, a.offset)), selected: Object.values(a.ids) };
    }
    case "layout":
      return record(s, place(s.doc, a.positions));
    case "replace":
      return { ...record(s, a.doc), selected: [] };
    case "select": {
      const edgeIds = a.edgeIds ?? s.selectedEdges;
      return sameIds(a.ids, s.selected) && sameIds(edgeIds, s.selectedEdges) ? s : { ...s, selected: a.ids, selectedEdges: edgeIds };
    }
    case "saved":
      return { ...s, saved: a.doc };
    case "undo": {
      const prev = s.past[s.past.length - 1];
      if (!prev) return s;
      return { ...s, doc: prev, past: s.past.slice(0, -1), future: [s.doc, ...s.future], dragFrom: null };
    }
    case "redo": {
      const next = s.future[0];
      if (!next) return s;
      return { ...s, doc: next, past: [...s.past, s.doc], future: s.future.slice(1), dragFrom: null };
    }
  }
}
