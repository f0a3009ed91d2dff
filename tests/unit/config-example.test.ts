import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../lib/config";

describe("config.example.toml", () => {
  const text = fs.readFileSync(path.resolve(import.meta.dirname, "../../config.example.toml"), "utf8");

  it("is a valid config as shipped", () => {
    expect(parseConfig(text).calling.max_call_duration).toBe(3600);
  });

  it("documents every key the loader knows", () => {
    const uncommented = text.replace(/^# ?/gm, "");
    const c = parseConfig("");
    for (const [section, values] of Object.entries(c)) {
      expect(text).toContain(`[${section}]`);
      for (const key of Object.keys(values)) expect(uncommented).toMatch(new RegExp(`^(${key} =|\\[\\[${section}\\.${key}\\]\\])`, "m"));
    }
  });
});
