"use client";
// The visual IVR editor: palette, canvas (@xyflow/react), properties, problems, simulator.
// The flow document is the state (one reducer, editor-state.ts); the canvas is drawn from it.
import "@xyflow/react/dist/style.css";
import {
  Background,
  Controls,
  type Edge,
  type EdgeChange,
  MiniMap,
  type Node,
  type NodeChange,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
} from "@xyflow/react";
import Link from "next/link";
import { type DragEvent, useCallback, useMemo, useReducer, useRef, useState } from "react";
import { type DraftDocument, NODE_TYPES, type NodeType, nodeSpec, validateFlow } from "@/lib/ivr";
import { apiCall } from "../../api-client";
import { autoLayout, estimateHeight, NODE_WIDTH } from "./auto-layout";
import { newId, newNode } from "./document-ops";
import { DropoffBar, dropoffEdgeStyle, dropoffNodeStats, useDropoff } from "./dropoff-bar";
import { useEditorKeys, useUnsavedGuard } from "./editor-hooks";
import { editorReducer, initEditor, isDirty } from "./editor-state";
import { IvrNode, type IvrNodeData, NODE_ICONS } from "./ivr-node";
import { ProblemsPanel } from "./problems-panel";
import { type EditorRefs, PropertiesPanel } from "./properties-panel";
import { type SimView, SimulatorPanel } from "./simulator-panel";

const nodeTypes = { ivr: IvrNode };
const DRAG_TYPE = "application/x-ringflow-node";

interface Props {
  flow: { id: string; name: string; version: number; draftDocument: DraftDocument };
  refs: EditorRefs;
}

type Message = { kind: "ok" | "error"; text: string; doc: DraftDocument };
type Size = { width: number; height: number };

