import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GraphApiError, GraphClient } from "../../lib/whatsapp/graph-client";
import { newCallId } from "../../tools/wa-sim/payloads";
import { fakeGraph } from "../helpers/fake-graph";

const PNID = "123451234512345";
const TOKEN = "EAAG-graph-client-test";
const client = (over: Partial<ConstructorParameters<typeof GraphClient>[0]> = {}) =>
  new GraphClient({ baseUrl: process.env.GRAPH_API_BASE!, version: "v23.0", accessToken: TOKEN, phoneNumberId: PNID, ...over });

// A server that fails the first N requests with 503, to observe retries.
let flaky: http.Server;
let flakyUrl = "";
let flakyHits = 0;
let failFirst = 0;
let failWith: { status: number; headers?: Record<string, string>; error: object } = {
  status: 503,
  error: { message: "Service temporarily unavailable", code: 2 },
};
beforeAll(async () => {
  await fakeGraph.registerAccount(PNID, TOKEN);
  flaky = http.createServer((req, res) => {
    flakyHits++;
    req.resume();
    if (flakyHits <= failFirst) {
      res.writeHead(failWith.status, { "content-type": "application/json", ...failWith.headers });
      res.end(JSON.stringify({ error: failWith.error }));
    } else {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ messaging_product: "whatsapp", success: true, calls: [{ id: "wacid.x" }] }));
    }
  });
  await new Promise<void>((r) => flaky.listen(0, "127.0.0.1", r));
  flakyUrl = `http://127.0.0.1:${(flaky.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => flaky.close(() => r())));

describe("Graph API client", () => {
  it("sends call actions with the bearer token and Meta's body shape", async () => {
    const callId = newCallId();
    await client().preAccept(callId, "v=0 answer");
    await client().accept(callId, "v=0 answer");
    await client().terminate(callId);
    const reqs = await fakeGraph.requests(callId);
    expect(reqs.map((r) => [r.action, r.status])).toEqual([
      ["pre_accept", 200],
      ["accept", 200],
      ["terminate", 200],
    ]);
    expect(reqs[0]?.body).toEqual({ messaging_product: "whatsapp", action: "pre_accept", call_id: callId, session: { sdp_type: "answer", sdp: "v=0 answer" } });
    expect(reqs[0]?.path).toBe(`/v23.0/${PNID}/calls`);
  });

  it("maps Meta error objects to GraphApiError with the 1380xx code", async () => {
    const callId = newCallId();
    await fakeGraph.fail({ action: "accept", callId, code: 138003, message: "Duplicate call", status: 400, details: "call already accepted" });
    const err = (await client()
      .accept(callId, "v=0")
      .catch((e) => e)) as GraphApiError;
    expect(err).toBeInstanceOf(GraphApiError);
    expect(err).toMatchObject({ code: 138003, httpStatus: 400, message: "Duplicate call" });
    expect(err.summary).toBe("(#138003) Duplicate call — call already accepted");
  });

  it("reports a wrong token as an auth error", async () => {
    const err = await client({ accessToken: "wrong" })
      .reject(newCallId())
      .catch((e) => e);
    expect(err).toMatchObject({ code: 190, httpStatus: 401 });
  });

  it("returns the call id of a business-initiated connect and checks permissions", async () => {
    const { callId } = await client().connect("5511999990000", "v=0 offer", "ticket-42");
    expect(callId).toMatch(/^wacid\./);
    await fakeGraph.setPermission("5511999990000", "granted");
    expect((await client().callPermission("5511999990000")).status).toBe("granted");
    expect((await client().callPermission("5511000000000")).status).toBe("no_permission");
    await expect(client().connect("1", "v=0", "x".repeat(513))).rejects.toThrow(/at most 512/);
  });

  it("retries reject/terminate on 5xx but never retries connect", async () => {
    const flakyClient = client({ baseUrl: flakyUrl, retries: 3 });
    flakyHits = 0;
    failFirst = 2;
    await flakyClient.terminate("wacid.retry");
    expect(flakyHits).toBe(3);
    flakyHits = 0;
    failFirst = 1;
    await expect(flakyClient.connect("5511", "v=0")).rejects.toMatchObject({ httpStatus: 503 });
    expect(flakyHits).toBe(1);
  });

  it("waits as long as Retry-After asks on 429, retries Meta's rate-limit code, and never retries other 4xx", async () => {
    const flakyClient = client({ baseUrl: flakyUrl, retries: 3 });
    try {
      failWith = { status: 429, headers: { "retry-after": "1" }, error: { message: "Too many requests", code: 130429 } };
      flakyHits = 0;
      failFirst = 1;
      const started = performance.now();
      await flakyClient.terminate("wacid.ratelimited");
      expect(flakyHits).toBe(2);
      expect(performance.now() - started).toBeGreaterThanOrEqual(1000);

      failWith = { status: 400, error: { message: "(#130429) Rate limit hit", code: 130429 } };
      flakyHits = 0;
      await flakyClient.reject("wacid.ratelimited-400");
      expect(flakyHits).toBe(2);

      failWith = { status: 400, error: { message: "Invalid parameter", code: 100 } };
      flakyHits = 0;
      await expect(flakyClient.terminate("wacid.bad")).rejects.toMatchObject({ httpStatus: 400, code: 100 });
      expect(flakyHits).toBe(1);
    } finally {
      failWith = { status: 503, error: { message: "Service temporarily unavailable", code: 2 } };
    }
  });

  it("gives up with a clear error when the API does not answer in time", async () => {
    const silent = http.createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    try {
      const err = (await client({ baseUrl: url, timeoutMs: 200, retries: 1 })
        .accept("c", "v=0")
        .catch((e) => e)) as Error;
      expect(err.message).toBe("WhatsApp's servers did not answer within 0.2 s");
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });
});
