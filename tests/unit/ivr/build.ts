// Tiny builders for flow documents in tests.
import { type FlowDocument, parseExecutable } from "../../../lib/ivr";

type N = [id: string, type: string, config?: object, label?: string];
type E = [source: string, handle: string, target: string];

export function draft(nodes: N[], edges: E[], entry: string | null = nodes[0]?.[0] ?? null, settings?: object) {
  return {
    version: 1,
    entryNodeId: entry,
    nodes: nodes.map(([id, type, config = {}, label = id], i) => ({ id, type, label, position: { x: 0, y: i * 100 }, config })),
    edges: edges.map(([source, sourceHandle, target], i) => ({ id: `e${i}`, source, sourceHandle, target })),
    ...(settings ? { settings } : {}),
  };
}

export function flow(nodes: N[], edges: E[], entry?: string, settings?: object): FlowDocument {
  return parseExecutable(draft(nodes, edges, entry, settings));
}

export const say = (text: string) => ({ prompt: { text } });
export const bye: N = ["bye", "hangup", say("Goodbye")];
