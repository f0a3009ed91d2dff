// Every (method, route) app/api exports, read from the route files: tests that must cover each
// route (tenant matrix, bad input) are generated from this list, so a new route cannot be missed.
import fs from "node:fs";
import path from "node:path";

export const API_DIR = path.resolve(import.meta.dirname, "../../app/api");

export function discoverRoutes(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === "route.ts") {
        const src = fs.readFileSync(full, "utf8");
        const methods = new Set<string>();
        for (const m of src.matchAll(/export\s+(?:const|async\s+function|function)\s+(GET|POST|PUT|PATCH|DELETE)\b/g)) methods.add(m[1]!);
        for (const m of src.matchAll(/export\s*\{([^}]*)\}/g)) for (const a of m[1]!.matchAll(/as\s+(GET|POST|PUT|PATCH|DELETE)\b/g)) methods.add(a[1]!);
        const route = `/api/${path.relative(API_DIR, path.dirname(full)).split(path.sep).join("/")}`;
        for (const method of methods) found.push(`${method} ${route}`);
      }
    }
  };
  walk(API_DIR);
  return found.sort();
}

/** Whether the route's handler for this method reads a request body (declares an `input` schema or reads it itself). */
export function readsBody(key: string): boolean {
  const [method, route] = key.split(" ") as [string, string];
  const src = fs.readFileSync(path.join(API_DIR, route.replace(/^\/api\/?/, ""), "route.ts"), "utf8");
  const start = src.search(new RegExp(`export\\s+(?:const|async\\s+function|function)\\s+${method}\\b`));
  if (start < 0) return /\binput\b|\.json\(\)|formData\(\)|\.text\(\)/.test(src);
  const next = src.slice(start + 6).search(/\nexport\s/);
  const body = next < 0 ? src.slice(start) : src.slice(start, start + 6 + next);
  return /\binput\b|\.json\(\)|formData\(\)|\.text\(\)/.test(body);
}
