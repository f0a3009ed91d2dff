// The flow editor's reducer: undo/redo across add/connect/delete/edit, and the same result when
// React StrictMode calls it twice per action; auto-layout; the words shown for output handles.
import { describe, expect, it } from "vitest";
import { autoLayout, estimateHeight, freeSpot, layoutImported, NODE_WIDTH, needsLayout } from "../../components/flows/editor/auto-layout";
import { newNode } from "../../components/flows/editor/document-ops";
import { type EditorAction, type EditorState, editorReducer, initEditor, isDirty } from "../../components/flows/editor/editor-state";
import { type DraftDocument, draftDocumentSchema, handleLabel } from "../../lib/ivr";
import { chainFlowDocument } from "../../lib/seed/chain-flow";

const empty = draftDocumentSchema.parse({});

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** Dispatches like React StrictMode in development: the reducer runs twice on the same (frozen) state. */
function strictDispatch(state: EditorState, action: EditorAction): EditorState {
  deepFreeze(state);
  const first = editorReducer(state, action);
  const second = editorReducer(state, action);
  expect(second).toEqual(first);
  return second;
}

function script(doc: DraftDocument) {
  const greeting = newNode(doc, "greeting", { x: 0, y: 0 });
  const hangup = { ...newNode({ ...doc, nodes: [greeting] }, "hangup", { x: 300, y: 0 }), id: "bye" };
  const actions: EditorAction[] = [
    { type: "add", node: greeting },
    { type: "add", node: hangup },
    { type: "connect", edgeId: "e1", source: greeting.id, sourceHandle: "default", target: "bye" },
    { type: "update", id: greeting.id, patch: { label: "Welcome" } },
    { type: "move", positions: { bye: { x: 310, y: 5 } }, final: false },
    { type: "move", positions: { bye: { x: 320, y: 10 } }, final: true },
    { type: "remove", nodeIds: ["bye"] },
  ];
  return { greeting, actions };
}

describe("editor reducer", () => {
  it("undoes and redoes add, connect, edit, a whole drag and delete, one step each, also under StrictMode", () => {
    const { greeting, actions } = script(empty);
    let s = initEditor(empty);
    const seen: DraftDocument[] = [s.doc];
    for (const a of actions) {
      s = strictDispatch(s, a);
      seen.push(s.doc);
    }
    // The intermediate drag position is not a step of its own.
    expect(s.past).toHaveLength(6);
    expect(s.doc.nodes.map((n) => n.id)).toEqual([greeting.id]);
    expect(s.doc.edges).toEqual([]);
    expect(isDirty(s)).toBe(true);

    const expectedBack = [seen[6], seen[4], seen[3], seen[2], seen[1], seen[0]];
    for (const doc of expectedBack) {
      s = strictDispatch(s, { type: "undo" });
      expect(s.doc).toEqual(doc);
    }
    expect(s.past).toHaveLength(0);
    expect(isDirty(s)).toBe(false);
    expect(strictDispatch(s, { type: "undo" })).toBe(s);

    for (const doc of [seen[1], seen[2], seen[3], seen[4], seen[6], seen[7]]) {
      s = strictDispatch(s, { type: "redo" });
      expect(s.doc).toEqual(doc);
    }
    expect(s.future).toHaveLength(0);
    expect(s.doc.nodes[0]!.label).toBe("Welcome");
  });

  it("clears redo on a new edit and keeps the first node as the entry", () => {
    const { greeting, actions } = script(empty);
    let s = initEditor(empty);
    for (const a of actions.slice(0, 3)) s = strictDispatch(s, a);
    expect(s.doc.entryNodeId).toBe(greeting.id);
    s = strictDispatch(s, { type: "undo" });
    expect(s.future).toHaveLength(1);
    s = strictDispatch(s, { type: "set-entry", id: "bye" });
    expect(s.future).toHaveLength(0);
    expect(s.doc.entryNodeId).toBe("bye");
  });

  it("duplicates the selection with the edges between them, nudges and selects all", () => {
    let s = initEditor(draftDocumentSchema.parse(chainFlowDocument(4)));
    s = strictDispatch(s, { type: "select", ids: ["n0", "n1"] });
    s = strictDispatch(s, { type: "duplicate", ids: { n0: "c0", n1: "c1" }, offset: { x: 40, y: 40 } });
    expect(s.doc.nodes).toHaveLength(6);
    expect(s.doc.edges.filter((e) => e.source === "c0")).toEqual([{ id: "e-c0-default", source: "c0", sourceHandle: "default", target: "c1" }]);
    expect(s.selected).toEqual(["c0", "c1"]);
    s = strictDispatch(s, { type: "nudge", ids: ["c0"], dx: 5, dy: 0 });
    expect(s.doc.nodes.find((n) => n.id === "c0")!.position).toEqual({ x: 45, y: 40 });
    s = strictDispatch(s, { type: "undo" });
    s = strictDispatch(s, { type: "undo" });
    expect(s.doc.nodes).toHaveLength(4);
  });

  it("is clean again once the shown document is saved", () => {
    let s = initEditor(empty);
    s = strictDispatch(s, { type: "add", node: newNode(empty, "greeting", { x: 0, y: 0 }) });
    expect(isDirty(s)).toBe(true);
    s = strictDispatch(s, { type: "saved", doc: s.doc });
    expect(isDirty(s)).toBe(false);
  });
});

