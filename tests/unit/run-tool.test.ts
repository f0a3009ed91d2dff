import { describe, expect, it } from "vitest";
import { runTool, ToolTimeoutError } from "../../lib/process/run-tool";

describe("runTool", () => {
  it("kills a tool that outlives its deadline and says which one", async () => {
    const started = performance.now();
    const err = await runTool("sleep", ["5"], { timeoutMs: 200 }).catch((e) => e);
    expect(err).toBeInstanceOf(ToolTimeoutError);
    expect((err as Error).message).toBe("sleep did not finish within 200 ms and was stopped");
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it("passes stdin and returns stdout; a failing tool rejects with its stderr", async () => {
    expect((await runTool("cat", [], { timeoutMs: 5_000, input: "hello" })).stdout).toBe("hello");
    const err = (await runTool("sh", ["-c", "echo broken >&2; exit 3"], { timeoutMs: 5_000 }).catch((e) => e)) as { code: number; stderr: string };
    expect(err.code).toBe(3);
    expect(err.stderr).toBe("broken\n");
  });
});