function Editor({ flow, refs: pageRefs }: Props) {
  const rf = useReactFlow();
  const [state, dispatch] = useReducer(editorReducer, flow.draftDocument, initEditor);
  const { doc, selected } = state;
  const dirty = isDirty(state);
  const stateRef = useRef(state);
  stateRef.current = state;
  const [version, setVersion] = useState(flow.version);
  const [message, setMessage] = useState<Message | null>(null);
  const [showSim, setShowSim] = useState(false);
  const [showDropoff, setShowDropoff] = useState(false);
  const [sim, setSim] = useState<SimView | null>(null);
  const dropoff = useDropoff(flow.id, showDropoff);
  const root = useRef<HTMLDivElement>(null);
  // Canvas sizes React Flow measured, carried into new node objects (the MiniMap and layout use them).
  const sizes = useRef(new Map<string, Size>());
  // Fit an existing flow into view when it opens; an empty canvas keeps 1:1 so drops land where aimed.
  const [fitOnOpen] = useState(flow.draftDocument.nodes.length > 0);
  // Audio uploaded from a prompt field joins the pickers without a reload.
  const [uploaded, setUploaded] = useState<EditorRefs["assets"]>([]);
  const refs = useMemo(
    () => ({ ...pageRefs, assets: [...pageRefs.assets, ...uploaded.filter((u) => !pageRefs.assets.some((a) => a.id === u.id))] }),
    [pageRefs, uploaded],
  );
  /** An upload finished: select it in that node's prompt, as one undoable edit on the current config. */
  const assetReady = useCallback((nodeId: string, key: string, asset: EditorRefs["assets"][number]) => {
    setUploaded((list) => [...list.filter((a) => a.id !== asset.id), asset]);
    const node = stateRef.current.doc.nodes.find((n) => n.id === nodeId);
    if (node) dispatch({ type: "update", id: nodeId, patch: { config: { ...node.config, [key]: { assetId: asset.id } } } });
  }, []);

  const ctx = useMemo(
    () => ({ teamIds: new Set(refs.teams.map((t) => t.id)), flowIds: new Set([...refs.flows.map((f) => f.id), flow.id]), currentFlowId: flow.id }),
    [refs, flow.id],
  );
  const names = useMemo(() => new Map([...refs.teams, ...refs.flows].map((r) => [r.id, r.name])), [refs]);
  const validation = useMemo(() => validateFlow(doc, ctx), [doc, ctx]);
  const byNode = useMemo(() => {
    const m = new Map<string, { errors: string[]; warnings: string[] }>();
    for (const i of validation.issues) {
      if (!i.nodeId) continue;
      const e = m.get(i.nodeId) ?? { errors: [], warnings: [] };
      (i.severity === "error" ? e.errors : e.warnings).push(i.message);
      m.set(i.nodeId, e);
    }
    return m;
  }, [validation]);

  // Reuse the previous canvas node object when nothing it shows changed, so React Flow redraws
  // only the edited node (a 300-node flow stays responsive while typing).
  const nodeCache = useRef(new Map<string, Node<IvrNodeData>>());
  const nodes: Node<IvrNodeData>[] = useMemo(() => {
    const next = new Map<string, Node<IvrNodeData>>();
    const chosen = new Set(selected);
    const list = doc.nodes.map((n) => {
      const errors = byNode.get(n.id)?.errors ?? [];
      const warnings = byNode.get(n.id)?.warnings ?? [];
      const isEntry = n.id === doc.entryNodeId;
      const current = sim?.current === n.id;
      const visited = sim?.visited.has(n.id) ?? false;
      const stats = dropoff.data ? dropoffNodeStats(dropoff.data, n.id) : undefined;
      const refId = n.type === "transfer" ? n.config.teamId : n.type === "goto_flow" ? n.config.flowId : undefined;
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
  }, [doc, selected, byNode, sim, dropoff.data, names]);
  const edges: Edge[] = useMemo(() => {
    const chosen = new Set(state.selectedEdges);
    return doc.edges.map((e) => {
      const base = { id: e.id, source: e.source, sourceHandle: e.sourceHandle, target: e.target, type: "smoothstep", selected: chosen.has(e.id) };
      if (dropoff.data) return { ...base, ...dropoffEdgeStyle(dropoff.data, e.source, e.sourceHandle) };
      const taken = sim?.edges.has(`${e.source}|${e.sourceHandle}`) ?? false;
      return { ...base, animated: taken, style: taken ? { stroke: "#f59e0b", strokeWidth: 3 } : undefined };
    });
  }, [doc, sim, dropoff.data, state.selectedEdges]);

  const onNodesChange = useCallback((changes: NodeChange[]) => {
    const s = stateRef.current;
    let chosen = s.selected;
    const moves: Record<string, { x: number; y: number }> = {};
    let final = false;
    for (const ch of changes) {
      if (ch.type === "select") chosen = ch.selected ? (chosen.includes(ch.id) ? chosen : [...chosen, ch.id]) : chosen.filter((id) => id !== ch.id);
      else if (ch.type === "position" && ch.position) {
        moves[ch.id] = ch.position;
        if (ch.dragging === false) final = true;
      } else if (ch.type === "dimensions" && ch.dimensions) sizes.current.set(ch.id, ch.dimensions);
    }
    if (chosen !== s.selected) dispatch({ type: "select", ids: chosen, edgeIds: s.selectedEdges });
    if (Object.keys(moves).length) dispatch({ type: "move", positions: moves, final });
  }, []);
  const onEdgesChange = useCallback((changes: EdgeChange[]) => {
    const s = stateRef.current;
    let chosen = s.selectedEdges;
    for (const ch of changes) {
      if (ch.type === "select") chosen = ch.selected ? (chosen.includes(ch.id) ? chosen : [...chosen, ch.id]) : chosen.filter((id) => id !== ch.id);
    }
    if (chosen !== s.selectedEdges) dispatch({ type: "select", ids: s.selected, edgeIds: chosen });
  }, []);

  function add(type: NodeType, at: { x: number; y: number }) {
    dispatch({ type: "add", node: newNode(stateRef.current.doc, type, at) });
  }
  function onDrop(e: DragEvent) {
    e.preventDefault();
    const type = e.dataTransfer.getData(DRAG_TYPE) as NodeType;
    if (NODE_TYPES.includes(type)) add(type, rf.screenToFlowPosition({ x: e.clientX, y: e.clientY }));
  }
  function addAtCenter(type: NodeType) {
    const box = root.current?.querySelector(".react-flow")?.getBoundingClientRect();
    const at = box ? rf.screenToFlowPosition({ x: box.left + box.width / 2, y: box.top + box.height / 3 }) : { x: 0, y: 0 };
    const n = stateRef.current.doc.nodes.length;
    add(type, { x: at.x + n * 12, y: at.y + n * 12 });
  }

  function layout() {
    dispatch({ type: "layout", positions: autoLayout(stateRef.current.doc, Object.fromEntries(sizes.current)) });
    window.requestAnimationFrame(() => void rf.fitView({ maxZoom: 1, duration: 200 }));
  }

  async function save() {
    const saving = stateRef.current.doc;
    try {
      const res = await apiCall(`/api/flows/${flow.id}/draft`, "PUT", { document: saving });
      dispatch({ type: "saved", doc: saving });
      const errors = (res.issues as { severity: string }[]).filter((i) => i.severity === "error").length;
      setMessage({ kind: "ok", text: errors ? `Draft saved with ${errors} error(s) to fix before publishing.` : "Draft saved.", doc: saving });
      return true;
    } catch (err) {
      setMessage({ kind: "error", text: (err as Error).message, doc: saving });
      return false;
    }
  }
  async function publish() {
    if (!(await save())) return;
    const published = stateRef.current.doc;
    try {
      const res = await apiCall(`/api/flows/${flow.id}/publish`, "POST");
      setVersion(res.version);
      setMessage({ kind: "ok", text: `Published version ${res.version}.`, doc: published });
    } catch (err) {
      setMessage({ kind: "error", text: (err as Error).message, doc: published });
    }
  }

  useEditorKeys({
    undo: () => dispatch({ type: "undo" }),
    redo: () => dispatch({ type: "redo" }),
    save: () => void save(),
    duplicate: () => {
      const s = stateRef.current;
      const taken = new Set(s.doc.nodes.map((n) => n.id));
      const ids = Object.fromEntries(
        s.selected.map((id) => {
          const copy = newId(id.replace(/-[^-]*$/, "") || "node", taken);
          taken.add(copy);
          return [id, copy];
        }),
      );
      dispatch({ type: "duplicate", ids, offset: { x: 40, y: 40 } });
    },
    selectAll: () => dispatch({ type: "select", ids: stateRef.current.doc.nodes.map((n) => n.id), edgeIds: [] }),
    nudge: (dx, dy) => dispatch({ type: "nudge", ids: stateRef.current.selected, dx, dy }),
  });
  useUnsavedGuard(dirty);

  function focusNode(id: string) {
    const n = doc.nodes.find((x) => x.id === id);
    if (!n) return;
    dispatch({ type: "select", ids: [id], edgeIds: [] });
    void rf.setCenter(n.position.x + 110, n.position.y + 60, { zoom: 1.1, duration: 200 });
  }

  const selectedNode = selected.length === 1 ? (doc.nodes.find((n) => n.id === selected[0]) ?? null) : null;
  // A message about an older document no longer describes the flow: it goes with the next edit.
  const banner = message && message.doc === doc ? message : null;

  return (
    <div ref={root} className="flex h-full flex-col">
      <div className="flex flex-wrap items-center gap-2 border-b border-slate-200 bg-white px-4 py-2 dark:border-slate-700 dark:bg-slate-900">
        <h1 className="mr-2 text-lg font-semibold">{flow.name}</h1>
        <span className="text-xs text-slate-500 dark:text-slate-400">
          {version ? `published v${version}` : "never published"}
          {dirty ? " · unsaved changes" : ""}
        </span>
        <div className="ml-auto flex flex-wrap gap-2">
          <button type="button" className="btn-secondary" onClick={() => dispatch({ type: "undo" })} disabled={!state.past.length} title="Undo (Ctrl+Z)">
            Undo
          </button>
          <button
            type="button"
            className="btn-secondary"
            onClick={() => dispatch({ type: "redo" })}
            disabled={!state.future.length}
            title="Redo (Ctrl+Shift+Z)"
          >
            Redo
          </button>
          <button type="button" className="btn-secondary" onClick={layout} disabled={!doc.nodes.length}>
            Auto-layout
          </button>
          <Link href={`/flows/${flow.id}/versions`} className="btn-secondary">
            Versions
          </Link>
          <button type="button" className="btn-secondary" aria-pressed={showDropoff} onClick={() => setShowDropoff((v) => !v)}>
            Drop-off
          </button>
          <button type="button" className="btn-secondary" onClick={() => setShowSim((v) => !v)}>
            {showSim ? "Hide test call" : "Test call"}
          </button>
          <button type="button" className="btn-secondary" onClick={save} title="Save (Ctrl+S)">
            Save
          </button>
          <button type="button" className="btn-primary" onClick={publish}>
            Publish
          </button>
        </div>
      </div>
      <div
        className="flex gap-1 overflow-x-auto border-b border-slate-200 bg-slate-50 px-4 py-2 dark:border-slate-700 dark:bg-slate-800/60"
        role="toolbar"
        aria-label="Node palette"
      >
        {NODE_TYPES.map((t) => (
          <button
            key={t}
            type="button"
            draggable
            data-palette={t}
            onDragStart={(e) => {
              e.dataTransfer.setData(DRAG_TYPE, t);
              e.dataTransfer.effectAllowed = "move";
            }}
            onClick={() => addAtCenter(t)}
            className="btn-secondary shrink-0 cursor-grab whitespace-nowrap px-2 xl:px-3"
            title="Drag onto the canvas (or click to add)"
          >
            <span aria-hidden className="mr-1">
              {NODE_ICONS[t]}
            </span>
            {nodeSpec(t).title}
          </button>
        ))}
      </div>
      {showDropoff && <DropoffBar state={dropoff} onClose={() => setShowDropoff(false)} />}
      {banner && (
        <p
          role={banner.kind === "error" ? "alert" : "status"}
          className={`px-4 py-1 text-sm ${banner.kind === "error" ? "bg-red-50 text-red-700 dark:bg-red-950/40 dark:text-red-300" : "bg-brand-50 text-brand-700 dark:bg-brand-700/20 dark:text-brand-500"}`}
        >
          {banner.text}
        </p>
      )}
      <div className="flex min-h-0 flex-1">
        <div className="flex min-w-0 flex-1 flex-col">
          <div
            role="application"
            aria-label="Flow canvas"
            className="relative min-h-0 flex-1"
            onDragOver={(e) => {
              e.preventDefault();
              e.dataTransfer.dropEffect = "move";
            }}
            onDrop={onDrop}
          >
            <ReactFlow
              nodes={nodes}
              edges={edges}
              nodeTypes={nodeTypes}
              onNodesChange={onNodesChange}
              onEdgesChange={onEdgesChange}
              onConnect={(c) =>
                c.source &&
                c.target &&
                c.sourceHandle &&
                dispatch({
                  type: "connect",
                  edgeId: newId("e", new Set(doc.edges.map((e) => e.id))),
                  source: c.source,
                  sourceHandle: c.sourceHandle,
                  target: c.target,
                })
              }
              onDelete={({ nodes: gone, edges: cut }) => dispatch({ type: "remove", nodeIds: gone.map((n) => n.id), edgeIds: cut.map((e) => e.id) })}
              onPaneClick={() => dispatch({ type: "select", ids: [], edgeIds: [] })}
              deleteKeyCode={["Backspace", "Delete"]}
              multiSelectionKeyCode={["Shift", "Meta", "Control"]}
              defaultEdgeOptions={{ type: "smoothstep" }}
              fitView={fitOnOpen}
              fitViewOptions={{ maxZoom: 1 }}
              minZoom={0.05}
            >
              <Background />
              <Controls />
              <MiniMap
                pannable
                zoomable
                style={{ width: 160, height: 100 }}
                ariaLabel="Overview of the whole flow"
                nodeColor={(n) => ((n.data as IvrNodeData).errors.length ? "#f87171" : "#10b981")}
                nodeStrokeWidth={2}
                className="!bg-white dark:!bg-slate-900"
              />
            </ReactFlow>
          </div>
          <ProblemsPanel issues={validation.issues} onFocus={focusNode} />
        </div>
        {selectedNode && !showSim && (
          <PropertiesPanel
            node={selectedNode}
            refs={refs}
            isEntry={selectedNode.id === doc.entryNodeId}
            issues={validation.issues.filter((i) => i.nodeId === selectedNode.id)}
            onChange={(patch) => dispatch({ type: "update", id: selectedNode.id, patch })}
            onAssetReady={(key, asset) => assetReady(selectedNode.id, key, asset)}
            onSetEntry={() => dispatch({ type: "set-entry", id: selectedNode.id })}
            onDelete={() => dispatch({ type: "remove", nodeIds: [selectedNode.id] })}
          />
        )}
        {showSim && (
          <SimulatorPanel
            document={validation.document ?? null}
            refs={refs}
            onView={setSim}
            loadFlow={async (id) => (await apiCall(`/api/flows/${id}`, "GET").catch(() => null))?.publishedDocument ?? null}
          />
        )}
      </div>
    </div>
  );
}

export function FlowEditor(props: Props) {
  return (
    <ReactFlowProvider>
      <Editor {...props} />
    </ReactFlowProvider>
  );
}
