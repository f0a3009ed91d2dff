// Every node type declares its editor fields next to its module, and they fit its config schema:
// the defaults parse, and every field edits a key the schema knows.
import { describe, expect, it } from "vitest";
import { fieldLabel, NODE_EDITORS, NODE_TYPES, nodeSpec } from "../../lib/ivr";

describe("node editor declarations", () => {
  for (const type of NODE_TYPES) {
    it(`${type}: defaults parse and fields name config keys`, () => {
      const spec = nodeSpec(type);
      const editor = NODE_EDITORS[type];
      const parsed = spec.configSchema.safeParse(editor.defaults());
      expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
      const keys = Object.keys(parsed.data as object);
      for (const f of editor.fields) {
        // The schedule field edits the timing config as a whole (time zone, week, overrides).
        if (f.kind === "schedule") continue;
        expect(keys, `${type}.${f.key}`).toContain(f.key);
        expect(f.label.trim()).not.toBe("");
      }
    });
  }
});

describe("fieldLabel", () => {
  it("names a config key as the properties panel labels it, for the version compare", () => {
    expect(fieldLabel("transfer", "teamId")).toBe("team");
    expect(fieldLabel("greeting", "prompt")).toBe("prompt");
    expect(fieldLabel("gather", "maxDigits")).toBe("max digits");
    // Keys no field edits (the node's own label, its type) stay as they are.
    expect(fieldLabel("greeting", "label")).toBe("label");
  });
});
