import { describe, expect, it } from "vitest";
import { createSession, SimulatedCall, step } from "../../../lib/ivr";
import { bye, draft, flow, say } from "./build";

const week = (start = "09:00", end = "17:00") =>
  Object.fromEntries(["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map((d, i) => [d, { enabled: i < 5, start, end }]));

const timingDoc = (config: object) =>
  flow(
    [
      ["hours", "timing", config],
      ["open", "hangup", say("Open")],
      ["closed", "hangup", say("Closed")],
    ],
    [
      ["hours", "in_hours", "open"],
      ["hours", "out_of_hours", "closed"],
    ],
  );

function branch(config: object, iso: string) {
  const call = new SimulatedCall(timingDoc(config), { now: Date.parse(iso) });
  call.start();
  return call.trail()[0];
}

describe("timing", () => {
  const london = { timezone: "Europe/London", schedule: week() };

  it("uses the node's time zone, not the host's", () => {
    const saoPaulo = { timezone: "America/Sao_Paulo", schedule: week() };
    // 12:30 UTC on a Monday is 09:30 in São Paulo (UTC-3) and 07:30 two hours earlier.
    expect(branch(saoPaulo, "2026-01-05T12:30:00Z")).toBe("hours:in_hours");
    expect(branch(saoPaulo, "2026-01-05T10:30:00Z")).toBe("hours:out_of_hours");
  });

  it("follows daylight saving time changes", () => {
    // 08:30 UTC is 08:30 in London in winter (closed) and 09:30 in summer (open).
    expect(branch(london, "2026-03-27T08:30:00Z")).toBe("hours:out_of_hours"); // Fri before BST
    expect(branch(london, "2026-03-30T08:30:00Z")).toBe("hours:in_hours"); // Mon after BST starts
    expect(branch(london, "2026-10-23T16:30:00Z")).toBe("hours:out_of_hours"); // 17:30 BST
    expect(branch(london, "2026-10-26T16:30:00Z")).toBe("hours:in_hours"); // 16:30 GMT
  });

  it("treats the closing minute as closed and weekends per schedule", () => {
    expect(branch(london, "2026-01-05T16:59:00Z")).toBe("hours:in_hours");
    expect(branch(london, "2026-01-05T17:00:00Z")).toBe("hours:out_of_hours");
    expect(branch(london, "2026-01-10T12:00:00Z")).toBe("hours:out_of_hours"); // Saturday
  });

  it("applies holiday closures and special hours by local date", () => {
    const cfg = {
      ...london,
      overrides: [
        { date: "2026-12-25", closed: true, note: "Christmas" },
        { date: "2026-12-27", closed: false, start: "10:00", end: "12:00" }, // a Sunday
      ],
    };
    expect(branch(cfg, "2026-12-25T12:00:00Z")).toBe("hours:out_of_hours");
    expect(branch(cfg, "2026-12-27T11:00:00Z")).toBe("hours:in_hours");
    expect(branch(cfg, "2026-12-27T12:30:00Z")).toBe("hours:out_of_hours");
  });
});

describe("transfer", () => {
  const doc = flow([["t", "transfer", { teamId: "support" }]], []);

  it("asks the host to ring the team and reports the agent who accepted", () => {
    const call = new SimulatedCall(doc);
    call.start();
    expect(call.transferTeamId).toBe("support");
    expect(call.state.phase).toBe("transferring");
    call.acceptTransfer("agent-7");
    expect(call.state.outcome).toEqual({ kind: "connected", agentId: "agent-7" });
    expect(call.hangup).toBeNull();
  });

  it("says sorry and hangs up when nobody accepts in time", () => {
    const call = new SimulatedCall(doc);
    call.start();
    call.transferTimeout();
    expect(call.playing?.prompt.text).toMatch(/no one is available/);
    call.finishPrompt();
    expect(call.hangup).toEqual({ reason: "transfer_timeout", disconnectedBy: "system" });
  });

  const withFallback = flow(
    [
      ["t", "transfer", { teamId: "support" }, "Support"],
      ["voicemail", "hangup", say("Please call back later")],
    ],
    [["t", "no_answer", "voicemail"]],
  );

  it("follows no_answer when nobody accepts, and records why in the path", () => {
    const call = new SimulatedCall(withFallback);
    call.start();
    call.transferTimeout();
    expect(call.playing?.prompt.text).toBe("Please call back later");
    expect(call.trail()).toEqual(["t:end", "t:no_answer", "voicemail:end"]);
    expect(call.path[1]?.variables).toEqual({ transfer_result: "timeout" });
  });

  it("takes no_answer at once when the host finds no agent available", () => {
    const call = new SimulatedCall(withFallback);
    call.start();
    expect(call.state.phase).toBe("transferring");
    call.transferTimeout("no_agents");
    expect(call.path[1]?.variables).toEqual({ transfer_result: "no_agents" });
    call.finishPrompt();
    expect(call.hangup).toEqual({ reason: "flow_hangup", disconnectedBy: "system" });
  });

  it("ignores a late timeout once an agent has accepted", () => {
    const call = new SimulatedCall(withFallback);
    call.start();
    call.acceptTransfer("agent-1");
    call.transferTimeout();
    expect(call.state.phase).toBe("connected");
    expect(call.hangup).toBeNull();
  });
});

describe("goto_flow", () => {
  const first = flow(
    [["ask", "gather", { ...say("Account?"), storeAs: "account" }], ["jump", "goto_flow", { flowId: "flow-2" }], bye],
    [
      ["ask", "default", "jump"],
      ["ask", "max_retries", "bye"],
    ],
  );
  const second = draft(
    [
      ["hook", "http_callback", { url: "https://x.test/?acct={{account}}", method: "GET" }],
      ["done", "hangup", {}],
    ],
    [["hook", "default", "done"]],
  );

  it("continues at the target flow's entry with the variables carried over", () => {
    const call = new SimulatedCall(first, { flowId: "flow-1" });
    call.start();
    call.finishPrompt();
    call.press("99#");
    expect(call.gotoFlowId).toBe("flow-2");
    call.loadFlow("flow-2", second);
    expect(call.pendingRequest?.url).toBe("https://x.test/?acct=99");
    call.respond({ status: 200 });
    expect(call.path.map((p) => `${p.flowId}/${p.nodeId}`)).toEqual(["flow-1/ask", "flow-1/jump", "flow-2/hook", "flow-2/done"]);
  });

  it("ends with the error goodbye when the target flow is missing or invalid", () => {
    for (const target of [null, { nodes: [{ id: "x", type: "menu", config: {} }], entryNodeId: "x" }]) {
      const call = new SimulatedCall(first);
      call.start();
      call.finishPrompt();
      call.press("1#");
      call.loadFlow("flow-2", target);
      expect(call.playing?.prompt.text).toMatch(/something went wrong/);
      call.finishPrompt();
      expect(call.hangup?.disconnectedBy).toBe("system");
      expect(call.hangup?.reason).toMatch(/flow-2/);
    }
  });
});

describe("ending safely", () => {
  it("stops everything when the caller hangs up mid-prompt", () => {
    const doc = flow([["hello", "greeting", say("A long welcome")], bye], [["hello", "default", "bye"]]);
    const call = new SimulatedCall(doc);
    call.start();
    const actions = call.callerHangsUp();
    expect(actions.map((a) => a.type)).toEqual(["stop_playback", "path_step"]);
    expect(call.path[0]).toMatchObject({ nodeId: "hello", handle: "caller_hangup" });
    expect(call.state.outcome).toEqual({ kind: "hangup", reason: "caller_hangup", disconnectedBy: "client" });
    expect(call.send({ type: "digit", digit: "1", now: call.now })).toEqual([]);
  });

  it("ends a looping flow at the step limit with a goodbye", () => {
    const doc = flow(
      [
        ["a", "http_callback", { url: "https://x.test/a" }],
        ["b", "http_callback", { url: "https://x.test/b" }],
      ],
      [
        ["a", "default", "b"],
        ["b", "default", "a"],
      ],
      "a",
      { maxSteps: 10 },
    );
    const call = new SimulatedCall(doc);
    call.start();
    while (call.pendingRequest) call.respond({ status: 200 });
    expect(call.path).toHaveLength(11);
    expect(call.path.at(-1)?.handle).toBe("error");
    expect(call.path.at(-1)?.error).toMatch(/Loop guard: more than 10 steps/);
    call.finishPrompt();
    expect(call.hangup).toMatchObject({ disconnectedBy: "system" });
  });

  it("ends with a goodbye when an edge is missing at runtime", () => {
    // Built by hand (bypassing validation) to mimic a document that went stale.
    const doc = { ...flow([bye], []), entryNodeId: "m" };
    doc.nodes = [
      {
        id: "m",
        type: "menu",
        label: "Menu",
        position: { x: 0, y: 0 },
        config: { prompt: { text: "Menu" }, timeoutSecs: 5, maxRetries: 0, interruptible: true, options: [{ digit: "1", label: "" }] },
      },
    ];
    const call = new SimulatedCall(doc);
    call.start();
    call.press("1");
    expect(call.path[0]).toMatchObject({ nodeId: "m", handle: "error" });
    expect(call.path[0]?.error).toMatch(/has no connection for digit:1/);
    call.finishPrompt();
    expect(call.hangup?.disconnectedBy).toBe("system");
  });

  it("turns an internal error into a clean goodbye instead of throwing", () => {
    const doc = { ...flow([bye], []), entryNodeId: "weird" };
    doc.nodes = [{ id: "weird", type: "no_such_type" as never, label: "", position: { x: 0, y: 0 }, config: {} }];
    const call = new SimulatedCall(doc);
    expect(() => call.start()).not.toThrow();
    expect(call.path.at(-1)?.error ?? "").toMatch(/Internal error/);
    call.finishPrompt();
    expect(call.hangup?.disconnectedBy).toBe("system");
  });
});

describe("state", () => {
  const doc = flow(
    [["hello", "greeting", say("Hi")], ["m", "menu", { ...say("Menu"), options: [{ digit: "1" }] }], ["t", "transfer", { teamId: "x" }], bye],
    [
      ["hello", "default", "m"],
      ["m", "digit:1", "t"],
      ["m", "max_retries", "bye"],
    ],
  );

  it("can be stored as JSON and resumed with the same result", () => {
    let state = createSession(doc, { callId: "c1", callerPhone: "1" });
    state = step(state, { type: "start", now: 1000 }).state;
    const stored = JSON.parse(JSON.stringify(state));
    const a = step(state, { type: "digit", digit: "1", now: 2000 });
    const b = step(stored, { type: "digit", digit: "1", now: 2000 });
    expect(b).toEqual(a);
  });

  it("never changes the state it was given", () => {
    const state = step(createSession(doc, { callId: "c1", callerPhone: "1" }), { type: "start", now: 1 }).state;
    const before = JSON.stringify(state);
    step(state, { type: "digit", digit: "1", now: 2 });
    expect(JSON.stringify(state)).toBe(before);
  });

  it("stamps path steps with the event clock in order", () => {
    const call = new SimulatedCall(doc, { now: 1_000 });
    call.start();
    call.advance(2_000);
    call.finishPrompt();
    call.advance(500);
    call.press("1");
    expect(call.path.map((p) => [p.seq, p.enteredAt, p.leftAt])).toEqual([
      [1, 1_000, 3_000],
      [2, 3_000, 3_500],
      [3, 3_500, 3_500],
    ]);
  });
});
