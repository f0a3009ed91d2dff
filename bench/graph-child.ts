// bench/webhook-latency.ts's fake Graph API in a process of its own, as Meta's servers are: a request
// is stamped when it arrives there, not when the web tier's busy event loop gets round to it. The child
// (this file run with --child) sends { type: "ready", url }, then { type: "request", at, request } for
// each request, takes { type: "register", phoneNumberId, accessToken } over IPC and exits with its parent.
import { spawn } from "node:child_process";
import path from "node:path";
import { FakeGraphApi, type RecordedRequest } from "../tools/wa-sim/fake-graph";

export type FromGraph = { type: "ready"; url: string } | { type: "request"; at: number; request: RecordedRequest };
type ToGraph = { type: "register"; phoneNumberId: string; accessToken: string };

/** Starts the child; `onRequest` hears each request with the epoch ms it arrived at (the callers' clock). */
export async function startGraphProcess(onRequest: (request: RecordedRequest, at: number) => void) {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, "graph-child.ts"), "--child"], {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`the fake Graph API's process exited with ${code}`)));
    child.on("message", (m: FromGraph) => (m.type === "ready" ? resolve(m.url) : onRequest(m.request, m.at)));
  });
  return {
    url,
    registerAccount: (phoneNumberId: string, accessToken: string) => child.send({ type: "register", phoneNumberId, accessToken } satisfies ToGraph),
    stop: () => child.kill(),
  };
}

/** Calls `onSent` with the call id of each Graph API reject this process hands to fetch(); returns the undo. */
export function watchRejectsSent(onSent: (waCallId: string) => void): () => void {
  const realFetch = globalThis.fetch;
  globalThis.fetch = (input, init) => {
    const body = typeof init?.body === "string" ? init.body : "";
    const callId = body.includes('"action":"reject"') ? /"call_id":"([^"]+)"/.exec(body)?.[1] : undefined;
    if (callId) onSent(callId);
    return realFetch(input, init);
  };
  return () => {
    globalThis.fetch = realFetch;
  };
}

if (process.argv[2] === "--child") {
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
}
