// The layer rule from DEVELOPERS.md / DESIGN.md as a checker: every import of every .ts/.tsx file
// (static import/export-from, dynamic import(), require()) resolved to the top-level folder it
// lands in, and compared with what that folder may import. Packages (node_modules) are not checked.
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";

/** What each production folder may import; folders not listed (tests, bench, scripts, …) may import anything. */
export const LAYER_RULES: Record<string, readonly string[]> = {
  lib: ["lib"],
  components: ["components", "lib"],
  app: ["app", "components", "lib"],
  "media-gateway": ["media-gateway", "lib"],
  workers: ["workers", "lib"],
  tools: ["tools", "lib"],
};

/** Ambient declarations every layer may use. */
const SHARED = new Set(["types"]);
/** Root files that belong to the web app (Next.js conventions). */
const ROOT_FILES_AS: Record<string, string> = { "instrumentation.ts": "app", "proxy.ts": "app" };
const SKIP_DIRS = new Set(["node_modules", ".next", ".git", "artifacts", "generated", "coverage"]);

export interface LayerViolation {
  file: string;
  line: number;
  specifier: string;
  from: string;
  to: string;
}

function sourceFiles(root: string, dir = root, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith(".") || SKIP_DIRS.has(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) sourceFiles(root, full, out);
    else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith(".d.ts")) out.push(full);
  }
  return out;
}

function layerOf(root: string, file: string): string {
  const rel = path.relative(root, file).split(path.sep);
  if (rel.length === 1) return ROOT_FILES_AS[rel[0]!] ?? "(root)";
  return rel[0]!;
}

/** The repository path an import points at, or null for a package. */
function resolve(root: string, file: string, specifier: string): string | null {
  if (specifier.startsWith("@/")) return path.join(root, specifier.slice(2));
  if (specifier.startsWith(".")) return path.resolve(path.dirname(file), specifier);
  return null;
}

export function findLayerViolations(root: string): LayerViolation[] {
  const violations: LayerViolation[] = [];
  for (const file of sourceFiles(root)) {
    const from = layerOf(root, file);
    const allowed = LAYER_RULES[from];
    if (!allowed) continue;
    const text = fs.readFileSync(file, "utf8");
    // preProcessFile lists static imports, `export … from`, import() and require() with positions.
    const { importedFiles } = ts.preProcessFile(text, true, true);
    for (const imp of importedFiles) {
      const target = resolve(root, file, imp.fileName);
      if (!target) continue;
      const rel = path.relative(root, target);
      const top = rel.split(path.sep);
      const to = rel.startsWith("..") ? "(outside)" : top.length === 1 ? "(root)" : top[0]!;
      if (allowed.includes(to) || SHARED.has(to)) continue;
      const line = text.slice(0, imp.pos).split("\n").length;
      violations.push({ file: path.relative(root, file), line, specifier: imp.fileName, from, to });
    }
  }
  return violations;
}
