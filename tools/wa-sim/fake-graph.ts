// A fake Graph API that answers like Meta for the calling endpoints: bearer-token checks,
// Meta-shaped success and error bodies, every request recorded, 1380xx errors on demand.
// Control endpoints under /_sim let tests and the demo register accounts and inject failures.
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  at: number;
  method: string;
  path: string;
  phoneNumberId: string;
  action?: string;
  callId?: string;
  body: Record<string, unknown> | null;
  status: number;
}

export interface InjectedFailure {
  action?: string;
  callId?: string;
  status: number;
  code: number;
  message: string;
  details?: string;
  /** How many matching requests fail; -1 forever. */
  times: number;
}

/** Meta's answers when a limit is used up (codes from Meta's calling error list). */
export const META_LIMITS = {
  calls_per_day: {
    action: "connect",
    code: 138012,
    message: "Business initiated calls limit reached",
    details: "You have reached the daily limit of business-initiated calls to this user",
  },
  concurrent_calls: {
    action: "connect",
    code: 138002,
    message: "Concurrent calls limit reached",
    details: "Too many calls are in progress on this phone number",
  },
  no_permission: { action: "connect", code: 138006, message: "No approved call permission", details: "The user has not granted permission to be called" },
  permission_requests_per_day: {
    action: "messages",
    code: 138009,
    message: "Call permission request limit reached",
    details: "You can send a limited number of call permission requests to a user per day",
  },
} as const;
export type MetaLimit = keyof typeof META_LIMITS;

const CALL_ACTIONS = new Set(["pre_accept", "accept", "reject", "terminate", "connect"]);

function metaError(status: number, code: number, message: string, details?: string) {
  return {
    status,
    body: {
      error: {
        message,
        type: "OAuthException",
        code,
        ...(details ? { error_data: { messaging_product: "whatsapp", details } } : {}),
        fbtrace_id: randomBytes(8).toString("base64url"),
      },
    },
  };
}

export class FakeGraphApi {
  readonly requests: RecordedRequest[] = [];
  private readonly tokens = new Map<string, string>();
  private readonly permissions = new Map<string, string>();
  private failures: InjectedFailure[] = [];
  private readonly listeners = new Set<(r: RecordedRequest) => void>();
  private server: http.Server | undefined;
  url = "";

  registerAccount(phoneNumberId: string, accessToken: string) {
    this.tokens.set(phoneNumberId, accessToken);
  }

  setPermission(userWaId: string, status: string) {
    this.permissions.set(userWaId, status);
  }

  fail(failure: Partial<InjectedFailure> & { code: number; message: string }) {
    this.failures.push({ status: 400, times: 1, ...failure });
  }

  /** The next `times` requests hit one of Meta's limits and get its error reply. */
  exhaust(limit: MetaLimit, times = 1) {
    const l = META_LIMITS[limit];
    if (!l) throw new Error(`unknown limit ${limit}`);
    this.fail({ ...l, times });
  }

