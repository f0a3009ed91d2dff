// IVR handles in words where agents and admins read them: the ringing card's path and the analytics
// "Top IVR exits" chart (which knows no node types), never the document's raw names.
import { describe, expect, it } from "vitest";
import { pathSummary, variableEntries } from "../../components/call-panel/format";
import { handleText, handleWords, shownSteps, variablesText } from "../../lib/calls/path-words";
import { endedByText } from "../../lib/calls/present";
import { formatDisplayPhone } from "../../lib/calls/present-row";

describe("handleWords", () => {
  it("names every handle the engine leaves by, without the node's type where it is not known", () => {
    expect(handleWords(null, "in_hours")).toBe("within business hours");
    expect(handleWords(null, "out_of_hours")).toBe("outside business hours");
    expect(handleWords(null, "caller_hangup")).toBe("the caller hung up");
    expect(handleWords(null, "no_answer")).toBe("no agent answered");
    expect(handleWords(null, "max_retries")).toBe("gave up after too many tries");
    expect(handleWords(null, "digit:3")).toBe("pressed 3");
    expect(handleWords(null, "http:error")).toBe("HTTP error");
    expect(handleWords(null, "error")).toBe("failed");
    expect(handleWords(null, "default")).toBe("continued");
    expect(handleWords("gather", "timeout")).toBe("timed out (no digits entered)");
    expect(handleWords("greeting", "default")).toBe("played");
    // A transfer step ends when the call leaves the IVR for the team, answered or not.
    expect(handleWords("transfer", null)).toBe("transferred to the team");
  });

  it("shows a transfer nobody took once (its result), and one an agent took as the hand-off", () => {
    const step = (nodeId: string, nodeType: string, handle: string | null) => ({ nodeId, nodeType, handle });
    const notTaken = [step("menu", "menu", "digit:1"), step("sales", "transfer", null), step("sales", "transfer", "no_answer"), step("bye", "hangup", null)];
    expect(shownSteps(notTaken).map((s) => `${s.nodeId}:${s.handle}`)).toEqual(["menu:digit:1", "sales:no_answer", "bye:null"]);
    const taken = [step("menu", "menu", "digit:1"), step("sales", "transfer", null)];
    expect(shownSteps(taken)).toEqual(taken);
  });

  it("agrees with the call timeline's words for a stored step", () => {
    const step = { nodeType: "timing", handle: "out_of_hours", digits: null, variables: {}, enteredAt: new Date(), leftAt: null };
    expect(handleText(step)).toBe(handleWords("timing", "out_of_hours"));
    expect(handleText({ ...step, nodeType: "menu", handle: "caller_hangup" })).toBe("the caller hung up");
    // Why nobody took a transfer, in words rather than as its raw transfer_result variable.
    const notTaken = { ...step, nodeType: "transfer", handle: "no_answer", variables: { transfer_result: "no_agents", order: "42" } };
    expect(handleText(notTaken)).toBe("no agent answered: nobody in the team was available");
    expect(variablesText(notTaken)).toEqual(["order = 42"]);
    expect(handleText({ ...notTaken, variables: { transfer_result: "timeout" } })).toBe("no agent answered: nobody accepted in time");
  });
});

describe("the ringing card's IVR path", () => {
  it("reads each step as its label and the way it left, in words", () => {
    expect(
      pathSummary([
        { nodeId: "hours", nodeType: "timing", label: "Opening hours", handle: "in_hours" },
        { nodeId: "menu", nodeType: "menu", label: "Main menu", handle: "digit:2", digits: "2" },
        { nodeId: "ask", nodeType: "gather", label: "Order number", handle: "default", digits: "1234" },
        { nodeId: "retry", nodeType: "menu", label: "Retry menu", handle: "max_retries" },
        { nodeId: "sales", nodeType: "transfer", label: "Sales", handle: null },
      ]),
    ).toEqual(["Opening hours › within business hours", "Main menu [2]", "Order number [1234]", "Retry menu › gave up after too many tries", "Sales"]);
  });

  it("lists what the IVR collected, not the caller's number and call id the card already shows", () => {
    expect(variableEntries({ caller_phone: "5511987654321", call_id: "c1", order: "1234", vip: true })).toEqual([
      ["order", "1234"],
      ["vip", "true"],
    ]);
  });
});

describe("endedByText", () => {
  const endedAt = new Date();
  it("says who ended a call, from the business's side of it", () => {
    expect(endedByText({ disconnectedBy: "client", error: null, endedAt, direction: "incoming" })).toBe("Caller hung up");
    expect(endedByText({ disconnectedBy: "client", error: null, endedAt, direction: "outgoing" })).toBe("Contact hung up");
    expect(endedByText({ disconnectedBy: "system", error: "Ended by Bia Boss (admin)", endedAt })).toBe("Ended by Bia Boss (admin)");
    expect(endedByText({ disconnectedBy: "system", error: "No agent accepted the transfer", endedAt })).toBe(
      "Ended by the system: No agent accepted the transfer",
    );
    expect(endedByText({ disconnectedBy: null, error: null, endedAt: null })).toBe("In progress");
  });
});

describe("formatDisplayPhone", () => {
  it("gives bare digits their plus and keeps what the admin typed otherwise", () => {
    expect(formatDisplayPhone("15550001111")).toBe("+15550001111");
    expect(formatDisplayPhone("+44 20 7946 0000")).toBe("+44 20 7946 0000");
  });
});
