// Auto-layout with dagre: left to right (outputs leave on the right, inputs arrive on the left), so
// smooth-step edges run forward instead of looping around their node.
import dagre from "@dagrejs/dagre";
import { type DraftDocument, draftDocumentSchema } from "@/lib/ivr";
import { handlesOf } from "./document-ops";

export const NODE_WIDTH = 224;

/** The canvas node's height without measuring it: header, summary and one row per output. */
export function estimateHeight(handleCount: number): number {
  return 72 + handleCount * 20;
}

type Size = { width: number; height: number };

/** Edges spanning more steps than this are left out of the layout (still drawn on the canvas). */
const MAX_SPAN = 3;

/**
 * The edges dagre ranks by: every edge of a breadth-first tree from the entry, plus the others that
 * span at most MAX_SPAN steps. A long edge (every menu's "Too many tries" to one goodbye, say)
 * becomes a chain of hidden nodes inside dagre, which made a 300-node flow take ~10 s to lay out.
 */
function layoutEdges(doc: DraftDocument): [string, string][] {
  const out = new Map<string, string[]>();
  for (const e of doc.edges) out.set(e.source, [...(out.get(e.source) ?? []), e.target]);
  const depth = new Map<string, number>();
  const tree = new Set<string>();
  const roots = [doc.entryNodeId, ...doc.nodes.map((n) => n.id)].filter((id): id is string => !!id);
  for (const root of roots) {
    if (depth.has(root) || !doc.nodes.some((n) => n.id === root)) continue;
    depth.set(root, 0);
    const queue = [root];
    for (let i = 0; i < queue.length; i++) {
      const at = queue[i]!;
      for (const next of out.get(at) ?? []) {
        if (depth.has(next)) continue;
        depth.set(next, depth.get(at)! + 1);
        tree.add(`${at}>${next}`);
        queue.push(next);
      }
    }
  }
  const edges: [string, string][] = [];
  const seen = new Set<string>();
  for (const e of doc.edges) {
    const key = `${e.source}>${e.target}`;
    const ds = depth.get(e.source);
    const dt = depth.get(e.target);
    if (seen.has(key) || ds === undefined || dt === undefined) continue;
    if (tree.has(key) || Math.abs(dt - ds) <= MAX_SPAN) {
      edges.push([e.source, e.target]);
      seen.add(key);
    }
  }
  return edges;
}

/** Top-left positions for every node; `sizes` (measured on the canvas) win over the estimate. */
export function autoLayout(doc: DraftDocument, sizes: Record<string, Size | undefined> = {}): Record<string, { x: number; y: number }> {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: "LR", nodesep: 32, ranksep: 96, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of doc.nodes) {
    const size = sizes[n.id] ?? { width: NODE_WIDTH, height: estimateHeight(handlesOf(n).length) };
    g.setNode(n.id, { width: size.width, height: size.height });
  }
  for (const [source, target] of layoutEdges(doc)) g.setEdge(source, target);
  dagre.layout(g);
  const out: Record<string, { x: number; y: number }> = {};
  for (const n of doc.nodes) {
    const p = g.node(n.id);
    // dagre gives centres; React Flow positions are top-left corners.
    out[n.id] = { x: Math.round(p.x - p.width / 2), y: Math.round(p.y - p.height / 2) };
  }
  return out;
}

/** True when some nodes lack a position or sit on top of each other (a hand-written or generated file). */
export function needsLayout(doc: DraftDocument): boolean {
  const boxes = doc.nodes.map((n) => ({ ...n.position, h: estimateHeight(handlesOf(n).length) }));
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i]!;
      const b = boxes[j]!;
      if (Math.abs(a.x - b.x) < NODE_WIDTH && Math.abs(a.y - b.y) < Math.min(a.h, b.h)) return true;
    }
  }
  return false;
}

/** An imported document with overlapping nodes comes in laid out; anything else is left as it is. */
export function layoutImported(raw: unknown): unknown {
  const parsed = draftDocumentSchema.safeParse(raw);
  if (!parsed.success || !needsLayout(parsed.data)) return raw;
  const positions = autoLayout(parsed.data);
  const nodes = (raw as { nodes: Record<string, unknown>[] }).nodes;
  return { ...(raw as object), nodes: nodes.map((n) => (typeof n.id === "string" && positions[n.id] ? { ...n, position: positions[n.id] } : n)) };
}

type Point = { x: number; y: number };
/** Space kept between a node placed from the palette and its neighbours. */
const GAP = 24;
/** How many grid steps from the view's centre a free place is looked for, each way. */
const SEARCH_STEPS = 20;

/**
 * Where a node added from the palette goes: `at` (the view's centre) when nothing is there, else the
 * nearest free place on a grid around it, so a new node never lands on top of others (it hid them,
 * and caught the clicks and drags meant for them). `height`: the new node's estimated height; `view`:
 * the part of the canvas on screen (flow coordinates), where a free place is looked for first.
 */
export function freeSpot(
  doc: DraftDocument,
  sizes: Record<string, Size | undefined>,
  at: Point,
  height: number,
  view?: { left: number; top: number; right: number; bottom: number },
): Point {
  const boxes = doc.nodes.map((n) => {
    const s = sizes[n.id] ?? { width: NODE_WIDTH, height: estimateHeight(handlesOf(n).length) };
    return { x: n.position.x, y: n.position.y, w: s.width, h: s.height };
  });
  const fits = (p: Point) => boxes.every((b) => p.x + NODE_WIDTH + GAP <= b.x || b.x + b.w + GAP <= p.x || p.y + height + GAP <= b.y || b.y + b.h + GAP <= p.y);
  const onScreen = (p: Point) => !view || (p.x >= view.left && p.y >= view.top && p.x + NODE_WIDTH <= view.right && p.y + height <= view.bottom);
  const step = { x: NODE_WIDTH + 2 * GAP, y: height + 2 * GAP };
  const spots: Point[] = [];
  for (let i = -SEARCH_STEPS; i <= SEARCH_STEPS; i++)
    for (let j = -SEARCH_STEPS; j <= SEARCH_STEPS; j++) spots.push({ x: at.x + i * step.x, y: at.y + j * step.y });
  spots.sort((a, b) => Math.hypot(a.x - at.x, a.y - at.y) - Math.hypot(b.x - at.x, b.y - at.y));
  const free = spots.find((p) => fits(p) && onScreen(p)) ?? spots.find(fits);
  if (free) return free;
  // A canvas packed that far around the view: below everything.
  return { x: at.x, y: Math.max(...boxes.map((b) => b.y + b.h)) + GAP };
}
