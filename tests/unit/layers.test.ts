// The layer rule holds everywhere: media-gateway/workers/tools → lib only; app → components + lib;
// components → lib; lib → nothing of ours. The checker is itself tested on planted violations.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { findLayerViolations } from "../helpers/layers";

const ROOT = path.resolve(import.meta.dirname, "../..");

describe("import layers", () => {
  it("no production folder imports across the layer rule", () => {
    const report = findLayerViolations(ROOT).map((v) => `${v.file}:${v.line} (${v.from} → ${v.to}) imports ${v.specifier}`);
    expect(report).toEqual([]);
  });

  describe("the checker", () => {
    const fixture = fs.mkdtempSync(path.join(os.tmpdir(), "rf-layers-"));
    afterAll(() => fs.rmSync(fixture, { recursive: true, force: true }));
    const write = (rel: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(fixture, rel)), { recursive: true });
      fs.writeFileSync(path.join(fixture, rel), text);
    };
    write("lib/ok.ts", 'import { z } from "zod";\nimport { a } from "./sibling";\nexport const x = 1;\n');
    write("lib/sibling.ts", "export const a = 1;\n");
    write("lib/bad.ts", 'export const x = 1;\n\nexport { run } from "../media-gateway/call/session";\n');
    write("lib/lazy.ts", 'export async function f() {\n  return import("../workers/main");\n}\n');
    write("tools/wa-sim/caller.ts", 'import { player } from "../../media-gateway/media/player";\nimport { dtmf } from "../../lib/media/dtmf";\n');
    write("components/panel.tsx", 'import type { Page } from "@/app/page";\nimport { cn } from "@/lib/cn";\n');
    write("app/page.tsx", 'import { Panel } from "@/components/panel";\nimport { db } from "../lib/db";\n');
    write("media-gateway/main.ts", 'const w = require("../workers/jobs");\nimport { t } from "../tools/wa-sim/tone";\n');
    write("workers/main.ts", 'import "../lib/config";\n');
    write("tests/anything.test.ts", 'import "../media-gateway/main";\nimport "../app/page";\n');

    it("finds static, re-export, dynamic, type-only and require imports in a forbidden direction", () => {
      const found = findLayerViolations(fixture).map((v) => `${v.file}:${v.line} ${v.from}→${v.to}`);
      expect(found.sort()).toEqual(
        [
          "components/panel.tsx:1 components→app",
          "lib/bad.ts:3 lib→media-gateway",
          "lib/lazy.ts:2 lib→workers",
          "media-gateway/main.ts:1 media-gateway→workers",
          "media-gateway/main.ts:2 media-gateway→tools",
          "tools/wa-sim/caller.ts:1 tools→media-gateway",
        ].sort(),
      );
    });
  });
});
