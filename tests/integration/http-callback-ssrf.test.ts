// HTTP callback nodes cannot reach internal addresses unless allow-listed: real loopback servers that
// must never see a connection, redirects, a 10 MB response, timeouts and calls that end mid-request.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type EngineAction, SimulatedCall } from "../../lib/ivr";
import { AddressPolicy } from "../../lib/net/address-policy";
import { MAX_CALLBACK_RESPONSE_BYTES, runCallback } from "../../lib/net/callback-request";
import { flow } from "../unit/ivr/build";

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/** A loopback server that counts every TCP connection it accepts. */
async function server(handler: Handler) {
  const s = http.createServer(handler);
  let connections = 0;
  s.on("connection", () => {
    connections++;
  });
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as AddressInfo).port;
  return { s, port, url: `http://127.0.0.1:${port}`, connections: () => connections };
}

let secret: Awaited<ReturnType<typeof server>>; // internal: never allow-listed
let api: Awaited<ReturnType<typeof server>>; // internal but allow-listed
let apiBytesSent = 0;
let apiClosedEarly = false;
let allowApi: AddressPolicy;
const none = new AddressPolicy([]);

beforeAll(async () => {
  secret = await server((_req, res) => res.end("internal secret"));
  api = await server((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    if (url.pathname === "/redirect") {
      res.writeHead(302, { location: url.searchParams.get("to") ?? "/" }).end();
    } else if (url.pathname === "/huge") {
      // 10 MB, written as fast as the client reads it.
      res.writeHead(200, { "content-type": "text/plain" });
      const chunk = Buffer.alloc(64 * 1024, "a");
      let left = 160;
      res.on("close", () => {
        apiClosedEarly = left > 0;
      });
      const pump = () => {
        while (left > 0) {
          left--;
          apiBytesSent += chunk.length;
          if (!res.write(chunk)) return void res.once("drain", pump);
        }
        res.end();
      };
      pump();
    } else if (url.pathname === "/echo") {
      res.writeHead(200).end(JSON.stringify({ host: req.headers.host, key: req.headers["x-api-key"], agent: req.headers["user-agent"] }));
    } else if (url.pathname === "/slow") {
      // never answers
    } else {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ order: "A-17", method: req.method }));
    }
  });
  allowApi = new AddressPolicy([`127.0.0.1:${api.port}`]);
});

afterAll(async () => {
  for (const x of [secret, api]) {
    x.s.closeAllConnections();
    await new Promise((r) => x.s.close(r));
  }
});

beforeEach(() => {
  apiBytesSent = 0;
  apiClosedEarly = false;
});

type HttpAction = Extract<EngineAction, { type: "http_request" }>;
const action = (url: string, extra: Partial<HttpAction> = {}): HttpAction => ({
  type: "http_request",
  requestId: "h1",
  method: "GET",
  url,
  headers: {},
  timeoutMs: 5000,
  missingVariables: [],
  ...extra,
});

/** Runs a one-node flow the way the gateway does: the engine asks, runCallback answers, the engine picks the edge. */
async function callFlow(url: string, policy: AddressPolicy, variables?: Record<string, unknown>) {
  const doc = flow(
    [
      ["hook", "http_callback", { url, method: "GET", storeResponseAs: "crm" }],
      ["ok", "hangup", { prompt: { text: "found" } }],
      ["failed", "hangup", { prompt: { text: "sorry" } }],
    ],
    [
      ["hook", "http:2xx", "ok"],
      ["hook", "http:error", "failed"],
    ],
  );
  const call = new SimulatedCall(doc, { variables });
  call.start();
  const req = call.pendingRequest as unknown as HttpAction;
  const result = await runCallback(req, { policy });
  call.respond(result);
  return { handle: call.path.find((s) => s.nodeId === "hook")?.handle, result };
}