describe("auto-layout", () => {
  it("lays out the 300-node flow left to right without overlaps", () => {
    const doc = draftDocumentSchema.parse(chainFlowDocument(300));
    const positions = autoLayout(doc);
    const boxes = doc.nodes.map((n) => ({ ...positions[n.id]!, h: estimateHeight(n.type === "menu" ? 4 : 1) }));
    let overlaps = 0;
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i]!;
        const b = boxes[j]!;
        if (a.x < b.x + NODE_WIDTH && b.x < a.x + NODE_WIDTH && a.y < b.y + b.h && b.y < a.y + a.h) overlaps++;
      }
    }
    expect(overlaps).toBe(0);
    expect(positions.n1!.x).toBeGreaterThan(positions.n0!.x);
  });

  it("lays out an imported file whose nodes pile up, and leaves a drawn one alone", () => {
    const piled = {
      version: 1,
      entryNodeId: "a",
      nodes: [
        { id: "a", type: "greeting", label: "A", config: {} },
        { id: "b", type: "hangup", label: "B", config: {} },
      ],
      edges: [{ id: "e", source: "a", sourceHandle: "default", target: "b" }],
    };
    const out = layoutImported(piled) as typeof piled & { nodes: { position: { x: number } }[] };
    expect(needsLayout(draftDocumentSchema.parse(out))).toBe(false);
    expect(out.nodes[1]!.position.x).toBeGreaterThan(out.nodes[0]!.position.x);
    const drawn = chainFlowDocument(10);
    expect(layoutImported(drawn)).toBe(drawn);
    expect(layoutImported({ foo: 1 })).toEqual({ foo: 1 });
  });
});

describe("placing a node from the palette", () => {
  it("puts it at the view's centre when that is free, and never on top of another node", () => {
    const at = { x: 100, y: 50 };
    let doc: DraftDocument = empty;
    expect(freeSpot(doc, {}, at, estimateHeight(1))).toEqual(at);
    // Ten clicks on the palette with the view where it is: ten nodes, none overlapping another.
    for (let i = 0; i < 10; i++) {
      const node = newNode(doc, i % 2 ? "menu" : "greeting", at);
      const height = estimateHeight(i % 2 ? 3 : 1);
      doc = { ...doc, nodes: [...doc.nodes, { ...node, position: freeSpot(doc, {}, at, height) }] };
    }
    const boxes = doc.nodes.map((n, i) => ({ ...n.position, w: NODE_WIDTH, h: estimateHeight(i % 2 ? 3 : 1) }));
    for (const [i, a] of boxes.entries())
      for (const b of boxes.slice(i + 1)) expect(a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y).toBe(true);
    // The first stays where the view is, and the rest close by (within three steps of it).
    expect(doc.nodes[0]!.position).toEqual(at);
    for (const n of doc.nodes) expect(Math.abs(n.position.x - at.x)).toBeLessThanOrEqual(3 * (NODE_WIDTH + 48));
  });

  it("measures the nodes on the canvas where it can: a tall node keeps the spot below it taken", () => {
    const doc: DraftDocument = { ...empty, nodes: [{ ...newNode(empty, "menu", { x: 0, y: 0 }), id: "tall" }] };
    const spot = freeSpot(doc, { tall: { width: NODE_WIDTH, height: 600 } }, { x: 0, y: 200 }, estimateHeight(1));
    expect(spot.x !== 0 || spot.y >= 600 + 24 || spot.y + estimateHeight(1) + 24 <= 0).toBe(true);
  });
});

describe("handle labels", () => {
  it("speaks plain words", () => {
    const menu = {
      options: [
        { digit: "1", label: "Sales" },
        { digit: "2", label: "" },
      ],
    };
    expect(handleLabel("menu", menu, "digit:1")).toBe("Pressed 1 · Sales");
    expect(handleLabel("menu", menu, "digit:2")).toBe("Pressed 2");
    expect(handleLabel("menu", menu, "timeout")).toBe("No input");
    expect(handleLabel("menu", menu, "max_retries")).toBe("Too many tries");
    expect(handleLabel("menu", menu, "default")).toBe("Any other key");
    expect(handleLabel("timing", {}, "in_hours")).toBe("Open");
    expect(handleLabel("timing", {}, "out_of_hours")).toBe("Closed");
    expect(handleLabel("http_callback", {}, "http:error")).toBe("Request failed");
    expect(handleLabel("greeting", {}, "default")).toBe("Next");
  });
});
