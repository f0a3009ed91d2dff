// Calls an HTTP API with interpolated URL/body/headers; the response can be stored as a variable.
// The node's timeout is an engine timer like every other: when it fires first, the call leaves by
// the error path whatever the host is still doing (a late answer is ignored), so every host — the
// gateway, the editor's simulator, `npm run ivr:sim` — behaves the same.
import { z } from "zod";
import { AddressPolicy, literalUrlProblem } from "../../net/address-policy";
import { interpolate, TEMPLATE_RE } from "../template";
import { defineNode, type ValidationContext } from "./node";

/**
 * Server-side validation (publishing) passes `[http_callbacks] allow` from config.toml; without it
 * (the editor canvas, re-checking a published flow) internal addresses are left to call time.
 */
export interface HttpValidationContext extends ValidationContext {
  httpCallbackAllow?: readonly string[];
}

export const httpCallbackConfig = z.strictObject({
  url: z.string().trim().default(""),
  method: z.enum(["GET", "POST"]).default("POST"),
  headers: z.record(z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, "is not a valid header name"), z.string()).default({}),
  bodyTemplate: z.string().max(20_000).default(""),
  timeoutSecs: z.number().int().min(1).max(30).default(10),
  storeResponseAs: z
    .string()
    .regex(/^[A-Za-z_]\w{0,39}$/, "must be a variable name (letters, digits, _)")
    .or(z.literal(""))
    .default(""),
});
type HttpConfig = z.infer<typeof httpCallbackConfig>;

const policies = new WeakMap<readonly string[], AddressPolicy>();

function urlProblem(url: string, allow: readonly string[] | undefined): string | null {
  if (!url) return "Enter the URL to call";
  let u: URL;
  try {
    u = new URL(url.replace(TEMPLATE_RE, "x"));
  } catch {
    return "URL is not valid";
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") return "URL must start with http:// or https://";
  if (u.username || u.password) return "URL must not contain a user name or password; send credentials in a header";
  // A templated host is only known when the call runs; the gateway checks it then.
  const authority = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(url.trim())?.[1] ?? "";
  const templatedHost = new RegExp(TEMPLATE_RE.source).test(authority);
  if (!allow || templatedHost) return null;
  let policy = policies.get(allow);
  if (!policy) {
    policy = new AddressPolicy(allow);
    policies.set(allow, policy);
  }
  return literalUrlProblem(u, policy);
}

const isJsonBody = (c: HttpConfig) =>
  Object.entries(c.headers).some(([k, v]) => k.toLowerCase() === "content-type" && v.includes("json")) || /^\s*[[{]/.test(c.bodyTemplate);

function parseBody(text: string | undefined): unknown {
  if (text === undefined) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export const httpCallback = defineNode<HttpConfig>({
  type: "http_callback",
  title: "HTTP callback",
  configSchema: httpCallbackConfig,
  terminal: false,
  handles: () => ["default", "http:2xx", "http:error"],
  requiredHandles: (_c, connected) => (connected.has("http:2xx") && connected.has("http:error") ? [] : ["default"]),
  sets: (c) => (c.storeResponseAs ? [c.storeResponseAs] : []),
  templates: (c) => [c.url, c.bodyTemplate, ...Object.values(c.headers)],
  check(c, ctx: HttpValidationContext) {
    const problem = urlProblem(c.url, ctx.httpCallbackAllow);
    return problem ? [{ severity: "error", message: problem }] : [];
  },
  summary: (c) => `${c.method} ${c.url || "(no URL)"}`,
  enter(rt) {
    const c = rt.config;
    const vars = rt.state.variables;
    const url = interpolate(c.url, vars, "url");
    const headers: Record<string, string> = {};
    const missing = [...url.missing];
    for (const [name, value] of Object.entries(c.headers)) {
      const v = interpolate(value, vars, "header");
      headers[name] = v.text;
      missing.push(...v.missing);
    }
    let body: string | undefined;
    if (c.method === "POST") {
      const json = isJsonBody(c);
      const b = interpolate(c.bodyTemplate, vars, json ? "json" : "raw");
      body = b.text;
      missing.push(...b.missing);
      if (json && !Object.keys(headers).some((k) => k.toLowerCase() === "content-type")) {
        headers["content-type"] = "application/json";
      }
    }
    const requestId = rt.nextId("h");
    rt.local.requestId = requestId;
    rt.state.request = requestId;
    rt.emit({
      type: "http_request",
      requestId,
      method: c.method,
      url: url.text,
      headers,
      body,
      timeoutMs: c.timeoutSecs * 1000,
      missingVariables: [...new Set(missing)],
    });
    rt.setTimer(c.timeoutSecs);
    return undefined;
  },
  onEvent(rt, event) {
    if (event.type === "digit") {
      rt.bufferDigit(event.digit);
      return undefined;
    }
    let result: { status?: number; body?: string; error?: string };
    if (event.type === "http_result") result = event;
    else if (event.type === "timer_fired") result = { error: `no answer within ${rt.config.timeoutSecs} s` };
    else return undefined;
    rt.state.request = null;
    const ok = !result.error && result.status !== undefined && result.status >= 200 && result.status < 300;
    const response = { ok, status: result.status ?? null, body: parseBody(result.body), error: result.error ?? null };
    const vars = rt.config.storeResponseAs ? { [rt.config.storeResponseAs]: response } : undefined;
    const specific = ok ? "http:2xx" : "http:error";
    return { kind: "next", handle: rt.hasEdge(specific) ? specific : "default", vars };
  },
});
