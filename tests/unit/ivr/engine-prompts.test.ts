import { describe, expect, it } from "vitest";
import { SimulatedCall } from "../../../lib/ivr";
import { bye, flow, say } from "./build";

const menuDoc = (menuExtra: object = {}, extraEdges: [string, string, string][] = []) =>
  flow(
    [
      ["hello", "greeting", say("Welcome")],
      ["menu", "menu", { ...say("Press 1 for sales"), timeoutSecs: 5, maxRetries: 2, options: [{ digit: "1", label: "Sales" }], ...menuExtra }],
      ["sales", "transfer", { teamId: "team-1" }],
      bye,
    ],
    [["hello", "default", "menu"], ["menu", "digit:1", "sales"], ["menu", "max_retries", "bye"], ...extraEdges],
  );

describe("greeting", () => {
  it("plays its prompt and moves on when it ends", () => {
    const call = new SimulatedCall(menuDoc());
    call.start();
    expect(call.playing?.prompt.text).toBe("Welcome");
    call.finishPrompt();
    expect(call.currentNodeId).toBe("menu");
    expect(call.playing?.prompt.text).toBe("Press 1 for sales");
    expect(call.path[0]).toMatchObject({ nodeId: "hello", nodeType: "greeting", handle: "default" });
  });

  it("is skipped by a digit when interruptible, and the digit answers the next menu", () => {
    const call = new SimulatedCall(menuDoc());
    call.start();
    call.press("1");
    expect(call.trail()).toEqual(["hello:default", "menu:digit:1", "sales:end"]);
    expect(call.transferTeamId).toBe("team-1");
    // The menu prompt never played: the caller already answered it.
    expect(call.prompts.map((p) => p.text)).toEqual(["Welcome"]);
    expect(call.log).toContainEqual({ type: "stop_playback", playbackId: expect.any(String) });
  });

  it("ignores digits while a non-interruptible greeting plays", () => {
    const doc = flow(
      [
        ["hello", "greeting", { ...say("Legal notice"), interruptible: false }],
        ["menu", "menu", { ...say("Menu"), options: [{ digit: "1" }] }],
        ["t", "transfer", { teamId: "x" }],
        bye,
      ],
      [
        ["hello", "default", "menu"],
        ["menu", "digit:1", "t"],
        ["menu", "max_retries", "bye"],
      ],
    );
    const call = new SimulatedCall(doc);
    call.start();
    call.press("1");
    expect(call.currentNodeId).toBe("hello");
    call.finishPrompt();
    expect(call.playing?.prompt.text).toBe("Menu");
  });
});

describe("menu", () => {
  it("follows digit:N for a configured key", () => {
    const call = new SimulatedCall(menuDoc());
    call.start();
    call.finishPrompt();
    call.finishPrompt();
    call.press("1");
    expect(call.trail()).toEqual(["hello:default", "menu:digit:1", "sales:end"]);
    expect(call.path[1]?.digits).toBe("1");
  });

  it("replays the prompt after a timeout, then takes max_retries", () => {
    const call = new SimulatedCall(menuDoc());
    call.start();
    call.finishPrompt();
    for (let attempt = 0; attempt < 3; attempt++) {
      expect(call.currentNodeId).toBe("menu");
      call.finishPrompt();
      call.advance(4_999);
      expect(call.currentNodeId).toBe("menu");
      call.advance(1);
    }
    expect(call.prompts.filter((p) => p.text === "Press 1 for sales")).toHaveLength(3);
    expect(call.trail()).toEqual(["hello:default", "menu:max_retries", "bye:end"]);
    call.finishPrompt();
    expect(call.hangup).toEqual({ reason: "flow_hangup", disconnectedBy: "system" });
  });

  it("counts unknown keys as retries and replays the prompt", () => {
    const call = new SimulatedCall(menuDoc());
    call.start();
    call.finishPrompt();
    call.press("9");
    expect(call.currentNodeId).toBe("menu");
    call.press("8");
    call.press("7");
    expect(call.trail()).toEqual(["hello:default", "menu:max_retries", "bye:end"]);
    // The key that used the last try is on the step, for the call log.
    expect(call.path[1]).toMatchObject({ nodeId: "menu", handle: "max_retries", digits: "7" });
  });

  it("follows the default edge for an unknown key when connected", () => {
    const doc = menuDoc({}, [["menu", "default", "hello"]]);
    const call = new SimulatedCall(doc);
    call.start();
    call.finishPrompt();
    call.press("5");
    expect(call.trail()).toEqual(["hello:default", "menu:default"]);
    // The call log says "pressed 5 (not an option)".
    expect(call.path[1]).toMatchObject({ nodeId: "menu", handle: "default", digits: "5" });
    expect(call.currentNodeId).toBe("hello");
  });

  it("keeps counting retries when a timeout edge loops back, so max_retries stays reachable", () => {
    const doc = menuDoc({}, [["menu", "timeout", "hello"]]);
    const call = new SimulatedCall(doc);
    call.start();
    for (let i = 0; i < 3; i++) {
      call.finishPrompt(); // greeting
      call.finishPrompt(); // menu
      call.advance(5_000);
    }
    expect(call.trail()).toEqual(["hello:default", "menu:timeout", "hello:default", "menu:timeout", "hello:default", "menu:max_retries", "bye:end"]);
  });

  it("resets the retry count once a valid key is pressed", () => {
    const doc = menuDoc({}, [["menu", "timeout", "hello"]]);
    const call = new SimulatedCall(doc);
    call.start();
    call.finishPrompt();
    call.finishPrompt();
    call.advance(5_000);
    call.finishPrompt();
    call.press("1");
    expect(call.state.retries).toEqual({});
  });

  it("ignores a timer that was cancelled and a playback that was stopped", () => {
    const call = new SimulatedCall(menuDoc());
    call.start();
    call.finishPrompt();
    const menuPrompt = call.playing!.playbackId;
    call.finishPrompt();
    const timer = [...call.timers.keys()][0]!;
    call.press("9"); // unknown key: replay, timer cancelled
    call.send({ type: "timer_fired", timerId: timer, now: call.now });
    call.send({ type: "playback_done", playbackId: menuPrompt, now: call.now });
    expect(call.currentNodeId).toBe("menu");
    expect(call.state.retries.menu).toBe(1);
    expect(call.timers.size).toBe(0);
  });
});

describe("hangup", () => {
  it("plays the goodbye, then hangs up as the system", () => {
    const call = new SimulatedCall(flow([bye], []));
    call.start();
    expect(call.hangup).toBeNull();
    call.press("1");
    expect(call.hangup).toBeNull();
    call.finishPrompt();
    expect(call.hangup).toEqual({ reason: "flow_hangup", disconnectedBy: "system" });
    expect(call.ended).toBe(true);
  });

  it("hangs up at once without a goodbye", () => {
    const call = new SimulatedCall(flow([["end", "hangup", {}]], []));
    call.start();
    expect(call.hangup).toEqual({ reason: "flow_hangup", disconnectedBy: "system" });
  });
});
