import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keepAliveFetch, MAX_RESPONSE_BYTES } from "../../lib/net/keep-alive-fetch";

// A loopback server that records what arrives and on which connection, and answers per path.
const seen: { method: string; url: string; headers: http.IncomingHttpHeaders; body: string; connection: number }[] = [];
let server: http.Server;
let base = "";
beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (d: string) => (body += d));
    req.on("end", () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body, connection: req.socket.remotePort! });
      if (req.url === "/silent") return; // never answers
      if (req.url === "/huge") {
        res.writeHead(200, { "content-type": "application/octet-stream" });
        const chunk = Buffer.alloc(64 * 1024, 0x61);
        for (let sent = 0; sent <= MAX_RESPONSE_BYTES; sent += chunk.length) res.write(chunk);
        return res.end();
      }
      if (req.url === "/cut") {
        res.writeHead(200, { "content-type": "application/json", "content-length": "100" });
        res.write('{"partial":');
        return setTimeout(() => req.socket.destroy(), 50);
      }
      if (req.url === "/limited") {
        res.writeHead(429, { "content-type": "application/json", "retry-after": "7" });
        return res.end(JSON.stringify({ error: { message: "slow down", code: 130429 } }));
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ echo: body, ok: "é" }));
    });
  });
  // Node's server announces "Keep-Alive: timeout=2"; Node's agent keeps an idle connection 1 s less than that.
  server.keepAliveTimeout = 2_000;
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

describe("keepAliveFetch", () => {
  it("sends the method, headers and body, and reads status, headers and the UTF-8 body", async () => {
    const res = await keepAliveFetch(`${base}/calls?x=1`, {
      method: "POST",
      headers: { authorization: "Bearer t", "content-type": "application/json" },
      body: '{"a":"ü"}',
    });
    expect(res.ok).toBe(true);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("application/json");
    expect(JSON.parse(await res.text())).toEqual({ echo: '{"a":"ü"}', ok: "é" });
    const req = seen.at(-1)!;
    expect(req).toMatchObject({ method: "POST", url: "/calls?x=1", body: '{"a":"ü"}' });
    expect(req.headers).toMatchObject({ authorization: "Bearer t", "content-type": "application/json", "content-length": "10" });
  });

  it("reuses one connection for requests one after another, and opens a new one once the idle one expired", async () => {
    for (let i = 0; i < 3; i++) await (await keepAliveFetch(`${base}/again`, { method: "GET" })).text();
    const again = seen.filter((r) => r.url === "/again");
    expect(new Set(again.map((r) => r.connection)).size).toBe(1);
    // Past the server's announced keep-alive time the idle connection is dropped, not written to.
    await new Promise((r) => setTimeout(r, 1_300));
    const res = await keepAliveFetch(`${base}/after-idle`, { method: "POST", body: "{}" });
    expect(res.status).toBe(200);
    expect(seen.at(-1)!.connection).not.toBe(again[0]!.connection);
  });

  it("passes a non-2xx answer on with its headers (Retry-After) and body", async () => {
    const res = await keepAliveFetch(`${base}/limited`, { method: "POST", body: "{}" });
    expect([res.ok, res.status, res.headers.get("retry-after"), res.headers.get("x-missing")]).toEqual([false, 429, "7", null]);
    expect(JSON.parse(await res.text())).toEqual({ error: { message: "slow down", code: 130429 } });
  });

  it("rejects with the signal's reason when aborted, before or while waiting", async () => {
    const early = new AbortController();
    early.abort(new DOMException("gave up", "TimeoutError"));
    await expect(keepAliveFetch(`${base}/x`, { method: "GET", signal: early.signal })).rejects.toMatchObject({ name: "TimeoutError" });
    const started = Date.now();
    const err = await keepAliveFetch(`${base}/silent`, { method: "GET", signal: AbortSignal.timeout(200) }).catch((e: Error) => e);
    expect((err as Error).name).toBe("TimeoutError");
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("refuses an answer larger than the cap, and other protocols, with a clear error", async () => {
    await expect(keepAliveFetch(`${base}/huge`, { method: "GET" })).rejects.toThrow(`larger than ${MAX_RESPONSE_BYTES} bytes`);
    await expect(keepAliveFetch("ftp://127.0.0.1/x", { method: "GET" })).rejects.toThrow("Only http and https URLs");
  });

  it("fails, not hangs, when the connection closes in the middle of an answer", async () => {
    await expect(keepAliveFetch(`${base}/cut`, { method: "GET" })).rejects.toThrow();
    // The next request still works (on a fresh connection).
    expect((await keepAliveFetch(`${base}/ok`, { method: "GET" })).status).toBe(200);
  });

  it("says why a server cannot be reached", async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    await expect(keepAliveFetch(`http://127.0.0.1:${port}/`, { method: "GET" })).rejects.toThrow("ECONNREFUSED");
  });
});
