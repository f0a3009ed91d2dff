// A production web server without its secrets refuses to start (a public fallback would let anyone
// forge a session), and the demo seed refuses to run in production.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { freePort } from "../helpers/free-port";

const root = path.resolve(import.meta.dirname, "../..");

function run(command: string, args: string[], env: Record<string, string>, timeoutMs: number) {
  return new Promise<{ code: number | null; output: string; timedOut: boolean }>((resolve) => {
    const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, output, timedOut: signal === "SIGKILL" });
    });
  });
}

function configWithout(keys: string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ringflow-secrets-"));
  const file = path.join(dir, "config.toml");
  const server = [
    'auth_secret = "prod-like-auth-secret-0123456789"',
    'encryption_key = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"',
  ].filter((line) => !keys.some((k) => line.startsWith(k)));
  fs.writeFileSync(file, `[server]\n${server.join("\n")}\n[database]\nurl = "postgresql://postgres@127.0.0.1:5432/ringflow_web_test"\n`);
  return file;
}

describe("production secrets", () => {
  it("refuses to start `next start` without auth_secret, naming the key", async () => {
    const result = await run(
      "npx",
      ["next", "start", "-p", String(await freePort()), "-H", "127.0.0.1"],
      { NODE_ENV: "production", CONFIG_FILE: configWithout(["auth_secret"]) },
      45_000,
    );
    expect(result.timedOut).toBe(false);
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/Refusing to run in production without server\.auth_secret \(or AUTH_SECRET\)/);
  }, 60_000);

  it("refuses to seed the demo organisation in production", async () => {
    const result = await run("npx", ["tsx", "scripts/seed.ts"], { NODE_ENV: "production", CONFIG_FILE: configWithout([]) }, 30_000);
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/Refusing to seed the demo organisation/);
  }, 40_000);
});
