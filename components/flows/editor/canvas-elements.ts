// The canvas is drawn from the flow document: React Flow nodes and edges built from it (with
// validation, the test call's path and drop-off stats), and React Flow's changes turned into edits.
import type { Edge, EdgeChange, Node, NodeChange } from "@xyflow/react";
import { type Dispatch, type MutableRefObject, useCallback, useMemo, useRef } from "react";
import { issueText, type ValidationIssue } from "@/lib/ivr";
import { estimateHeight, NODE_WIDTH } from "./auto-layout";
import { type Dropoff, dropoffEdgeStyle, dropoffNodeStats } from "./dropoff-bar";
import type { EditorAction, EditorState } from "./editor-state";
import type { IvrNodeData } from "./ivr-node";
import type { SimView } from "./simulator-panel";

export type Size = { width: number; height: number };

interface Inputs {
  state: EditorState;
  issues: ValidationIssue[];
  sim: SimView | null;
  /** Drop-off numbers while that view is open. */
  dropoff: Dropoff | null;
  /** Team, flow and audio file names by id, for the transfer, goto-flow and prompt nodes. */
  names: Map<string, string>;
  /** Sizes React Flow measured, carried into new node objects (the MiniMap and layout use them). */
  sizes: MutableRefObject<Map<string, Size>>;
}

/** The audio file a prompt plays, unless it speaks TTS text. */
function promptAssetId(prompt: unknown): unknown {
  if (typeof prompt !== "object" || prompt === null) return undefined;
  const p = prompt as { text?: unknown; assetId?: unknown };
  return typeof p.text === "string" && p.text.trim() ? undefined : p.assetId;
}

/** Each node's errors and warnings. */
function issuesByNode(issues: ValidationIssue[]) {
  const m = new Map<string, { errors: string[]; warnings: string[] }>();
  for (const i of issues) {
    if (!i.nodeId) continue;
    const e = m.get(i.nodeId) ?? { errors: [], warnings: [] };
    (i.severity === "error" ? e.errors : e.warnings).push(issueText(i));
    m.set(i.nodeId, e);
  }
  return m;
}

export function useCanvasElements({ state, issues, sim, dropoff, names, sizes }: Inputs): { nodes: Node<IvrNodeData>[]; edges: Edge[] } {
  const { doc, selected, selectedEdges } = state;
  const byNode = useMemo(() => issuesByNode(issues), [issues]);
  // Reuse the previous canvas node object when nothing it shows changed, so React Flow redraws
  // only the edited node (a 300-node flow stays responsive while typing).
  const nodeCache = useRef(new Map<string, Node<IvrNodeData>>());
  const nodes = useMemo(() => {
    const next = new Map<string, Node<IvrNodeData>>();
    const chosen = new Set(selected);
    const list = doc.nodes.map((n) => {
      const errors = byNode.get(n.id)?.errors ?? [];
      const warnings = byNode.get(n.id)?.warnings ?? [];
      const isEntry = n.id === doc.entryNodeId;
      const current = sim?.current === n.id;
      const visited = sim?.visited.has(n.id) ?? false;
      const stats = dropoff ? dropoffNodeStats(dropoff, n.id) : undefined;
      const refId =
        n.type === "transfer"
          ? n.config.teamId
          : n.type === "goto_flow"
            ? n.config.flowId
            : n.type === "greeting" || n.type === "hangup"
              ? promptAssetId(n.config.prompt)
              : undefined;
      const refName = typeof refId === "string" ? names.get(refId) : undefined;
      const isSelected = chosen.has(n.id);
      const prev = nodeCache.current.get(n.id);
      const d = prev?.data;
      const same =
        prev &&
        d &&
        d.node === n &&
        prev.selected === isSelected &&
        d.isEntry === isEntry &&
        d.current === current &&
        d.visited === visited &&
        d.stats?.key === stats?.key &&
        d.refName === refName &&
        d.errors.join("\n") === errors.join("\n") &&
        d.warnings.join("\n") === warnings.join("\n");
      const node: Node<IvrNodeData> = same
        ? prev
        : {
            id: n.id,
            type: "ivr",
            position: n.position,
            selected: isSelected,
            measured: sizes.current.get(n.id),
            initialWidth: NODE_WIDTH,
            initialHeight: estimateHeight(2),
            data: { node: n, isEntry, errors, warnings, current, visited, stats, refName },
          };
      next.set(n.id, node);
      return node;
    });
    nodeCache.current = next;
    return list;
  }, [doc, selected, byNode, sim, dropoff, names, sizes]);
  const edges = useMemo(() => {
    const chosen = new Set(selectedEdges);
    return doc.edges.map((e): Edge => {
      const base = { id: e.id, source: e.source, sourceHandle: e.sourceHandle, target: e.target, type: "smoothstep", selected: chosen.has(e.id) };
      if (dropoff) return { ...base, ...dropoffEdgeStyle(dropoff, e.source, e.sourceHandle) };
      const taken = sim?.edges.has(`${e.source}|${e.sourceHandle}`) ?? false;
      return { ...base, animated: taken, style: taken ? { stroke: "#f59e0b", strokeWidth: 3 } : undefined };
    });
  }, [doc, sim, dropoff, selectedEdges]);
  return { nodes, edges };
}

/** React Flow's selection, drag and measurement changes as editor actions (positions land in the document). */
export function useCanvasChanges(stateRef: MutableRefObject<EditorState>, dispatch: Dispatch<EditorAction>, sizes: MutableRefObject<Map<string, Size>>) {
  const onNodesChange = useCallback(
    (changes: NodeChange[]) => {
      const s = stateRef.current;
      let chosen = s.selected;
      const moves: Record<string, { x: number; y: number }> = {};
      let final = false;
      for (const ch of changes) {
        if (ch.type === "select") chosen = toggled(chosen, ch.id, ch.selected);
        else if (ch.type === "position" && ch.position) {
          moves[ch.id] = ch.position;
          if (ch.dragging === false) final = true;
        } else if (ch.type === "dimensions" && ch.dimensions) sizes.current.set(ch.id, ch.dimensions);
      }
      if (chosen !== s.selected) dispatch({ type: "select", ids: chosen, edgeIds: s.selectedEdges });
      if (Object.keys(moves).length) dispatch({ type: "move", positions: moves, final });
    },
    [stateRef, dispatch, sizes],
  );
  const onEdgesChange = useCallback(
    (changes: EdgeChange[]) => {
      const s = stateRef.current;
      let chosen = s.selectedEdges;
      for (const ch of changes) if (ch.type === "select") chosen = toggled(chosen, ch.id, ch.selected);
      if (chosen !== s.selectedEdges) dispatch({ type: "select", ids: s.selected, edgeIds: chosen });
    },
    [stateRef, dispatch],
  );
  return { onNodesChange, onEdgesChange };
}

/** `ids` with `id` in or out; the same array when nothing changes. */
function toggled(ids: string[], id: string, on: boolean): string[] {
  if (on) return ids.includes(id) ? ids : [...ids, id];
  return ids.includes(id) ? ids.filter((x) => x !== id) : ids;
}