describe("HTTP callbacks and internal addresses", () => {
  it("a flow calling a loopback address takes the error path and never connects", async () => {
    const { handle, result } = await callFlow(`${secret.url}/`, none);
    expect(handle).toBe("http:error");
    expect(result).toEqual({ error: expect.stringMatching(/^127\.0\.0\.1 is a loopback address; .*\[http_callbacks\] allow/) });
    expect(secret.connections()).toBe(0);
  });

  it("checks templated hosts when the call runs, in every spelling", async () => {
    for (const host of ["127.0.0.1", "0x7f000001", "2130706433", "127.1", "0177.0.0.1", "localhost"]) {
      const { handle } = await callFlow(`http://{{target}}:${secret.port}/`, none, { target: host });
      expect(handle, host).toBe("http:error");
    }
    expect(secret.connections()).toBe(0);
  });

  it("refuses a redirect from an allowed host to a blocked one", async () => {
    for (const to of [`${secret.url}/`, `http://0x7f000001:${secret.port}/`, `http://localhost:${secret.port}/`, "http://169.254.169.254/latest/meta-data/"]) {
      const result = await runCallback(action(`${api.url}/redirect?to=${encodeURIComponent(to)}`), { policy: allowApi });
      expect(result, to).toEqual({ error: expect.stringMatching(/is a (loopback|link-local) address/) });
    }
    expect(secret.connections()).toBe(0);
  });

  it("follows a redirect that stays on allowed hosts, switching POST to GET as browsers do", async () => {
    const result = await runCallback(action(`${api.url}/redirect?to=/orders`, { method: "POST", body: "{}" }), { policy: allowApi });
    expect(result).toEqual({ status: 200, body: JSON.stringify({ order: "A-17", method: "GET" }) });
  });

  it("calls an allow-listed internal host", async () => {
    const { handle, result } = await callFlow(`${api.url}/orders`, allowApi);
    expect(handle).toBe("http:2xx");
    expect(result).toEqual({ status: 200, body: JSON.stringify({ order: "A-17", method: "GET" }) });
    // The allow entry names one port: the same host on another port stays closed.
    expect((await callFlow(`${secret.url}/`, allowApi)).handle).toBe("http:error");
    expect(secret.connections()).toBe(0);
  });

  it("sends the flow's headers but keeps the Host header to the URL's host", async () => {
    const result = await runCallback(action(`${api.url}/echo`, { headers: { Host: "internal.admin", "X-Api-Key": "k-1", "User-Agent": "acme-ivr" } }), {
      policy: allowApi,
    });
    expect(result).toEqual({ status: 200, body: JSON.stringify({ host: `127.0.0.1:${api.port}`, key: "k-1", agent: "acme-ivr" }) });
  });

  it("cuts a 10 MB response at 64 KB and closes the connection instead of reading on", async () => {
    const started = performance.now();
    const result = await runCallback(action(`${api.url}/huge`), { policy: allowApi });
    const ms = performance.now() - started;
    expect(result).toMatchObject({ status: 200 });
    expect(Buffer.byteLength((result as { body: string }).body)).toBe(MAX_CALLBACK_RESPONSE_BYTES);
    await expect.poll(() => apiClosedEarly).toBe(true);
    process.stdout.write(`10 MB response: capped after ${(apiBytesSent / 1e6).toFixed(2)} MB written by the server, ${ms.toFixed(0)} ms\n`);
    expect(apiBytesSent).toBeLessThan(10 * 1024 * 1024);
  });

  it("gives up at the node's timeout, and when the call ends", async () => {
    expect(await runCallback(action(`${api.url}/slow`, { timeoutMs: 300 }), { policy: allowApi })).toEqual({ error: "no answer within 300 ms" });
    const ended = new AbortController();
    const pending = runCallback(action(`${api.url}/slow`), { policy: allowApi, signal: ended.signal });
    setTimeout(() => ended.abort(new Error("the call ended")), 100);
    const started = performance.now();
    expect(await pending).toEqual({ error: "cancelled: the call ended" });
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("refuses URLs with credentials or other schemes before connecting", async () => {
    expect(await runCallback(action(`http://user:pw@127.0.0.1:${api.port}/`), { policy: allowApi })).toEqual({
      error: "URL must not contain a user name or password",
    });
    expect(await runCallback(action("file:///etc/passwd"), { policy: allowApi })).toEqual({ error: "URL must start with http:// or https://" });
  });
});
