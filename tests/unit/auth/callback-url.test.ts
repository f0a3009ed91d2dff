import { describe, expect, it } from "vitest";
import { safeCallbackPath } from "../../../lib/auth/callback-url";

const ORIGIN = "https://app.ringflow.test";

describe("safeCallbackPath", () => {
  it("keeps same-origin paths, with their query and hash", () => {
    expect(safeCallbackPath("/flows/abc")).toBe("/flows/abc");
    expect(safeCallbackPath("/calls?status=missed#top")).toBe("/calls?status=missed#top");
    expect(safeCallbackPath("/flows/../teams")).toBe("/teams");
    expect(safeCallbackPath(`${ORIGIN}/teams?x=1`, ORIGIN)).toBe("/teams?x=1");
  });

  it.each([
    "https://evil.example/phish",
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    " //evil.example",
    "javascript:alert(1)",
    "data:text/html,hi",
    "evil.example",
    `${ORIGIN}.evil.example/`,
    "http://app.ringflow.test/teams", // same host, other scheme: another origin
    "",
  ])("refuses %j", (raw) => {
    expect(safeCallbackPath(raw, ORIGIN)).toBe("/calls");
    expect(safeCallbackPath(raw)).toBe("/calls");
  });

  it("falls back for missing values", () => {
    expect(safeCallbackPath(null)).toBe("/calls");
    expect(safeCallbackPath(undefined, ORIGIN, "/home")).toBe("/home");
  });
});
