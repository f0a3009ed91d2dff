"use client";
// A published version on a read-only canvas; in the compare view nodes and edges carry how they
// changed (added green, removed red, changed amber).
import "@xyflow/react/dist/style.css";
import { Background, Controls, type Edge, MiniMap, type Node, ReactFlow, ReactFlowProvider } from "@xyflow/react";
import { useMemo } from "react";
import type { DraftDocument } from "@/lib/ivr";
import { estimateHeight, NODE_WIDTH } from "./editor/auto-layout";
import { IvrNode, type IvrNodeData } from "./editor/ivr-node";

const nodeTypes = { ivr: IvrNode };
type Kind = "added" | "removed" | "changed";
const EDGE_COLOUR: Record<Kind, string> = { added: "#10b981", removed: "#ef4444", changed: "#f59e0b" };

export function VersionCanvas({
  document,
  names,
  nodeDiff = {},
  edgeDiff = {},
}: {
  document: DraftDocument;
  /** Team and flow names by id, for Transfer and Go to flow nodes. */
  names: Record<string, string>;
  nodeDiff?: Record<string, Kind>;
  /** By `source|sourceHandle`. */
  edgeDiff?: Record<string, Kind>;
}) {
  const nodes: Node<IvrNodeData>[] = useMemo(
    () =>
      document.nodes.map((n) => {
        const refId = n.type === "transfer" ? n.config.teamId : n.type === "goto_flow" ? n.config.flowId : undefined;
        return {
          id: n.id,
          type: "ivr",
          position: n.position,
          initialWidth: NODE_WIDTH,
          initialHeight: estimateHeight(2),
          data: {
            node: n,
            isEntry: n.id === document.entryNodeId,
            errors: [],
            warnings: [],
            current: false,
            visited: false,
            refName: typeof refId === "string" ? names[refId] : undefined,
            diff: nodeDiff[n.id],
          },
        };
      }),
    [document, names, nodeDiff],
  );
  const edges: Edge[] = useMemo(
    () =>
      document.edges.map((e) => {
        const kind = edgeDiff[`${e.source}|${e.sourceHandle}`];
        return {
          id: e.id,
          source: e.source,
          sourceHandle: e.sourceHandle,
          target: e.target,
          type: "smoothstep",
          style: kind ? { stroke: EDGE_COLOUR[kind], strokeWidth: 3, strokeDasharray: kind === "removed" ? "6 4" : undefined } : undefined,
        };
      }),
    [document, edgeDiff],
  );
  return (
    <div
      role="application"
      aria-label="Version canvas (read-only)"
      className="h-[60vh] min-h-80 rounded-xl border border-slate-200 bg-white dark:border-slate-700 dark:bg-slate-900"
    >
      <ReactFlowProvider>
        <ReactFlow
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          nodesDraggable={false}
          nodesConnectable={false}
          elementsSelectable={false}
          deleteKeyCode={null}
          fitView
          fitViewOptions={{ maxZoom: 1 }}
          minZoom={0.05}
        >
          <Background />
          <Controls showInteractive={false} />
          <MiniMap
            pannable
            zoomable
            style={{ width: 160, height: 100 }}
            ariaLabel="Overview of the whole flow"
            nodeColor={(n) => EDGE_COLOUR[(n.data as IvrNodeData).diff as Kind] ?? "#94a3b8"}
          />
        </ReactFlow>
      </ReactFlowProvider>
    </div>
  );
}
