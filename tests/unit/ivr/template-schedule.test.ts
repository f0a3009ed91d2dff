import { describe, expect, it } from "vitest";
import { interpolate, localTime, templateVariables } from "../../../lib/ivr";

describe("templates", () => {
  const vars = { name: "Zoë & Co", n: 42, nested: { body: { items: [1, 2] } }, nul: null };

  it("fills values, including numbers and dotted paths into JSON responses", () => {
    expect(interpolate("{{name}} has {{ n }} / {{nested.body.items}}", vars).text).toBe("Zoë & Co has 42 / [1,2]");
  });

  it("url-encodes in URLs and escapes inside JSON strings", () => {
    expect(interpolate("https://x.test/?q={{name}}", vars, "url").text).toBe("https://x.test/?q=Zo%C3%AB%20%26%20Co");
    expect(interpolate('{"q":"{{v}}"}', { v: 'a"b\\c\n' }, "json").text).toBe('{"q":"a\\"b\\\\c\\n"}');
  });

  it("reports missing and null variables as empty", () => {
    expect(interpolate("[{{missing}}][{{nul}}][{{nested.nope.deeper}}]", vars)).toEqual({
      text: "[][][]",
      missing: ["missing", "nul", "nested.nope.deeper"],
    });
  });

  it("does not reach into prototypes", () => {
    expect(interpolate("{{name.constructor}}{{__proto__}}", vars).missing).toHaveLength(2);
  });

  it("lists root variable names", () => {
    expect(templateVariables("{{a}} {{b.c.d}} {{ e }} {not} {{1bad}}")).toEqual(["a", "b", "e"]);
  });
});

describe("local time", () => {
  it("gives the calendar date and weekday in the zone", () => {
    // 2026-01-04 23:30 UTC is already Monday 2026-01-05 in Tokyo.
    expect(localTime(Date.parse("2026-01-04T23:30:00Z"), "Asia/Tokyo")).toEqual({ date: "2026-01-05", weekday: "mon", minute: 8 * 60 + 30 });
    expect(localTime(Date.parse("2026-01-04T23:30:00Z"), "America/New_York")).toEqual({ date: "2026-01-04", weekday: "sun", minute: 18 * 60 + 30 });
  });
});
