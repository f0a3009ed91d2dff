import { describe, expect, it } from "vitest";
import { SimulatedCall } from "../../../lib/ivr";
import { bye, flow, say } from "./build";

const gatherDoc = (extra: object = {}) =>
  flow(
    [
      ["hello", "greeting", say("Hi")],
      [
        "order",
        "gather",
        { ...say("Enter your order number"), storeAs: "order", maxDigits: 6, timeoutSecs: 8, interDigitTimeoutSecs: 3, maxRetries: 1, ...extra },
      ],
      ["lookup", "http_callback", { url: "https://api.example.test/orders?id={{order}}&from={{caller_phone}}", method: "GET", storeResponseAs: "found" }],
      bye,
    ],
    [
      ["hello", "default", "order"],
      ["order", "default", "lookup"],
      ["order", "max_retries", "bye"],
      ["lookup", "default", "bye"],
    ],
  );

describe("gather", () => {
  it("collects digits up to the terminator and stores them", () => {
    const call = new SimulatedCall(gatherDoc(), { callerPhone: "+5511987654321" });
    call.start();
    call.finishPrompt();
    call.press("1234#");
    expect(call.state.variables.order).toBe("1234");
    expect(call.path[1]).toMatchObject({ nodeId: "order", handle: "default", digits: "1234", variables: { order: "1234" } });
    expect(call.pendingRequest?.url).toBe("https://api.example.test/orders?id=1234&from=%2B5511987654321");
  });

  it("completes at maxDigits without a terminator", () => {
    const call = new SimulatedCall(gatherDoc());
    call.start();
    call.finishPrompt();
    call.press("123456");
    expect(call.state.variables.order).toBe("123456");
  });

  it("completes a partial entry after the inter-digit timeout", () => {
    const call = new SimulatedCall(gatherDoc());
    call.start();
    call.finishPrompt();
    call.finishPrompt();
    call.press("42");
    call.advance(2_999);
    expect(call.currentNodeId).toBe("order");
    call.advance(1);
    expect(call.state.variables.order).toBe("42");
  });

  it("retries on silence, then takes max_retries", () => {
    const call = new SimulatedCall(gatherDoc());
    call.start();
    call.finishPrompt();
    call.finishPrompt();
    call.advance(8_000);
    expect(call.currentNodeId).toBe("order");
    expect(call.playing?.prompt.text).toBe("Enter your order number");
    call.finishPrompt();
    call.advance(8_000);
    expect(call.trail()).toEqual(["hello:default", "order:max_retries", "bye:end"]);
  });

  it("treats a lone terminator as no input", () => {
    const call = new SimulatedCall(gatherDoc());
    call.start();
    call.finishPrompt();
    call.finishPrompt();
    call.press("#");
    expect(call.currentNodeId).toBe("order");
    expect(call.state.retries.order).toBe(1);
  });

  it("uses digits typed ahead during the greeting", () => {
    const call = new SimulatedCall(gatherDoc());
    call.start();
    call.press("77"); // interrupts greeting; both digits kept
    expect(call.currentNodeId).toBe("order");
    expect(call.playing).toBeNull();
    call.press("8#");
    expect(call.state.variables.order).toBe("778");
  });
});

const ends = { ok: ["ok", "hangup", say("Found")], err: ["err", "hangup", say("Error")], bye } as const;
const httpDoc = (cfg: object, edges: [string, string, string][] = [["hook", "default", "bye"]]) =>
  flow([["hook", "http_callback", cfg], ...edges.map(([, , t]) => ends[t as keyof typeof ends] as unknown as [string, string, object])], edges);

describe("http_callback", () => {
  it("escapes variables for JSON bodies and sets the content type", () => {
    const call = new SimulatedCall(httpDoc({ url: "https://hooks.example.test/call", bodyTemplate: '{"phone":"{{caller_phone}}","note":"{{note}}"}' }), {
      variables: { note: 'He said "hi"\n\\o/' },
    });
    call.start();
    const req = call.pendingRequest!;
    expect(req.method).toBe("POST");
    expect(req.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(req.body!)).toEqual({ phone: "15550001234", note: 'He said "hi"\n\\o/' });
  });

  it("lists variables that were not set and leaves them empty", () => {
    const call = new SimulatedCall(httpDoc({ url: "https://x.test/?a={{nope}}", method: "GET" }));
    call.start();
    expect(call.pendingRequest).toMatchObject({ url: "https://x.test/?a=", missingVariables: ["nope"] });
  });

  it("strips line breaks from interpolated headers", () => {
    const call = new SimulatedCall(httpDoc({ url: "https://x.test/", headers: { "X-Caller": "{{evil}}" } }), {
      variables: { evil: "a\r\nX-Injected: 1" },
    });
    call.start();
    expect(call.pendingRequest?.headers["X-Caller"]).toBe("a X-Injected: 1");
  });

  it("stores the JSON response for dotted access further on", () => {
    const doc = flow(
      [
        ["who", "http_callback", { url: "https://crm.test/lookup", method: "GET", storeResponseAs: "customer" }],
        ["log", "http_callback", { url: "https://crm.test/log?name={{customer.body.name}}&status={{customer.status}}", method: "GET" }],
        bye,
      ],
      [
        ["who", "default", "log"],
        ["log", "default", "bye"],
      ],
    );
    const call = new SimulatedCall(doc);
    call.start();
    call.respond({ status: 200, body: JSON.stringify({ name: "Ana Souza" }) });
    expect(call.pendingRequest?.url).toBe("https://crm.test/log?name=Ana%20Souza&status=200");
  });

  it("branches on http:2xx and http:error when connected", () => {
    const edges: [string, string, string][] = [
      ["hook", "http:2xx", "ok"],
      ["hook", "http:error", "err"],
    ];
    const good = new SimulatedCall(httpDoc({ url: "https://x.test/" }, edges));
    good.start();
    good.respond({ status: 204 });
    expect(good.trail()[0]).toBe("hook:http:2xx");
    const bad = new SimulatedCall(httpDoc({ url: "https://x.test/" }, edges));
    bad.start();
    bad.respond({ error: "connect ECONNREFUSED 127.0.0.1:9" });
    expect(bad.trail()[0]).toBe("hook:http:error");
  });

  it("falls back to default for an unreachable URL and keeps the error for later nodes", () => {
    const call = new SimulatedCall(httpDoc({ url: "https://x.test/", storeResponseAs: "r" }));
    call.start();
    call.respond({ error: "timeout after 10000 ms" });
    expect(call.trail()[0]).toBe("hook:default");
    expect(call.state.variables.r).toEqual({ ok: false, status: null, body: null, error: "timeout after 10000 ms" });
  });

  it("keeps digits pressed while waiting for the response as type-ahead", () => {
    const doc = flow(
      [
        ["hook", "http_callback", { url: "https://x.test/" }],
        ["m", "menu", { ...say("Menu"), options: [{ digit: "2" }] }],
        ["t", "transfer", { teamId: "a" }],
        bye,
      ],
      [
        ["hook", "default", "m"],
        ["m", "digit:2", "t"],
        ["m", "max_retries", "bye"],
      ],
    );
    const call = new SimulatedCall(doc);
    call.start();
    call.press("2");
    call.respond({ status: 200 });
    expect(call.trail()).toEqual(["hook:default", "m:digit:2", "t:end"]);
  });

  it("ignores a response to a request it no longer waits for", () => {
    const call = new SimulatedCall(httpDoc({ url: "https://x.test/" }));
    call.start();
    call.send({ type: "http_result", requestId: "stale", status: 200, now: call.now });
    expect(call.currentNodeId).toBe("hook");
  });
});
