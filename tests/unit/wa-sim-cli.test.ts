// The simulator's command-line tools answer --help with their usage and a wrong flag with a sentence
// and the usage (exit 2), never a stack trace. Neither needs the demo running for that.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");
const run = (tool: string, args: string[]) =>
  spawnSync(process.execPath, ["--import", "tsx", path.join(root, "tools/wa-sim", tool), ...args], { cwd: root, encoding: "utf8", timeout: 30_000 });

describe("wa-sim command-line tools", () => {
  it.each(["call.ts", "answer.ts"])("%s prints its usage for --help and explains a bad flag", (tool) => {
    const help = run(tool, ["--help"]);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: npm run wa-sim:/);
    const bad = run(tool, ["--bogus"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^Unknown option '--bogus'[\s\S]*Usage: npm run wa-sim:/);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });
});
