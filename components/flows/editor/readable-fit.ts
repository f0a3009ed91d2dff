// Bringing a flow into view without shrinking its text past reading. Node text is 11–12 px; fitting a
// 10-node flow into a 1366 px screen drew it at about 7 px. A flow that fits at READABLE_ZOOM or more
// is fitted whole, as before; a bigger one opens at READABLE_ZOOM with its entry node at the left (the
// minimap and the fit-view control still show all of it).
import type { ReactFlowInstance } from "@xyflow/react";

/** The smallest zoom the editor opens or lays out at: 12 px text reads at 9.6 px, handle labels at 8.8 px. */
export const READABLE_ZOOM = 0.8;
/** Room kept between the flow and the edges of the canvas, in screen pixels. */
const MARGIN = 40;

/** `pane`: the canvas element (its size). `duration`: animates the move (ms). */
export async function fitReadable(rf: ReactFlowInstance, pane: Element | null | undefined, entryNodeId: string | null | undefined, duration?: number) {
  // Nodes not measured yet (the flow just opened): fitView waits for them; then the zoom it chose tells.
  if (!rf.getNodes().every((n) => n.measured?.width)) await rf.fitView({ maxZoom: 1 });
  const nodes = rf.getNodes();
  const box = pane?.getBoundingClientRect();
  const bounds = rf.getNodesBounds(nodes);
  // The zoom that shows the whole flow (no canvas size known, or no nodes: fitted as before).
  const whole =
    nodes.length > 0 && box && box.width > 0 && box.height > 0
      ? Math.min((box.width - 2 * MARGIN) / bounds.width, (box.height - 2 * MARGIN) / bounds.height)
      : Number.POSITIVE_INFINITY;
  if (!box || whole >= READABLE_ZOOM) {
    await rf.fitView({ maxZoom: 1, duration });
    return;
  }
  const zoom = READABLE_ZOOM;
  const entry = nodes.find((n) => n.id === entryNodeId);
  const left = entry?.position.x ?? bounds.x;
  // Vertically: the whole flow centred when its height fits, else the entry node at mid-height.
  const fitsTall = bounds.height * zoom + 2 * MARGIN <= box.height;
  const middle = fitsTall || !entry ? bounds.y + bounds.height / 2 : entry.position.y + (entry.measured?.height ?? 0) / 2;
  await rf.setViewport({ x: MARGIN - left * zoom, y: box.height / 2 - middle * zoom, zoom }, { duration });
}