  onRequest(fn: (r: RecordedRequest) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Resolves with the first recorded request (past or future) matching `pred`. */
  waitFor(pred: (r: RecordedRequest) => boolean, timeoutMs = 10_000): Promise<RecordedRequest> {
    const found = this.requests.find(pred);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error("fake Graph API: expected request did not arrive"));
      }, timeoutMs);
      const off = this.onRequest((r) => {
        if (!pred(r)) return;
        clearTimeout(timer);
        off();
        resolve(r);
      });
    });
  }

  /** Failures without an action hit any call action; `messages` fails only when named. */
  private takeFailure(action?: string, callId?: string): InjectedFailure | undefined {
    const f = this.failures.find((x) => (x.action ? x.action === action : action !== "messages") && (!x.callId || x.callId === callId));
    if (f && f.times > 0 && --f.times === 0) this.failures = this.failures.filter((x) => x !== f);
    return f;
  }

  private answer(method: string, path: string, auth: string | undefined, body: Record<string, unknown> | null) {
    const m = path.match(/^\/v\d+\.\d+\/(\d+)\/(calls|call_permissions|messages)(?:\?(.*))?$/);
    if (!m) return metaError(404, 100, "Unknown path components");
    const [, phoneNumberId, resource, query] = m as unknown as [string, string, string, string | undefined];
    const expected = this.tokens.get(phoneNumberId);
    const rec = (status: number, extra: Partial<RecordedRequest> = {}) => ({ at: Date.now(), method, path, phoneNumberId, body, status, ...extra });
    if (!expected || auth !== `Bearer ${expected}`) {
      return { ...metaError(401, 190, "Invalid OAuth access token - Cannot parse access token"), rec: rec(401) };
    }
    if (resource === "call_permissions" && method === "GET") {
      const user = new URLSearchParams(query ?? "").get("user_wa_id") ?? "";
      const status = this.permissions.get(user) ?? "no_permission";
      return { status: 200, body: { messaging_product: "whatsapp", permission: { status } }, rec: rec(200) };
    }
    if (resource === "messages" && method === "POST") {
      const failure = this.takeFailure("messages");
      if (failure) return { ...metaError(failure.status, failure.code, failure.message, failure.details), rec: rec(failure.status, { action: "messages" }) };
      return { status: 200, body: { messaging_product: "whatsapp", messages: [{ id: `wamid.${randomBytes(9).toString("hex")}` }] }, rec: rec(200) };
    }
    if (resource !== "calls" || method !== "POST" || !body) return metaError(400, 100, "Unsupported request");
    const action = String(body.action ?? "");
    const callId = typeof body.call_id === "string" ? body.call_id : undefined;
    const bad = (msg: string) => ({ ...metaError(400, 100, `(#100) ${msg}`), rec: rec(400, { action, callId }) });
    if (body.messaging_product !== "whatsapp") return bad("messaging_product must be whatsapp");
    if (!CALL_ACTIONS.has(action)) return bad(`Invalid action ${action}`);
    if (action !== "connect" && !callId) return bad("call_id is required");
    const session = body.session as { sdp_type?: string; sdp?: string } | undefined;
    if (["pre_accept", "accept"].includes(action) && (session?.sdp_type !== "answer" || !session.sdp)) return bad("session with an SDP answer is required");
    if (action === "connect" && (session?.sdp_type !== "offer" || !session.sdp || !body.to)) return bad("to and an SDP offer are required");
    const failure = this.takeFailure(action, callId);
    if (failure) {
      const e = metaError(failure.status, failure.code, failure.message, failure.details);
      return { ...e, rec: rec(failure.status, { action, callId }) };
    }
    if (action === "connect") {
      // The new call's id is recorded with the request, so a simulated callee can find its call.
      const id = `wacid.SIM${randomBytes(12).toString("hex")}`;
      return { status: 200, body: { messaging_product: "whatsapp", calls: [{ id }] }, rec: rec(200, { action, callId: id }) };
    }
    return { status: 200, body: { messaging_product: "whatsapp", success: true }, rec: rec(200, { action, callId }) };
  }

  private async control(req: http.IncomingMessage, body: Record<string, unknown> | null, url: URL) {
    if (url.pathname === "/_sim/accounts" && req.method === "POST") {
      this.registerAccount(String(body?.phoneNumberId), String(body?.accessToken));
      return { ok: true };
    }
    if (url.pathname === "/_sim/fail" && req.method === "POST") {
      this.fail(body as unknown as InjectedFailure);
      return { ok: true };
    }
    if (url.pathname === "/_sim/permissions" && req.method === "POST") {
      this.setPermission(String(body?.userWaId), String(body?.status));
      return { ok: true };
    }
    if (url.pathname === "/_sim/requests") {
      const callId = url.searchParams.get("call_id");
      const action = url.searchParams.get("action");
      const to = url.searchParams.get("to");
      return this.requests.filter((r) => (!callId || r.callId === callId) && (!action || r.action === action) && (!to || r.body?.to === to));
    }
    if (url.pathname === "/_sim/limits" && req.method === "POST") {
      this.exhaust(String(body?.limit) as MetaLimit, Number(body?.times ?? 1));
      return { ok: true };
    }
    return null;
  }

  async listen(port = 0, host = "127.0.0.1"): Promise<string> {
    this.server = http.createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      let body: Record<string, unknown> | null = null;
      try {
        body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString("utf8")) : null;
      } catch {
        body = null;
      }
      const url = new URL(req.url ?? "/", "http://sim");
      const send = (status: number, payload: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(payload));
      };
      if (url.pathname.startsWith("/_sim/")) {
        const out = await this.control(req, body, url);
        return out === null ? send(404, { error: "unknown control endpoint" }) : send(200, out);
      }
      const result = this.answer(req.method ?? "GET", `${url.pathname}${url.search}`, req.headers.authorization, body);
      const rec = (result as { rec?: RecordedRequest }).rec ?? {
        at: Date.now(),
        method: req.method ?? "",
        path: url.pathname,
        phoneNumberId: "",
        body,
        status: result.status,
      };
      this.requests.push(rec);
      for (const fn of this.listeners) fn(rec);
      send(result.status, result.body);
    });
    await new Promise<void>((resolve) => this.server!.listen(port, host, resolve));
    const addr = this.server.address() as AddressInfo;
    this.url = `http://${host}:${addr.port}`;
    return this.url;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    const s = this.server;
    this.server = undefined;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}
