// Non-interruptible menus, the HTTP timeout as an engine timer, and validation of duplicates and
// flows that never end.
import { describe, expect, it } from "vitest";
import { SimulatedCall, validateFlow } from "../../../lib/ivr";
import { bye, draft, flow, say } from "./build";

const menuAfterGreeting = (menuInterruptible: boolean) =>
  flow(
    [
      ["hello", "greeting", say("Welcome")],
      ["menu", "menu", { ...say("Press 1 for sales"), interruptible: menuInterruptible, timeoutSecs: 5, maxRetries: 1, options: [{ digit: "1" }] }],
      ["sales", "transfer", { teamId: "sales" }],
      bye,
    ],
    [
      ["hello", "default", "menu"],
      ["menu", "digit:1", "sales"],
      ["menu", "max_retries", "bye"],
    ],
  );

describe("menu with interruptible: false", () => {
  it("ignores digits while its prompt plays, then takes the next one", () => {
    const call = new SimulatedCall(menuAfterGreeting(false));
    call.start();
    call.finishPrompt();
    call.press("1");
    // The caller still hears the whole menu; the press did not count as a choice or a retry.
    expect(call.currentNodeId).toBe("menu");
    expect(call.playing?.prompt.text).toBe("Press 1 for sales");
    expect(call.state.retries).toEqual({});
    call.finishPrompt();
    call.press("1");
    expect(call.trail()).toEqual(["hello:default", "menu:digit:1", "sales:end"]);
  });

  it("drops type-ahead from the greeting, like a non-interruptible greeting would", () => {
    const call = new SimulatedCall(menuAfterGreeting(false));
    call.start();
    call.press("1"); // skips the (interruptible) greeting
    expect(call.currentNodeId).toBe("menu");
    expect(call.playing?.prompt.text).toBe("Press 1 for sales");
    expect(call.state.typeahead).toBe("");
    call.finishPrompt();
    call.advance(5_000);
    // The timeout replays the prompt, still not interruptible.
    expect(call.playing).toMatchObject({ interruptible: false });
  });

  it("keeps the interruptible default: a digit during the prompt chooses", () => {
    const call = new SimulatedCall(menuAfterGreeting(true));
    call.start();
    call.finishPrompt();
    call.press("1");
    expect(call.trail()).toEqual(["hello:default", "menu:digit:1", "sales:end"]);
  });
});

describe("HTTP callback timeout", () => {
  const hook = ["hook", "http_callback", { url: "https://slow.test/", timeoutSecs: 4, storeResponseAs: "r" }] as [string, string, object];
  const doc = (edges: [string, string, string][]) => flow([hook, ["ok", "hangup", say("OK")], ["err", "hangup", say("Sorry")]], edges);
  const defaultOnly = () => flow([hook, ["ok", "hangup", say("OK")]], [["hook", "default", "ok"]]);

  it("is an engine timer: a host that never answers leaves by http:error after timeoutSecs", () => {
    const call = new SimulatedCall(
      doc([
        ["hook", "http:2xx", "ok"],
        ["hook", "http:error", "err"],
      ]),
    );
    call.start();
    expect(call.log).toContainEqual({ type: "set_timer", timerId: expect.any(String), ms: 4_000 });
    expect(call.pendingRequest?.timeoutMs).toBe(4_000);
    call.advance(3_999);
    expect(call.currentNodeId).toBe("hook");
    call.advance(1);
    expect(call.trail()).toEqual(["hook:http:error", "err:end"]);
    expect(call.state.variables.r).toEqual({ ok: false, status: null, body: null, error: "no answer within 4 s" });
    expect(call.playing?.prompt.text).toBe("Sorry");
    // The request is abandoned; an answer arriving now changes nothing.
    expect(call.pendingRequest).toBeNull();
    const late = call.send({ type: "http_result", requestId: "h1", status: 200, now: call.now });
    expect(late).toEqual([]);
  });

  it("falls back to default when only default is connected, and cancels the timer on an answer", () => {
    const timedOut = new SimulatedCall(defaultOnly());
    timedOut.start();
    timedOut.advance(4_000);
    expect(timedOut.trail()[0]).toBe("hook:default");
    const answered = new SimulatedCall(defaultOnly());
    answered.start();
    answered.respond({ status: 200, body: "{}" });
    expect(answered.log).toContainEqual({ type: "cancel_timer", timerId: expect.any(String) });
    expect(answered.timers.size).toBe(0);
    expect(answered.state.variables.r).toMatchObject({ ok: true, status: 200 });
  });
});

function messages(raw: unknown) {
  return validateFlow(raw).issues.map((i) => `${i.severity}:${i.code}:${i.nodeId ?? i.edgeId ?? "-"}`);
}

describe("validation", () => {
  it("reports a handle connected twice once, as a duplicate, with both targets reachable", () => {
    const m = messages(
      draft(
        [["g", "greeting", say("Hi")], bye, ["other", "hangup", say("Other")]],
        [
          ["g", "default", "bye"],
          ["g", "default", "other"],
        ],
      ),
    );
    expect(m).toEqual(["error:edge_duplicate:g"]);
  });

  it("warns when no path from the entry reaches a Hang up, Transfer or Goto", () => {
    const loop = draft(
      [
        ["m", "menu", { ...say("Menu"), options: [{ digit: "1" }] }],
        ["g", "greeting", say("Again")],
      ],
      [
        ["m", "digit:1", "g"],
        ["m", "max_retries", "g"],
        ["g", "default", "m"],
      ],
    );
    const result = validateFlow(loop);
    expect(result.ok).toBe(true);
    expect(result.issues).toEqual([
      expect.objectContaining({
        severity: "warning",
        code: "no_ending",
        nodeId: "m",
        message: expect.stringContaining("No path from the entry reaches a Hang up, Transfer or Goto"),
      }),
    ]);
    // A reachable transfer (or goto) is enough.
    const withTransfer = draft(
      [
        ["g", "greeting", say("Hi")],
        ["t", "transfer", { teamId: "x" }],
      ],
      [["g", "default", "t"]],
    );
    expect(messages(withTransfer)).toEqual([]);
  });
});
