import { describe, expect, it } from "vitest";
import { FlowInvalidError, issueText, parseExecutable, validateFlow } from "../../../lib/ivr";
import { sampleFlowDocument } from "../../../lib/seed/sample-flow";
import { bye, draft, say } from "./build";

function messages(raw: unknown, ctx = {}) {
  return validateFlow(raw, ctx).issues.map((i) => `${i.severity}:${i.nodeId ?? i.edgeId ?? "-"}:${i.message}`);
}

describe("flow validation", () => {
  it("accepts the demo flow and fills defaults", () => {
    const result = validateFlow(sampleFlowDocument("team-1"), { teamIds: new Set(["team-1"]) });
    expect(result.issues).toEqual([]);
    const menu = result.document!.nodes.find((n) => n.id === "main-menu")!;
    expect(menu.config).toMatchObject({ timeoutSecs: 10, maxRetries: 3, interruptible: true });
  });

  it("reports a malformed document instead of throwing", () => {
    expect(messages({ nodes: "nope" })[0]).toMatch(/^error:-:Flow document is malformed: nodes/);
    expect(messages(null)[0]).toMatch(/malformed/);
  });

  it("asks for an entry node and at least one node", () => {
    expect(messages(draft([], []))).toEqual(["error:-:Add at least one node"]);
    expect(messages(draft([bye], [], null))).toContain("error:-:Choose the entry node (where calls start)");
    expect(messages(draft([bye], [], "gone"))).toContain("error:-:The entry node no longer exists; choose another");
  });

  it("requires audio or TTS text for prompts", () => {
    const m = messages(draft([["g", "greeting", { prompt: { text: "  " } }, "Hello"], bye], [["g", "default", "bye"]]));
    expect(m).toContain("error:g:“Hello”: Choose an audio file or type TTS text for the greeting");
    const ok = messages(draft([["g", "greeting", { prompt: { assetId: "asset-1" } }], bye], [["g", "default", "bye"]]));
    expect(ok).toEqual([]);
  });

  it("refuses a prompt whose audio file is not in the organisation's library, when the library is known", () => {
    const doc = draft(
      [
        ["g", "greeting", { prompt: { assetId: "gone" } }, "Hello"],
        ["m", "hangup", { prompt: { assetId: "kept" } }, "Bye"],
      ],
      [["g", "default", "m"]],
    );
    const library = { assetIds: new Set(["kept"]) };
    expect(messages(doc, library)).toEqual(["error:g:“Hello”: its audio file is no longer in the audio library; choose another or type TTS text"]);
    expect(validateFlow(doc, library).issues[0]?.code).toBe("missing_audio");
    expect(validateFlow(doc, library).document).toBeUndefined();
    expect(messages(doc)).toEqual([]);
    const settings = { ...(doc as object), settings: { noAgentPrompt: { assetId: "gone" } } };
    expect(messages(settings, { assetIds: new Set(["gone", "kept"]) })).toEqual([]);
    expect(messages(settings, { assetIds: new Set(["kept"]) })).toContain(
      "error:g:“Hello”: its audio file is no longer in the audio library; choose another or type TTS text",
    );
    expect(messages(settings, { assetIds: new Set(["kept"]) })).toContain(
      "error:-:The flow's no-agent prompt: its audio file is no longer in the audio library; choose another or type TTS text",
    );
  });

  it("refuses outgoing connections from terminal nodes", () => {
    const m = messages(draft([["h", "hangup", {}, "Bye now"], bye], [["h", "default", "bye"]]));
    expect(m).toContain("error:h:“Bye now” ends the flow here, so it cannot have outgoing connections");
  });

  it("lets a transfer continue only through its optional no_answer output", () => {
    const wrong = messages(draft([["t", "transfer", { teamId: "a" }, "Sales"], bye], [["t", "default", "bye"]]));
    expect(wrong).toContain("error:t:“Sales” has no “default” output");
    expect(messages(draft([["t", "transfer", { teamId: "a" }, "Sales"], bye], [["t", "no_answer", "bye"]]))).toEqual([]);
    expect(messages(draft([["t", "transfer", { teamId: "a" }, "Sales"]], []))).toEqual([]);
  });

  it("names handles that would dead-end and handles that do not exist", () => {
    const menu = ["m", "menu", { ...say("Menu"), options: [{ digit: "1", label: "Sales" }, { digit: "2" }] }, "Main"] as const;
    const m = messages(
      draft(
        [[...menu], bye],
        [
          ["m", "digit:1", "bye"],
          ["m", "digit:7", "bye"],
        ],
      ),
    );
    expect(m).toContain("error:m:“Main”: connect “digit:2”, or callers who take it will be hung up");
    expect(m).toContain("error:m:“Main”: connect “max_retries”, or callers who take it will be hung up");
    expect(m).toContain("error:m:“Main” has no “digit:7” output");
    // The editor shows the outputs as the canvas names them.
    const shown = validateFlow(draft([[...menu], bye], [["m", "digit:1", "bye"]]), {})
      .issues.filter((i) => i.code === "dangling_handle")
      .map(issueText);
    expect(shown).toEqual([
      "“Main”: connect “Pressed 2”, or callers who take it will be hung up",
      "“Main”: connect “Too many tries”, or callers who take it will be hung up",
    ]);
  });

  it("does not require timeout/default on menus (they replay the prompt)", () => {
    const m = messages(
      draft(
        [["m", "menu", { ...say("Menu"), options: [{ digit: "1" }] }], bye],
        [
          ["m", "digit:1", "bye"],
          ["m", "max_retries", "bye"],
        ],
      ),
    );
    expect(m).toEqual([]);
  });

  it("reports unreachable nodes, duplicate handles and edges to nowhere", () => {
    const m = messages(
      draft(
        [["g", "greeting", say("Hi")], bye, ["orphan", "hangup", {}, "Orphan"]],
        [
          ["g", "default", "bye"],
          ["g", "default", "orphan"],
          ["bye", "default", "nowhere"],
        ],
      ),
    );
    // Outputs are named as the editor labels them, not by their handle.
    expect(m).toContain("error:g:“g”: “Next” is connected twice; keep one");
    expect(m.some((x) => x.startsWith("error:bye:") && x.includes("the “Next” connection leads to a node that no longer exists"))).toBe(true);
    const unreachable = messages(draft([["g", "greeting", say("Hi")], bye, ["orphan", "hangup", {}, "Orphan"]], [["g", "default", "bye"]]));
    expect(unreachable).toContain("error:orphan:“Orphan” can never be reached from the entry node");
  });

  it("catches duplicate menu keys and menus without options", () => {
    const dup = messages(
      draft(
        [["m", "menu", { ...say("Menu"), options: [{ digit: "1" }, { digit: "1" }] }], bye],
        [
          ["m", "digit:1", "bye"],
          ["m", "max_retries", "bye"],
        ],
      ),
    );
    expect(dup).toContain("error:m:“m”: Key 1 is used by more than one option");
    const none = messages(draft([["m", "menu", say("Menu")], bye], [["m", "max_retries", "bye"]]));
    expect(none).toContain("error:m:“m”: Add at least one option (a key callers can press)");
  });

  it("checks time zones and opening hours", () => {
    const tz = messages(
      draft(
        [["h", "timing", { timezone: "Mars/Olympus", schedule: {} }], bye],
        [
          ["h", "in_hours", "bye"],
          ["h", "out_of_hours", "bye"],
        ],
      ),
    );
    expect(tz[0]).toMatch(/timezone is not a known IANA time zone/);
    const times = messages(
      draft(
        [["h", "timing", { timezone: "Europe/Paris", schedule: { mon: { enabled: true, start: "18:00", end: "18:00" }, tue: { start: "9am" } } }], bye],
        [
          ["h", "in_hours", "bye"],
          ["h", "out_of_hours", "bye"],
        ],
      ),
    );
    expect(times[0]).toMatch(/schedule\.mon\.ranges\.0\.end closing time must differ from opening time/);
    expect(times[0]).toMatch(/schedule\.tue\.start must be a time like 09:00/);
  });

  it("checks team and flow ids against the organisation's data", () => {
    const doc = draft(
      [
        ["g", "greeting", say("Hi")],
        ["t", "transfer", { teamId: "deleted-team" }],
      ],
      [["g", "default", "t"]],
    );
    expect(messages(doc, { teamIds: new Set(["team-1"]) })).toContain("error:t:“t”: The chosen team no longer exists");
    const go = draft([["j", "goto_flow", { flowId: "other" }]], []);
    expect(messages(go, { flowIds: new Set(["mine"]) })).toContain("error:j:“j”: The chosen flow no longer exists");
    expect(messages(draft([["j", "goto_flow", {}]], []))).toContain("error:j:“j”: Choose the flow to go to");
  });

  it("checks callback URLs and warns about variables that are never set", () => {
    const bad = messages(draft([["h", "http_callback", { url: "ftp://x" }], bye], [["h", "default", "bye"]]));
    expect(bad).toContain("error:h:“h”: URL must start with http:// or https://");
    const warn = validateFlow(draft([["h", "http_callback", { url: "https://x.test/{{order_id}}?p={{caller_phone}}" }], bye], [["h", "default", "bye"]]));
    expect(warn.ok).toBe(true);
    expect(warn.issues).toEqual([expect.objectContaining({ severity: "warning", nodeId: "h", message: expect.stringContaining("{{order_id}} is never set") })]);
  });

  it("parseExecutable throws one error listing every problem", () => {
    expect(() => parseExecutable(draft([["t", "transfer", {}]], []))).toThrow(FlowInvalidError);
    expect(() => parseExecutable(draft([["t", "transfer", {}]], []))).toThrow(/Choose the team to transfer to/);
  });
});
