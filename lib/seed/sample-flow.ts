// The demo's call-start flow: greeting → menu → (sales: transfer, or "all busy" when nobody answers |
// support: gather → callback) → hangup.
export function sampleFlowDocument(teamId: string) {
  const at = (x: number, y: number) => ({ x, y });
  return {
    version: 1,
    entryNodeId: "welcome",
    nodes: [
      {
        id: "welcome",
        type: "greeting",
        label: "Welcome",
        position: at(0, 200),
        config: { prompt: { text: "Welcome to Ringflow demo company." }, interruptible: true },
      },
      {
        id: "hours",
        type: "timing",
        label: "Business hours",
        position: at(300, 200),
        config: {
          timezone: "Europe/London",
          // Open around the clock so the demo answers at any hour; closed on Christmas Day.
          schedule: Object.fromEntries(["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map((d) => [d, { enabled: true, start: "00:00", end: "24:00" }])),
          overrides: [{ date: "2026-12-25", closed: true, note: "Christmas Day" }],
        },
      },
      {
        id: "main-menu",
        type: "menu",
        label: "Main menu",
        position: at(600, 120),
        config: {
          prompt: { text: "For sales press 1. For support press 2." },
          timeoutSecs: 10,
          maxRetries: 3,
          options: [
            { digit: "1", label: "Sales" },
            { digit: "2", label: "Support" },
          ],
        },
      },
      { id: "sales", type: "transfer", label: "Sales team", position: at(900, 0), config: { teamId } },
      {
        id: "order",
        type: "gather",
        label: "Order number",
        position: at(900, 200),
        config: {
          prompt: { text: "Please enter your order number followed by the hash key." },
          maxDigits: 10,
          terminator: "#",
          storeAs: "order_number",
          timeoutSecs: 10,
          maxRetries: 3,
        },
      },
      {
        id: "lookup",
        type: "http_callback",
        label: "Look up order",
        position: at(1200, 200),
        config: { url: "http://127.0.0.1:3000/api/health", method: "GET", headers: {}, bodyTemplate: "", timeoutSecs: 5, storeResponseAs: "order" },
      },
      {
        id: "busy",
        type: "hangup",
        label: "All agents busy",
        position: at(1200, 0),
        config: { prompt: { text: "Sorry, all our agents are busy. Please try again later. Goodbye." } },
      },
      { id: "goodbye", type: "hangup", label: "Goodbye", position: at(1500, 260), config: { prompt: { text: "Thank you for calling. Goodbye." } } },
      {
        id: "closed",
        type: "hangup",
        label: "Closed",
        position: at(600, 420),
        config: { prompt: { text: "We are closed. Please call again during business hours." } },
      },
    ],
    edges: [
      { id: "e1", source: "welcome", sourceHandle: "default", target: "hours" },
      { id: "e2", source: "hours", sourceHandle: "in_hours", target: "main-menu" },
      { id: "e3", source: "hours", sourceHandle: "out_of_hours", target: "closed" },
      { id: "e4", source: "main-menu", sourceHandle: "digit:1", target: "sales" },
      { id: "e5", source: "main-menu", sourceHandle: "digit:2", target: "order" },
      { id: "e6", source: "main-menu", sourceHandle: "timeout", target: "main-menu" },
      { id: "e7", source: "main-menu", sourceHandle: "max_retries", target: "goodbye" },
      { id: "e8", source: "main-menu", sourceHandle: "default", target: "main-menu" },
      { id: "e9", source: "order", sourceHandle: "default", target: "lookup" },
      { id: "e10", source: "order", sourceHandle: "timeout", target: "order" },
      { id: "e11", source: "order", sourceHandle: "max_retries", target: "goodbye" },
      { id: "e12", source: "lookup", sourceHandle: "default", target: "goodbye" },
      { id: "e13", source: "sales", sourceHandle: "no_answer", target: "busy" },
    ],
  };
}
