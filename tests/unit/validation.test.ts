import { describe, expect, it } from "vitest";
import { z } from "zod";
import { AppError } from "../../lib/errors";
import { checkInput, displayName, isSafeParam, mapJsonStrings, parseInput, safeString, storableString } from "../../lib/validation";

const nested = (depth: number): unknown => {
  let v: unknown = "leaf";
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
};

function failure(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  }
  throw new Error("expected a validation failure");
}

describe("the input-sanitising layer", () => {
  const team = z.object({ name: z.string().min(1), tags: z.array(z.string()).optional() });

  it("refuses NUL characters with a 422 naming the field", () => {
    const err = failure(() => parseInput(team, { name: "a\u0000b" }));
    expect(err.status).toBe(422);
    expect(err.code).toBe("validation_failed");
    expect(err.message).toBe("name: must not contain NUL characters");
  });

  it("refuses lone surrogates anywhere, including nested fields and keys", () => {
    expect(failure(() => parseInput(team, { name: "ok", tags: ["x", "\ud800"] })).message).toBe(
      "tags.1: must not contain invalid Unicode (a lone UTF-16 surrogate)",
    );
    expect(failure(() => parseInput(team, { name: "\udc00x" })).message).toContain("name: must not contain invalid Unicode");
    expect(failure(() => checkInput({ document: { "k\u0000": 1 } })).message).toBe("document: field names must not contain NUL characters");
  });

  it("accepts well-formed text, including emoji (surrogate pairs)", () => {
    expect(parseInput(team, { name: "Suporte 😀 ção", tags: ["🎧"] })).toEqual({ name: "Suporte 😀 ção", tags: ["🎧"] });
  });

  it("refuses documents nested deeper than 64 levels without overflowing the stack", () => {
    const flow = z.object({ document: z.unknown() });
    expect(() => parseInput(flow, { document: nested(60) })).not.toThrow();
    const err = failure(() => parseInput(flow, { document: nested(5000) }));
    expect(err.status).toBe(422);
    expect(err.message).toBe("document: is nested too deeply (more than 64 levels)");
    expect(failure(() => parseInput(flow, { document: nested(200_000) })).status).toBe(422);
  });

  it("refuses inputs with too many values", () => {
    expect(failure(() => checkInput({ list: new Array(100_001).fill(0) })).message).toContain("is too large");
  });

  it("still reports schema failures per field", () => {
    expect(failure(() => parseInput(team, { name: "" })).message).toMatch(/^name: /);
  });

  it("offers a zod building block for schemas parsed elsewhere", () => {
    const s = z.object({ label: safeString() });
    expect(s.safeParse({ label: "fine" }).success).toBe(true);
    const bad = s.safeParse({ label: "x\u0000" });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toBe("must not contain NUL characters");
  });

  it("checks route params and makes strings storable", () => {
    expect(isSafeParam("cm1abc")).toBe(true);
    expect(isSafeParam("\u0000")).toBe(false);
    expect(isSafeParam("a\nb")).toBe(false);
    expect(isSafeParam("\ud800")).toBe(false);
    expect(isSafeParam("x".repeat(201))).toBe(false);
    expect(isSafeParam("")).toBe(false);
    expect(storableString("a\u0000b\ud800c😀")).toBe("ab\ufffdc😀");
    expect(mapJsonStrings({ "k\ud800": ["\u0000x"] }, storableString)).toEqual({ "k\ufffd": ["x"] });
    expect(() => mapJsonStrings(nested(100), (s) => s)).toThrow(AppError);
  });
});

describe("names people read in lists", () => {
  const name = displayName();
  const errors = (s: string) => name.safeParse(s).error?.issues.map((i) => i.message) ?? [];

  it("keeps real names of any script, emoji sequences included, trimmed", () => {
    for (const ok of ["Ana Souza", "  Álex Müller  ", "李小龍", "محمد", "👩‍💻 Dev", "O'Brien-Smith"]) expect(errors(ok), ok).toEqual([]);
    expect(name.parse("  Álex Müller  ")).toBe("Álex Müller");
  });

  it("refuses names with nothing to see: a zero-width space, a lone combining mark, blanks", () => {
    for (const bad of ["", "   ", "\u200B", "\u200B\u200D", "\u0301", "\u3000"]) expect(errors(bad), JSON.stringify(bad)).toEqual(["Name is required"]);
    expect(displayName("Team name is required").safeParse("\u200B").error?.issues[0]?.message).toBe("Team name is required");
  });

  it("refuses line breaks, tabs and text-direction controls, and over 80 characters", () => {
    for (const bad of ["Ana\nSouza", "Ana\tSouza", "Ana \u202Eazuos", "a\u2066b"])
      expect(errors(bad), JSON.stringify(bad)).toEqual(["Keep the name on one line, without tabs or text-direction controls"]);
    expect(errors("W".repeat(81))).toEqual(["Keep the name to 80 characters or fewer"]);
  });
});
