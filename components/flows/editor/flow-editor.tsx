"use client";
// The visual IVR editor: palette, canvas (@xyflow/react), properties, problems, simulator.
// The flow document is the state (one reducer, editor-state.ts); the canvas is drawn from it.
import "@xyflow/react/dist/style.css";
import { Background, Controls, MiniMap, ReactFlow, ReactFlowProvider, useReactFlow } from "@xyflow/react";
import { type DragEvent, useCallback, useMemo, useReducer, useRef, useState } from "react";
import { type DraftDocument, NODE_TYPES, type NodeType, unusableAudioMessage, validateFlow } from "@/lib/ivr";
import { apiCall } from "../../api-client";
import { autoLayout, estimateHeight, freeSpot } from "./auto-layout";
import { type Size, useCanvasChanges, useCanvasElements } from "./canvas-elements";
import { handlesOf, newId, newNode } from "./document-ops";
import { DropoffBar, useDropoff } from "./dropoff-bar";
import { useEditorKeys, useUnsavedGuard } from "./editor-hooks";
import { useFreshRefs } from "./fresh-refs";
import { editorReducer, initEditor, isDirty } from "./editor-state";
import { DRAG_TYPE, EditorToolbar, NodePalette } from "./editor-toolbar";
import { IvrNode, type IvrNodeData } from "./ivr-node";
import { ProblemsPanel } from "./problems-panel";
import { fitReadable } from "./readable-fit";
import { type EditorRefs, PropertiesPanel } from "./properties-panel";
import { useSavePublish } from "./save-publish";
import { type SimView, SimulatorPanel } from "./simulator-panel";

const nodeTypes = { ivr: IvrNode };

interface Props {
  flow: { id: string; name: string; version: number; unpublished: boolean; draftDocument: DraftDocument };
  refs: EditorRefs;
}

function Editor({ flow, refs: rendered }: Props) {
  const rf = useReactFlow();
  const pageRefs = useFreshRefs(rendered, flow.id);
  const [state, dispatch] = useReducer(editorReducer, flow.draftDocument, initEditor);
  const { doc, selected } = state;
  const dirty = isDirty(state);
  const stateRef = useRef(state);
  stateRef.current = state;
  const [showSim, setShowSim] = useState(false);
  const [showDropoff, setShowDropoff] = useState(false);
  const [sim, setSim] = useState<SimView | null>(null);
  const dropoff = useDropoff(flow.id, showDropoff);
  const root = useRef<HTMLDivElement>(null);
  const sizes = useRef(new Map<string, Size>());
  const { version, unpublished, message, save, publish } = useSavePublish(flow.id, flow.version, flow.unpublished, stateRef, dispatch);
  // An existing flow is brought into view as the canvas starts (onInit: before it, moving the view does
  // nothing), never below a readable zoom; an empty canvas keeps 1:1 so drops land where aimed.
  const [fitOnOpen] = useState(flow.draftDocument.nodes.length > 0);
  const canvas = () => root.current?.querySelector(".react-flow");
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
    () => ({
      teamIds: new Set(refs.teams.map((t) => t.id)),
      flowIds: new Set([...refs.flows.map((f) => f.id), flow.id]),
      assetIds: new Set(refs.assets.map((a) => a.id)),
      assetProblems: new Map(refs.assets.filter((a) => a.status === "failed").map((a) => [a.id, unusableAudioMessage(a.name)])),
      currentFlowId: flow.id,
    }),
    [refs, flow.id],
  );
  const names = useMemo(() => new Map([...refs.teams, ...refs.flows, ...refs.assets].map((r) => [r.id, r.name])), [refs]);
  const validation = useMemo(() => validateFlow(doc, ctx), [doc, ctx]);
  const { nodes, edges } = useCanvasElements({ state, issues: validation.issues, sim, dropoff: dropoff.data, names, sizes });
  const { onNodesChange, onEdgesChange } = useCanvasChanges(stateRef, dispatch, sizes);

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
    const doc = stateRef.current.doc;
    const node = newNode(doc, type, at);
    const topLeft = box && rf.screenToFlowPosition({ x: box.left, y: box.top });
    const bottomRight = box && rf.screenToFlowPosition({ x: box.right, y: box.bottom });
    const view = topLeft && bottomRight ? { left: topLeft.x, top: topLeft.y, right: bottomRight.x, bottom: bottomRight.y } : undefined;
    const position = freeSpot(doc, Object.fromEntries(sizes.current), at, estimateHeight(handlesOf(node).length), view);
    dispatch({ type: "add", node: { ...node, position } });
  }

  function layout() {
    dispatch({ type: "layout", positions: autoLayout(stateRef.current.doc, Object.fromEntries(sizes.current)) });
    window.requestAnimationFrame(() => void fitReadable(rf, canvas(), stateRef.current.doc.entryNodeId, 200));
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
      <EditorToolbar
        flow={flow}
        version={version}
        unpublished={unpublished}
        dirty={dirty}
        canUndo={state.past.length > 0}
        canRedo={state.future.length > 0}
        canLayout={doc.nodes.length > 0}
        showDropoff={showDropoff}
        showSim={showSim}
        onUndo={() => dispatch({ type: "undo" })}
        onRedo={() => dispatch({ type: "redo" })}
        onLayout={layout}
        onToggleDropoff={() => setShowDropoff((v) => !v)}
        onToggleSim={() => setShowSim((v) => !v)}
        onSave={() => void save()}
        onPublish={() => void publish()}
      />
      <NodePalette onAdd={addAtCenter} />
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
              onInit={() => fitOnOpen && void fitReadable(rf, canvas(), stateRef.current.doc.entryNodeId)}
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
