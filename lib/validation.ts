// The one input-sanitising layer: every route's input goes through `parseInput` (withOrg, the pusher
// auth route, flow import and drafts), which first walks the raw input (`checkInput`) and then parses
// it with the route's zod schema. Failures become one AppError (422) naming each field.
//
// PostgreSQL cannot store NUL characters (22021) or invalid Unicode such as lone UTF-16 surrogates
// (22P05), and Prisma overflows the stack on deeply nested JSON, so those are refused here, for every
// field of every schema, before any handler or query sees them.
import { type ZodType, z } from "zod";
import { AppError } from "./errors";

export const INPUT_LIMITS = {
  /** Objects/arrays nested deeper than this are refused (a flow document needs far fewer). */
  maxDepth: 64,
  /** Total values (strings, numbers, objects, array items…) in one input. */
  maxValues: 100_000,
} as const;

const NUL = "\u0000";
// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** C0 controls and DEL: never part of an id, key or other path segment. */
function hasControl(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

/** Why a string cannot be stored, or null when it can. */
export function badStringReason(s: string): string | null {
  if (s.includes(NUL)) return "must not contain NUL characters";
  if (LONE_SURROGATE.test(s)) return "must not contain invalid Unicode (a lone UTF-16 surrogate)";
  return null;
}

/** Removes what PostgreSQL cannot store (NUL characters, lone surrogates → U+FFFD) from a string. */
export function storableString(s: string): string {
  return s.replaceAll(NUL, "").replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");
}

/** True when a string holds a lone UTF-16 surrogate (invalid Unicode PostgreSQL refuses). */
export function hasLoneSurrogate(s: string): boolean {
  return LONE_SURROGATE.test(s);
}

/**
 * Copies parsed JSON applying `fn` to every string and key; refuses (422) nesting deeper than
 * `maxDepth`, so a hostile document cannot overflow the stack here or later in Prisma.
 */
export function mapJsonStrings(value: unknown, fn: (s: string) => string, maxDepth: number = INPUT_LIMITS.maxDepth): unknown {
  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === "string") return fn(v);
    if (v === null || typeof v !== "object") return v;
    if (depth >= maxDepth) throw invalid([], `is nested too deeply (more than ${maxDepth} levels)`);
    if (Array.isArray(v)) return v.map((x) => walk(x, depth + 1));
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [fn(k), walk(x, depth + 1)]));
  };
  return walk(value, 0);
}

/** True when any string or key in parsed JSON satisfies `test` (depth already bounded by mapJsonStrings). */
export function someJsonString(value: unknown, test: (s: string) => boolean): boolean {
  if (typeof value === "string") return test(value);
  if (value === null || typeof value !== "object") return false;
  if (Array.isArray(value)) return value.some((x) => someJsonString(x, test));
  return Object.entries(value).some(([k, x]) => test(k) || someJsonString(x, test));
}

/** True when a route parameter (an id, a storage key segment) is plausible: short, no controls, valid Unicode. */
export function isSafeParam(value: string, maxLength = 200): boolean {
  return value.length > 0 && value.length <= maxLength && !hasControl(value) && !LONE_SURROGATE.test(value);
}

/** A zod string that refuses NUL characters and lone surrogates: for schemas parsed outside `parseInput`. */
export function safeString() {
  return z.string().superRefine((s, ctx) => {
    const reason = badStringReason(s);
    if (reason) ctx.addIssue({ code: "custom", message: reason });
  });
}

/** Nothing a reader could see: controls, format characters (zero-width spaces…), spaces, lone marks. */
const NOTHING_VISIBLE = /^[\p{Cc}\p{Cf}\p{Z}\p{M}]*$/u;
/** Line breaks, tabs and other controls, and the bidi controls that reverse how the rest reads. */
const CONTROL_OR_BIDI = /[\p{Cc}\u202A-\u202E\u2066-\u2069]/u;

/**
 * A name people read in lists (a person, team, number, flow, audio file): trimmed, 1–80 characters,
 * one line, and something visible (a zero-width space alone showed as an empty name).
 */
export function displayName(required = "Name is required") {
  return z
    .string()
    .trim()
    .min(1, required)
    .max(80, "Keep the name to 80 characters or fewer")
    .refine((s) => !CONTROL_OR_BIDI.test(s), "Keep the name on one line, without tabs or text-direction controls")
    .refine((s) => s === "" || !NOTHING_VISIBLE.test(s), required);
}

const fieldName = (path: (string | number)[]) => path.map(String).join(".") || "input";

function invalid(path: (string | number)[], message: string): AppError {
  const field = fieldName(path);
  const top = path.length ? String(path[0]) : null;
  return new AppError("validation_failed", `${field}: ${message}`, {
    formErrors: top ? [] : [message],
    fieldErrors: top ? { [top]: [`${field}: ${message}`] } : {},
  });
}

/**
 * Walks raw input (iteratively, so it cannot overflow the stack itself) and throws a 422 naming the
 * field for strings or keys PostgreSQL cannot store, nesting deeper than `maxDepth`, or more than
 * `maxValues` values.
 */
export function checkInput(input: unknown, limits: { maxDepth?: number; maxValues?: number } = {}): void {
  const maxDepth = limits.maxDepth ?? INPUT_LIMITS.maxDepth;
  const maxValues = limits.maxValues ?? INPUT_LIMITS.maxValues;
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value: input, path: [] }];
  let seen = 0;
  while (stack.length) {
    const { value, path } = stack.pop()!;
    if (++seen > maxValues) throw invalid([], `is too large (more than ${maxValues} values)`);
    if (typeof value === "string") {
      const reason = badStringReason(value);
      if (reason) throw invalid(path, reason);
      continue;
    }
    if (value === null || typeof value !== "object") continue;
    if (path.length >= maxDepth) throw invalid(path.slice(0, 1), `is nested too deeply (more than ${maxDepth} levels)`);
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], path: [...path, i] });
      continue;
    }
    const entries = Object.entries(value as Record<string, unknown>);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i]!;
      const reason = badStringReason(key);
      if (reason) throw invalid(path, `field names ${reason}`);
      stack.push({ value: child, path: [...path, key] });
    }
  }
}

export function parseInput<T>(schema: ZodType<T>, input: unknown): T {
  checkInput(input);
  const result = schema.safeParse(input);
  if (!result.success) {
    const message = result.error.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("; ");
    throw new AppError("validation_failed", message, z.flattenError(result.error as z.ZodError<unknown>));
  }
  return result.data;
}
