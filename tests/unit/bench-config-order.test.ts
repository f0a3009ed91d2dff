// The end-to-end benches import their helpers first and write their own config file (a throwaway
// database, fresh secrets) after: a helper that read the config when imported would freeze an empty one,
// and on a fresh machine (no config.toml) the bench then failed seeding ("server.encryption_key … must be
// set"). Each bench's static imports are loaded here in a clean process before its config exists.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");

describe("bench helpers leave the config unread until the bench has written it", () => {
  it.each(["bench/harness.ts", "bench/graph-child.ts", "bench/setup-callers-pool.ts", "tests/helpers/gateway-process.ts"])("%s", (helper) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ringflow-bench-config-"));
    try {
      const file = path.join(dir, "config.toml");
      const script = `
        await import(${JSON.stringify(path.join(root, helper))});
        const fs = await import("node:fs");
        fs.writeFileSync(${JSON.stringify(file)}, '[server]\\nencryption_key = "written-after-the-imports-0123456789abcdef"\\n');
        process.env.CONFIG_FILE = ${JSON.stringify(file)};
        const { config } = await import(${JSON.stringify(path.join(root, "lib/config/index.ts"))});
        process.stdout.write(String(config().server.encryption_key));
        process.exit(0);`;
      const { CONFIG_FILE: _file, ENCRYPTION_KEY: _key, ...env } = process.env;
      const out = execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
        cwd: root,
        env,
        encoding: "utf8",
        timeout: 30_000,
      });
      expect(out).toBe("written-after-the-imports-0123456789abcdef");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
