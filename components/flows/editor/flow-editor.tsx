"use client";
// The visual IVR editor: palette, canvas (@xyflow/react), properties, validation list, simulator.
// The flow document is the state; the canvas is drawn from it on every change.
import "@xyflow/react/dist/style.css";
import { Background, Controls, type Edge, MiniMap, type Node, type NodeChange, type EdgeChange, ReactFlow, ReactFlowProvider, useReactFlow } from "@xyflow/react";
import { type DragEvent, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { type DraftDocument, NODE_TYPES, type NodeType, nodeSpec, validateFlow } from "@/lib/ivr";
import { apiCall } from "../../api-client";
import { addNode, connect, removeNodes, updateNode } from "./document-ops";
import { DropoffBar, dropoffEdgeStyle, dropoffNodeStats, useDropoff } from "./dropoff-bar";
import { IvrNode, type IvrNodeData, NODE_ICONS } from "./ivr-node";
import { type EditorRefs, PropertiesPanel } from "./properties-panel";
import { type SimView, SimulatorPanel } from "./simulator-panel";

const nodeTypes = { ivr: IvrNode };
const DRAG_TYPE = "application/x-ringflow-node";

interface Props {
  flow: { id: string; name: string; version: number; draftDocument: DraftDocument };
  refs: EditorRefs;
}

const request = apiCall;

function Editor({ flow, refs }: Props) {
  const rf = useReactFlow();
  const [doc, setDoc] = useState<DraftDocument>(flow.draftDocument);
  const [past, setPast] = useState<DraftDocument[]>([]);
  const [future, setFuture] = useState<DraftDocument[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [dirty, setDirty] = useState(false);
  const [version, setVersion] = useState(flow.version);
  const [message, setMessage] = useState<{ kind: "ok" | "error"; text: string } | null>(null);
  const [showSim, setShowSim] = useState(false);
  const [sim, setSim] = useState<SimView | null>(null);
  const [showDropoff, setShowDropoff] = useState(false);
  const dropoff = useDropoff(flow.id, showDropoff);
  // Fit an existing flow into view when it opens; an empty canvas keeps 1:1 so drops land where aimed.
  const [fitOnOpen] = useState(flow.draftDocument.nodes.length > 0);

  const ctx = useMemo(() => ({ teamIds: new Set(refs.teams.map((t) => t.id)), flowIds: new Set([...refs.flows.map((f) => f.id), flow.id]), currentFlowId: flow.id }), [refs, flow.id]);
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

  /** Every edit goes through here: one undo step each. */
  const commit = useCallback((next: DraftDocument | ((d: DraftDocument) => DraftDocument)) => {
    setDoc((prev) => {
      const value = typeof next === "function" ? next(prev) : next;
      if (value === prev) return prev;
      setPast((p) => [...p.slice(-99), prev]);
      setFuture([]);
      setDirty(true);
      return value;
    });
  }, []);

  const undo = useCallback(() => {
    setPast((p) => {
      if (!p.length) return p;
      setDoc((cur) => {
        setFuture((f) => [cur, ...f]);
        return p[p.length - 1]!;
      });
      setDirty(true);
      return p.slice(0, -1);
    });
  }, []);
  const redo = useCallback(() => {
    setFuture((f) => {
      if (!f.length) return f;
      setDoc((cur) => {
        setPast((p) => [...p, cur]);
        return f[0]!;
      });
      setDirty(true);
      return f.slice(1);
    });
  }, []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.target as HTMLElement).closest("input, textarea, select")) return;
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "z") {
        e.preventDefault();
        if (e.shiftKey) redo();
        else undo();
      } else if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "y") {
        e.preventDefault();
        redo();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [undo, redo]);

  useEffect(() => {
    if (!dirty) return;
    const guard = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener("beforeunload", guard);
    return () => window.removeEventListener("beforeunload", guard);
  }, [dirty]);

  // Reuse the previous canvas node object when nothing it shows changed, so React Flow redraws
  // only the edited node (a 300-node flow stays responsive while typing).
  const nodeCache = useRef(new Map<string, Node<IvrNodeData>>());
  const nodes: Node<IvrNodeData>[] = useMemo(() => {
    const next = new Map<string, Node<IvrNodeData>>();
    const list = doc.nodes.map((n) => {
      const errors = byNode.get(n.id)?.errors ?? [];
      const warnings = byNode.get(n.id)?.warnings ?? [];
      const isEntry = n.id === doc.entryNodeId;
      const current = sim?.current === n.id;
      const visited = sim?.visited.has(n.id) ?? false;
      const stats = dropoff.data ? dropoffNodeStats(dropoff.data, n.id) : undefined;
      const isSelected = n.id === selected;
      const prev = nodeCache.current.get(n.id);
      const d = prev?.data;
      const same =
        prev && d && d.node === n && prev.selected === isSelected && d.isEntry === isEntry && d.current === current && d.visited === visited && d.stats?.key === stats?.key &&
        d.errors.join("\n") === errors.join("\n") && d.warnings.join("\n") === warnings.join("\n");
      const node: Node<IvrNodeData> = same
        ? prev
        : { id: n.id, type: "ivr", position: n.position, selected: isSelected, data: { node: n, isEntry, errors, warnings, current, visited, stats } };
      next.set(n.id, node);
      return node;
    });
    nodeCache.current = next;
    return list;
  }, [doc, selected, byNode, sim, dropoff.data]);
  const edges: Edge[] = useMemo(
    () =>
      doc.edges.map((e) => {
        const base = { id: e.id, source: e.source, sourceHandle: e.sourceHandle, target: e.target };
        if (dropoff.data) return { ...base, ...dropoffEdgeStyle(dropoff.data, e.source, e.sourceHandle) };
        const taken = sim?.edges.has(`${e.source}|${e.sourceHandle}`) ?? false;
        return { ...base, animated: taken, style: taken ? { stroke: "#f59e0b", strokeWidth: 3 } : undefined };
      }),
    [doc, sim, dropoff.data],
  );

  const onNodesChange = useCallback(
    (changes: NodeChange[]) => {
      for (const ch of changes) {
        if (ch.type === "select" && ch.selected) setSelected(ch.id);
        if (ch.type === "select" && !ch.selected) setSelected((s) => (s === ch.id ? null : s));
      }
      const moves = changes.filter((c) => c.type === "position" && c.position);
      if (moves.length) {
        const final = moves.some((c) => c.type === "position" && c.dragging === false);
        const apply = (d: DraftDocument) => ({
          ...d,
          nodes: d.nodes.map((n) => {
            const m = moves.find((c) => c.type === "position" && c.id === n.id);
            return m && m.type === "position" && m.position ? { ...n, position: m.position } : n;
          }),
        });
        if (final) commit(apply);
        else setDoc(apply);
        setDirty(true);
      }
      const removed = new Set(changes.filter((c) => c.type === "remove").map((c) => (c as { id: string }).id));
      if (removed.size) commit((d) => removeNodes(d, removed));
    },
    [commit],
  );
  const onEdgesChange = useCallback(
    (changes: EdgeChange[]) => {
      const removed = new Set(changes.filter((c) => c.type === "remove").map((c) => (c as { id: string }).id));
      if (removed.size) commit((d) => ({ ...d, edges: d.edges.filter((e) => !removed.has(e.id)) }));
    },
    [commit],
  );

  function onDrop(e: DragEvent) {
    e.preventDefault();
    const type = e.dataTransfer.getData(DRAG_TYPE) as NodeType;
    if (!NODE_TYPES.includes(type)) return;
    commit((d) => addNode(d, type, rf.screenToFlowPosition({ x: e.clientX, y: e.clientY })));
  }

  function addAtCenter(type: NodeType) {
    const box = document.querySelector(".react-flow")?.getBoundingClientRect();
    const at = box ? rf.screenToFlowPosition({ x: box.left + box.width / 2, y: box.top + box.height / 3 }) : { x: 0, y: 0 };
    commit((d) => addNode(d, type, { x: at.x + d.nodes.length * 12, y: at.y + d.nodes.length * 12 }));
  }

  async function save() {
    try {
      const res = await request(`/api/flows/${flow.id}/draft`, "PUT", { document: doc });
      setDirty(false);
      const errors = (res.issues as { severity: string }[]).filter((i) => i.severity === "error").length;
      setMessage({ kind: "ok", text: errors ? `Draft saved with ${errors} error(s) to fix before publishing.` : "Draft saved." });
      return true;
    } catch (err) {
      setMessage({ kind: "error", text: (err as Error).message });
      return false;
    }
  }

  async function publish() {
    if (!(await save())) return;
    try {
      const res = await request(`/api/flows/${flow.id}/publish`, "POST");
      setVersion(res.version);
      setMessage({ kind: "ok", text: `Published version ${res.version}.` });
    } catch (err) {
      setMessage({ kind: "error", text: (err as Error).message });
    }
  }

  function focusNode(id: string) {
    const n = doc.nodes.find((x) => x.id === id);
    if (!n) return;
    setSelected(id);
    void rf.setCenter(n.position.x + 110, n.position.y + 60, { zoom: 1.1, duration: 200 });
  }

  const selectedNode = doc.nodes.find((n) => n.id === selected) ?? null;
  const errors = validation.issues.filter((i) => i.severity === "error");

  return (
    <div className="flex h-full flex-col">
      <div className="flex flex-wrap items-center gap-2 border-b border-slate-200 dark:border-slate-700 bg-white dark:bg-slate-900 px-4 py-2">
        <h1 className="mr-2 text-lg font-semibold">{flow.name}</h1>
        <span className="text-xs text-slate-500 dark:text-slate-400">{version ? `published v${version}` : "never published"}{dirty ? " · unsaved changes" : ""}</span>
        <div className="ml-auto flex gap-2">
          <button type="button" className="btn-secondary" onClick={undo} disabled={!past.length}>Undo</button>
          <button type="button" className="btn-secondary" onClick={redo} disabled={!future.length}>Redo</button>
          <button type="button" className="btn-secondary" aria-pressed={showDropoff} onClick={() => setShowDropoff((s) => !s)}>Drop-off</button>
          <button type="button" className="btn-secondary" onClick={() => setShowSim((s) => !s)}>{showSim ? "Hide test call" : "Test call"}</button>
          <button type="button" className="btn-secondary" onClick={save}>Save</button>
          <button type="button" className="btn-primary" onClick={publish}>Publish</button>
        </div>
      </div>
      <div className="flex flex-wrap gap-1 border-b border-slate-200 dark:border-slate-700 bg-slate-50 dark:bg-slate-800/60 px-4 py-2" role="toolbar" aria-label="Node palette">
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
            className="btn-secondary cursor-grab"
            title="Drag onto the canvas (or click to add)"
          >
            <span aria-hidden className="mr-1">{NODE_ICONS[t]}</span>
            {nodeSpec(t).title}
          </button>
        ))}
      </div>
      {showDropoff && <DropoffBar state={dropoff} onClose={() => setShowDropoff(false)} />}
      {message && (
        <p role={message.kind === "error" ? "alert" : "status"} className={`px-4 py-1 text-sm ${message.kind === "error" ? "bg-red-50 dark:bg-red-950/40 text-red-700 dark:text-red-300" : "bg-brand-50 dark:bg-brand-700/20 text-brand-700 dark:text-brand-500"}`}>
          {message.text}
        </p>
      )}
      <div className="flex min-h-0 flex-1">
        <div role="application" aria-label="Flow canvas" className="relative min-w-0 flex-1" onDragOver={(e) => { e.preventDefault(); e.dataTransfer.dropEffect = "move"; }} onDrop={onDrop}>
          <ReactFlow
            nodes={nodes}
            edges={edges}
            nodeTypes={nodeTypes}
            onNodesChange={onNodesChange}
            onEdgesChange={onEdgesChange}
            onConnect={(c) => c.source && c.target && c.sourceHandle && commit((d) => connect(d, c.source, c.sourceHandle!, c.target))}
            onPaneClick={() => setSelected(null)}
            deleteKeyCode={["Backspace", "Delete"]}
            fitView={fitOnOpen}
            fitViewOptions={{ maxZoom: 1 }}
            minZoom={0.1}
          >
            <Background />
            <Controls />
            <MiniMap pannable zoomable />
          </ReactFlow>
          <section aria-label="Problems" className="absolute top-2 right-2 z-10 max-h-40 w-96 overflow-y-auto rounded-md border border-slate-200 dark:border-slate-700 bg-white/95 p-2 text-xs shadow">
            <p className="mb-1 font-semibold">{errors.length ? `${errors.length} error(s)` : "No errors"}{validation.issues.length - errors.length ? `, ${validation.issues.length - errors.length} warning(s)` : ""}</p>
            <ul>
              {validation.issues.map((i) => (
                <li key={`${i.code}-${i.nodeId}-${i.edgeId}-${i.message}`}>
                  <button type="button" className={`text-left hover:underline ${i.severity === "error" ? "text-red-700 dark:text-red-300" : "text-amber-700"}`} onClick={() => i.nodeId && focusNode(i.nodeId)}>
                    {i.message}
                  </button>
                </li>
              ))}
            </ul>
          </section>
        </div>
        {selectedNode && !showSim && (
          <PropertiesPanel
            node={selectedNode}
            refs={refs}
            isEntry={selectedNode.id === doc.entryNodeId}
            issues={validation.issues.filter((i) => i.nodeId === selectedNode.id)}
            onChange={(patch) => commit((d) => updateNode(d, selectedNode.id, patch))}
            onSetEntry={() => commit((d) => ({ ...d, entryNodeId: selectedNode.id }))}
            onDelete={() => {
              commit((d) => removeNodes(d, new Set([selectedNode.id])));
              setSelected(null);
            }}
          />
        )}
        {showSim && (
          <SimulatorPanel
            document={validation.document ?? null}
            refs={refs}
            onView={setSim}
            loadFlow={async (id) => (await request(`/api/flows/${id}`, "GET").catch(() => null))?.publishedDocument ?? null}
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
