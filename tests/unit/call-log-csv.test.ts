import { describe, expect, it } from "vitest";
import { csvCell, csvRow } from "../../lib/calls/csv";
import { parseCallError } from "../../lib/calls/meta-error";
import { handleText } from "../../lib/calls/path-words";
import { nameVariants, phoneDigits } from "../../lib/calls/search";
import { csvTime, nextDay, zonedDayStart } from "../../lib/calls/time-zone";

describe("call-log CSV cells", () => {
  it("quotes separators and quotes, and neutralises formulas", () => {
    expect(csvCell('Ana, "the boss"')).toBe('"Ana, ""the boss"""');
    expect(csvCell("line\nbreak")).toBe('"line\nbreak"');
    expect(csvCell("=1+1")).toBe("'=1+1");
    expect(csvCell("+5511")).toBe("'+5511");
    expect(csvCell("-2")).toBe("'-2");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell('=HYPERLINK("x","y, z")')).toBe(`"'=HYPERLINK(""x"",""y, z"")"`);
    expect(csvCell(-5)).toBe("-5");
    expect(csvCell(null)).toBe("");
    expect(csvRow(["a", 1, null])).toBe("a,1,\r\n");
  });
});

describe("call-log days in the organisation's zone", () => {
  it("finds local midnight, across DST changes too", () => {
    expect(zonedDayStart("2026-11-19", "America/Sao_Paulo").toISOString()).toBe("2026-11-19T03:00:00.000Z");
    expect(zonedDayStart("2026-03-29", "Europe/London").toISOString()).toBe("2026-03-29T00:00:00.000Z");
    expect(zonedDayStart("2026-03-30", "Europe/London").toISOString()).toBe("2026-03-29T23:00:00.000Z");
    expect(zonedDayStart("2026-01-01", "UTC").toISOString()).toBe("2026-01-01T00:00:00.000Z");
    expect(nextDay("2026-02-28")).toBe("2026-03-01");
    expect(csvTime(new Date("2026-11-20T02:30:00Z"), "America/Sao_Paulo")).toBe("2026-11-19 23:30:00");
  });
});

describe("call-log words", () => {
  const step = (nodeType: string, handle: string | null, extra: { digits?: string; variables?: unknown } = {}) => ({
    nodeType,
    handle,
    digits: extra.digits ?? null,
    variables: extra.variables ?? null,
    enteredAt: new Date(0),
    leftAt: new Date(250),
  });
  it("reads IVR handles as what happened", () => {
    expect(handleText(step("menu", "digit:1", { digits: "1" }))).toBe("pressed 1");
    expect(handleText(step("menu", "timeout"))).toBe("timed out (no key pressed)");
    expect(handleText(step("gather", "default", { digits: "1234" }))).toBe("entered 1234");
    expect(handleText(step("http_callback", "http:2xx"))).toBe("HTTP 2xx");
    expect(handleText(step("http_callback", "http:error", { variables: { r: { ok: false, status: 503, error: null } } }))).toBe("HTTP 503 (error)");
    expect(handleText(step("timing", "out_of_hours"))).toBe("outside business hours");
    expect(handleText(step("transfer", "no_answer"))).toBe("no agent answered");
    expect(handleText(step("hangup", null))).toBe("hung up");
    expect(handleText(step("menu", "error", { variables: { error: "Loop guard" } }))).toBe("failed: Loop guard");
  });
  it("pulls Meta's code out of a stored error", () => {
    expect(parseCallError("(#138006) No call permission")).toEqual({ code: "138006", text: "No call permission" });
    expect(parseCallError("Calling is disabled")).toEqual({ code: null, text: "Calling is disabled" });
  });
  it("tells a phone search from a name search", () => {
    expect(phoneDigits("+55 (11) 98765-4321")).toBe("5511987654321");
    expect(phoneDigits("maria")).toBeNull();
    expect(nameVariants("maria s")).toEqual(["maria s", "Maria S", "MARIA S"]);
  });
});
