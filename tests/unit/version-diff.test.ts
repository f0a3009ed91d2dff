// What the versions page shows as changed between two published versions.
import { describe, expect, it } from "vitest";
import { diffDocuments, mergedForCanvas } from "../../lib/flows/version-diff";
import { draftDocumentSchema } from "../../lib/ivr";

const v1 = draftDocumentSchema.parse({
  version: 1,
  entryNodeId: "hi",
  nodes: [
    { id: "hi", type: "greeting", label: "Hello", position: { x: 0, y: 0 }, config: { prompt: { text: "Hi" } } },
    { id: "menu", type: "menu", label: "Menu", position: { x: 300, y: 0 }, config: { prompt: { text: "Press 1" }, options: [{ digit: "1", label: "Sales" }] } },
    { id: "bye", type: "hangup", label: "Bye", position: { x: 600, y: 0 }, config: {} },
  ],
  edges: [
    { id: "e1", source: "hi", sourceHandle: "default", target: "menu" },
    { id: "e2", source: "menu", sourceHandle: "digit:1", target: "bye" },
  ],
});

describe("version diff", () => {
  it("names added, removed and changed nodes, edges and settings", () => {
    const v2 = draftDocumentSchema.parse({
      ...v1,
      entryNodeId: "menu",
      nodes: [
        { ...v1.nodes[1]!, label: "Main menu", position: { x: 999, y: 999 }, config: { ...v1.nodes[1]!.config, timeoutSecs: 5 } },
        v1.nodes[2]!,
        { id: "order", type: "gather", label: "Order", position: { x: 0, y: 300 }, config: {} },
      ],
      edges: [
        { id: "x9", source: "menu", sourceHandle: "digit:1", target: "order" },
        { id: "x10", source: "order", sourceHandle: "default", target: "bye" },
      ],
    });
    const diff = diffDocuments(v1, v2);
    expect(diff.nodes).toEqual([
      { id: "menu", label: "Main menu", kind: "changed", fields: ["label", "timeoutSecs"] },
      { id: "order", label: "Order", kind: "added", fields: [] },
      { id: "hi", label: "Hello", kind: "removed", fields: [] },
    ]);
    expect(diff.edges).toEqual([
      { key: "menu|digit:1", source: "menu", sourceHandle: "digit:1", kind: "changed", from: "bye", to: "order" },
      { key: "order|default", source: "order", sourceHandle: "default", kind: "added", to: "bye" },
      { key: "hi|default", source: "hi", sourceHandle: "default", kind: "removed", from: "menu" },
    ]);
    expect(diff.settings).toEqual(["entryNodeId"]);
    const merged = mergedForCanvas(v1, v2);
    expect(merged.nodes.map((n) => n.id)).toEqual(["menu", "bye", "order", "hi"]);
    expect(merged.edges.map((e) => e.id)).toEqual(["x9", "x10", "removed-e1"]);
  });

  it("does not count the audio rendered for a spoken prompt as a change, but does count new words or a new recording", () => {
    const rendered = draftDocumentSchema.parse({
      ...v1,
      nodes: v1.nodes.map((n) => (n.id === "hi" ? { ...n, config: { prompt: { text: "Hi", assetId: "tts-asset-1" } } } : n)),
    });
    expect(diffDocuments(v1, rendered).nodes).toEqual([]);
    const reworded = draftDocumentSchema.parse({
      ...v1,
      nodes: v1.nodes.map((n) => (n.id === "hi" ? { ...n, config: { prompt: { text: "Hello there", assetId: "tts-asset-2" } } } : n)),
    });
    expect(diffDocuments(rendered, reworded).nodes).toEqual([{ id: "hi", label: "Hello", kind: "changed", fields: ["prompt"] }]);
    const recorded = draftDocumentSchema.parse({
      ...v1,
      nodes: v1.nodes.map((n) => (n.id === "hi" ? { ...n, config: { prompt: { assetId: "upload-1" } } } : n)),
    });
    expect(diffDocuments(v1, recorded).nodes.map((c) => c.fields)).toEqual([["prompt"]]);
  });

  it("finds nothing between a version and itself, whatever the positions", () => {
    const moved = { ...v1, nodes: v1.nodes.map((n) => ({ ...n, position: { x: n.position.x + 10, y: 0 } })) };
    expect(diffDocuments(v1, moved)).toEqual({ nodes: [], edges: [], settings: [] });
  });
});
