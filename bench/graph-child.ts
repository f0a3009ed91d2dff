// bench/webhook-latency.ts's fake Graph API in a process of its own, as Meta's servers are: a request
// is stamped when it arrives here, not when the web tier's busy event loop gets round to it. Sends
// { type: "ready", url }, then { type: "request", at, request } for each request; takes
// { type: "register", phoneNumberId, accessToken } over IPC. Exits with its parent.
import { FakeGraphApi, type RecordedRequest } from "../tools/wa-sim/fake-graph";

export type FromGraph = { type: "ready"; url: string } | { type: "request"; at: number; request: RecordedRequest };
export type ToGraph = { type: "register"; phoneNumberId: string; accessToken: string };

// The callers' clock (bench/setup-callers.ts), not imported: that module runs as a process of its own.
const epochMs = () => performance.timeOrigin + performance.now();
const send = (m: FromGraph) => process.send?.(m);
const graph = new FakeGraphApi();
const url = await graph.listen(0);
graph.onRequest((request) => send({ type: "request", at: epochMs(), request }));
process.on("message", (m: ToGraph) => {
  if (m.type === "register") graph.registerAccount(m.phoneNumberId, m.accessToken);
});
process.on("disconnect", () => void graph.close().finally(() => process.exit(0)));
send({ type: "ready", url });
