// Outgoing HTTP for flow-controlled URLs: every resolved address is checked against the policy and
// the connection is pinned to the checked address (no second lookup to rebind), each redirect hop is
// checked the same way, the response is capped while it streams, and one deadline covers it all.
import { lookup as dnsLookup } from "node:dns/promises";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { type AddressPolicy, urlHostname, urlPort } from "./address-policy";
import { parseIp } from "./ip";
import { readCapped } from "./read-capped";

/** The policy (or the URL itself) forbids the request; nothing was sent. */
export class RequestRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RequestRefused";
  }
}

export interface SafeFetchInit {
  method: string;
  headers?: Record<string, string>;
  body?: string;
  policy: AddressPolicy;
  /** Covers DNS, connecting, every redirect hop and reading the body. */
  timeoutMs: number;
  /** Larger bodies are cut here and the connection closed. */
  maxBytes: number;
  signal?: AbortSignal;
  maxRedirects?: number;
}

export interface SafeResponse {
  status: number;
  body: Uint8Array;
  truncated: boolean;
  /** The URL that answered, after redirects. */
  url: string;
}

// Headers the client owns (as fetch forbids them): a flow must not pick the Host the server sees.
const OWNED = new Set(["host", "content-length", "transfer-encoding", "connection", "keep-alive", "upgrade", "te", "trailer", "expect", "proxy-connection"]);
const CREDENTIALS = new Set(["authorization", "cookie", "proxy-authorization"]);

interface Target {
  address: string;
  family: 4 | 6;
}

async function resolveChecked(u: URL, policy: AddressPolicy): Promise<Target> {
  const hostname = urlHostname(u);
  const port = urlPort(u);
  const literal = parseIp(hostname) && /^[0-9.]+$|:/.test(hostname) ? hostname : null;
  const found = literal
    ? [{ address: literal, family: literal.includes(":") ? 6 : 4 }]
    : await dnsLookup(hostname, { all: true, verbatim: true }).catch((err: NodeJS.ErrnoException) => {
        throw new RequestRefused(`${hostname} could not be resolved (${err.code ?? err.message})`);
      });
  if (found.length === 0) throw new RequestRefused(`${hostname} has no addresses`);
  for (const a of found) {
    const verdict = policy.check({ hostname, port, address: parseIp(a.address)! });
    if (!verdict.ok) throw new RequestRefused(verdict.reason);
  }
  return { address: found[0]!.address, family: found[0]!.family as 4 | 6 };
}

function pinned(target: Target): LookupFunction {
  return (_host, options, callback) => {
    if (options.all) (callback as (e: null, a: { address: string; family: number }[]) => void)(null, [target]);
    else callback(null, target.address, target.family);
  };
}

function send(u: URL, target: Target, method: string, headers: Record<string, string>, body: Buffer | undefined, signal: AbortSignal) {
  return new Promise<http.IncomingMessage>((resolve, reject) => {
    const lib = u.protocol === "https:" ? https : http;
    const req = lib.request({
      protocol: u.protocol,
      host: urlHostname(u),
      port: urlPort(u),
      path: `${u.pathname}${u.search}`,
      method,
      headers: body ? { ...headers, "content-length": String(body.length) } : headers,
      lookup: pinned(target),
      agent: false,
      signal,
    });
    req.on("response", resolve);
    req.on("error", reject);
    req.end(body);
  });
}

function nextHop(status: number, location: string | undefined, from: URL): URL | null {
  if (![301, 302, 303, 307, 308].includes(status) || !location) return null;
  let to: URL;
  try {
    to = new URL(location, from);
  } catch {
    throw new RequestRefused(`redirect to an invalid URL (${location.slice(0, 200)})`);
  }
  if (to.protocol !== "http:" && to.protocol !== "https:") throw new RequestRefused(`redirect to a ${to.protocol} URL`);
  return to;
}

export async function safeFetch(url: string, init: SafeFetchInit): Promise<SafeResponse> {
  const deadline = AbortSignal.timeout(init.timeoutMs);
  const signal = init.signal ? AbortSignal.any([init.signal, deadline]) : deadline;
  const aborted = () => signal.reason ?? new Error("aborted");
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new RequestRefused("URL is not valid");
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") throw new RequestRefused("URL must start with http:// or https://");
  if (u.username || u.password) throw new RequestRefused("URL must not contain a user name or password");
  let method = init.method.toUpperCase();
  let body = init.body === undefined || method === "GET" || method === "HEAD" ? undefined : Buffer.from(init.body);
  // fetch's defaults, which some APIs insist on; the flow's own headers win.
  let headers: Record<string, string> = { accept: "*/*", "user-agent": "Ringflow-HTTP-Callback" };
  for (const [k, v] of Object.entries(init.headers ?? {})) {
    if (OWNED.has(k.toLowerCase())) continue;
    for (const d of Object.keys(headers)) if (d === k.toLowerCase()) delete headers[d];
    headers[k] = v;
  }
  const maxRedirects = init.maxRedirects ?? 5;

  for (let hop = 0; ; hop++) {
    // DNS cannot be cancelled, so the deadline races it.
    const target = await Promise.race([
      resolveChecked(u, init.policy),
      new Promise<never>((_, reject) => {
        if (signal.aborted) reject(aborted());
        signal.addEventListener("abort", () => reject(aborted()), { once: true });
      }),
    ]);
    let res: http.IncomingMessage;
    try {
      res = await send(u, target, method, headers, body, signal);
    } catch (err) {
      throw signal.aborted ? aborted() : err;
    }
    const status = res.statusCode ?? 0;
    const to = nextHop(status, res.headers.location, u);
    if (to) {
      res.destroy();
      if (hop >= maxRedirects) throw new RequestRefused(`more than ${maxRedirects} redirects`);
      if (status === 303 || ((status === 301 || status === 302) && method === "POST")) {
        method = "GET";
        body = undefined;
        headers = Object.fromEntries(Object.entries(headers).filter(([k]) => k.toLowerCase() !== "content-type"));
      }
      if (to.origin !== u.origin) headers = Object.fromEntries(Object.entries(headers).filter(([k]) => !CREDENTIALS.has(k.toLowerCase())));
      u = to;
      continue;
    }
    try {
      const { bytes, overflow } = await readCapped(res, init.maxBytes);
      return { status, body: bytes, truncated: overflow, url: u.href };
    } catch (err) {
      throw signal.aborted ? aborted() : err;
    } finally {
      res.destroy();
    }
  }
}
