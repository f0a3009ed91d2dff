// A long chain of greetings and menus (every node reachable, every handle connected) on a grid:
// the big flow bench/editor-load.ts opens and the editor's layout test lays out.
export function chainFlowDocument(n: number) {
  const nodes: { id: string; type: string; label: string; position: { x: number; y: number }; config: object }[] = [];
  const edges: { id: string; source: string; sourceHandle: string; target: string }[] = [];
  for (let i = 0; i < n - 1; i++) {
    const menu = i % 2 === 1;
    nodes.push({
      id: `n${i}`,
      type: menu ? "menu" : "greeting",
      label: `${menu ? "Menu" : "Greeting"} ${i}`,
      position: { x: (i % 20) * 260, y: Math.floor(i / 20) * 220 },
      config: menu ? { prompt: { text: `Menu ${i}` }, options: [{ digit: "1", label: "Next" }] } : { prompt: { text: `Prompt ${i}` } },
    });
    edges.push({ id: `e${i}a`, source: `n${i}`, sourceHandle: menu ? "digit:1" : "default", target: `n${i + 1}` });
    if (menu) edges.push({ id: `e${i}b`, source: `n${i}`, sourceHandle: "max_retries", target: `n${n - 1}` });
  }
  nodes.push({ id: `n${n - 1}`, type: "hangup", label: "End", position: { x: 0, y: Math.ceil(n / 20) * 220 }, config: {} });
  return { version: 1, entryNodeId: "n0", nodes, edges };
}
