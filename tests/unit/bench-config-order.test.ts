// The end-to-end benches import their helpers first and write their own config file (a throwaway
// database, fresh secrets) after: a helper that read the config when imported would freeze an empty one,
// and on a fresh machine (no config.toml) the bench then failed seeding ("server.encryption_key … must be
// set"). The bench helpers are all loaded here in one clean process before its config exists.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");
const HELPERS = ["bench/harness.ts", "bench/graph-child.ts", "bench/setup-callers-pool.ts", "tests/helpers/gateway-process.ts"];
const KEY = "written-after-the-imports-0123456789abcdef";

/** The encryption key a process sees after importing the helpers, then writing its config and reading it. */
async function keyAfterImporting(helpers: string[], dir: string): Promise<string> {
  const file = path.join(dir, "config.toml");
  const script = `
    for (const helper of ${JSON.stringify(helpers.map((h) => path.join(root, h)))}) await import(helper);
    const fs = await import("node:fs");
    fs.writeFileSync(${JSON.stringify(file)}, '[server]\\nencryption_key = "${KEY}"\\n');
    process.env.CONFIG_FILE = ${JSON.stringify(file)};
    const { config } = await import(${JSON.stringify(path.join(root, "lib/config/index.ts"))});
    process.stdout.write(String(config().server.encryption_key));
    process.exit(0);`;
  const { CONFIG_FILE: _file, ENCRYPTION_KEY: _key, ...env } = process.env;
  const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    cwd: root,
    env,
    encoding: "utf8",
    timeout: 30_000,
  });
  return stdout;
}

describe("bench helpers leave the config unread until the bench has written it", () => {
  it(`holds for ${HELPERS.join(", ")}`, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ringflow-bench-config-"));
    try {
      expect(await keyAfterImporting(HELPERS, dir)).toBe(KEY);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
