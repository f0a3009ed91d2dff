import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { sampleFlowDocument } from "../../lib/seed/sample-flow";

const root = path.resolve(import.meta.dirname, "../..");

function sim(doc: unknown, input: string, ...args: string[]) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ivr-sim-"));
  const file = path.join(dir, "flow.json");
  fs.writeFileSync(file, JSON.stringify(doc));
  try {
    return execFileSync(path.join(root, "node_modules/.bin/tsx"), ["scripts/ivr-sim.ts", file, ...args], {
      cwd: root,
      input,
      encoding: "utf8",
      timeout: 20_000,
    });
  } catch (err) {
    return `${(err as { stdout?: string }).stdout ?? ""}exit ${(err as { status?: number }).status}`;
  }
}

describe("ivr:sim CLI", () => {
  it("runs a flow from a file with digits from stdin and prints the path", () => {
    const out = sim(sampleFlowDocument("sales"), "\n\n2\n1234#\n", "--at", "2026-01-05T10:00:00Z", "--fake-http");
    expect(out).toContain("→ Main menu (menu) digit:2 [2]");
    expect(out).toContain("→ Order number (gather) default [1234]");
    expect(out).toContain("⇄ GET http://127.0.0.1:3000/api/health");
    expect(out).toContain("Call ended: flow_hangup (system)");
  });

  it("follows out_of_hours on a holiday", () => {
    const out = sim(sampleFlowDocument("sales"), "\n", "--at", "2026-12-25T12:00:00Z");
    expect(out).toContain("→ Business hours (timing) out_of_hours");
    expect(out).toContain("We are closed");
  });

  it("gives up on a host that never answers after the node's own timeoutSecs, by the error output", async () => {
    const silent = http.createServer(() => {}); // accepts, never answers
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/slow`;
    const doc = {
      entryNodeId: "hook",
      nodes: [
        { id: "hook", type: "http_callback", label: "Slow CRM", config: { url, method: "GET", timeoutSecs: 1 } },
        { id: "ok", type: "hangup", label: "OK", config: { prompt: { text: "OK" } } },
        { id: "err", type: "hangup", label: "Sorry", config: { prompt: { text: "Sorry" } } },
      ],
      edges: [
        { id: "a", source: "hook", sourceHandle: "http:2xx", target: "ok" },
        { id: "b", source: "hook", sourceHandle: "http:error", target: "err" },
      ],
    };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ivr-sim-"));
    fs.writeFileSync(path.join(dir, "slow.json"), JSON.stringify(doc));
    const started = Date.now();
    // Asynchronous: the silent server must keep running in this process while the CLI waits on it.
    const out = await new Promise<string>((resolve) => {
      const child = spawn(path.join(root, "node_modules/.bin/tsx"), ["scripts/ivr-sim.ts", path.join(dir, "slow.json")], { cwd: root });
      let text = "";
      child.stdout.on("data", (d: Buffer) => {
        text += d;
      });
      child.on("close", () => resolve(text));
      child.stdin.end("\n");
    });
    silent.close();
    silent.closeAllConnections();
    expect(out).toContain("→ Slow CRM (http_callback) http:error");
    expect(out).toContain("♪ “Sorry”");
    // One second (the node's timeout), not the old fixed ten.
    expect(Date.now() - started).toBeLessThan(8_000);
  });

  it("refuses an invalid flow with its errors", () => {
    const out = sim({ nodes: [{ id: "t", type: "transfer", config: {} }], entryNodeId: "t" }, "");
    expect(out).toContain("✗ Transfer to team node: Choose the team to transfer to");
    expect(out).toContain("exit 1");
  });
});
