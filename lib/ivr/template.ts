// `{{variable}}` interpolation with dotted access (`{{customer.body.name}}`) and context escaping.
export const TEMPLATE_RE = /\{\{\s*([A-Za-z_][\w]*(?:\.[\w-]+)*)\s*\}\}/g;

export type Escape = "raw" | "url" | "json" | "header";

/** Root variable names a template refers to (`customer` for `{{customer.body.name}}`). */
export function templateVariables(template: string): string[] {
  return [...template.matchAll(TEMPLATE_RE)].map((m) => (m[1] ?? "").split(".")[0] ?? "");
}

export function lookup(vars: Record<string, unknown>, path: string): unknown {
  let value: unknown = vars;
  for (const key of path.split(".")) {
    if (value === null || typeof value !== "object" || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function asText(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

function escapeFor(text: string, mode: Escape): string {
  switch (mode) {
    case "url":
      return encodeURIComponent(text);
    case "json":
      // The placeholder sits inside a JSON string: escape quotes, backslashes and control chars.
      return JSON.stringify(text).slice(1, -1);
    case "header":
      return text.replace(/[\r\n]+/g, " ");
    default:
      return text;
  }
}

/** Fills a template; variables that are not set become "" and are listed in `missing`. */
export function interpolate(template: string, vars: Record<string, unknown>, mode: Escape = "raw"): { text: string; missing: string[] } {
  const missing: string[] = [];
  const text = template.replace(TEMPLATE_RE, (_, path: string) => {
    const value = lookup(vars, path);
    if (value === undefined || value === null) {
      missing.push(path);
      return "";
    }
    return escapeFor(asText(value), mode);
  });
  return { text, missing };
}
