// wa-sim:answer (like wa-sim:call) answers --help with its usage and a wrong flag with a sentence and
// the usage (exit 2), never a stack trace. It does not need the demo running for that.
import { execFile } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");
const run = (tool: string, args: string[]) =>
  new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = execFile(
      process.execPath,
      ["--import", "tsx", path.join(root, "tools/wa-sim", tool), ...args],
      { cwd: root, encoding: "utf8", timeout: 30_000 },
      (_err, stdout, stderr) => resolve({ status: child.exitCode, stdout, stderr }),
    );
  });

describe("wa-sim command-line tools", () => {
  it("wa-sim:answer prints its usage for --help and explains a bad flag", async () => {
    const [help, bad, notNumber] = await Promise.all([run("answer.ts", ["--help"]), run("answer.ts", ["--bogus"]), run("answer.ts", ["--wait", "soon"])]);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: npm run wa-sim:answer/);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^Unknown option '--bogus'[\s\S]*Usage: npm run wa-sim:answer/);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    expect(notNumber.status).toBe(2);
    expect(notNumber.stderr).toMatch(/^--wait must be a number of seconds \(got "soon"\)/);
  });
});
