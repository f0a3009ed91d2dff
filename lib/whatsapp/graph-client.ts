// Typed client for the Graph API calling endpoints. One error type carries Meta's 1380xx code.
import pRetry from "p-retry";
import { z } from "zod";
import { type FetchLike, type FetchLikeResponse, keepAliveFetch } from "../net/keep-alive-fetch";

/** The longest Retry-After we honour inside one operation; a call cannot wait longer than this. */
const MAX_RETRY_AFTER_MS = 30_000;
/** Meta's "rate limit hit" code (sent with HTTP 400 or 429). */
const RATE_LIMIT_CODE = 130429;

export class GraphApiError extends Error {
  constructor(
    message: string,
    readonly code: number | null,
    readonly httpStatus: number | null,
    readonly details?: string,
    readonly fbtraceId?: string,
    /** From a Retry-After header: how long Meta asked us to wait before trying again. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = "GraphApiError";
  }

  /** Network failures, 5xx and rate limits may succeed later; other 4xx answers are final. */
  get retryable(): boolean {
    if (this.httpStatus === null || this.httpStatus >= 500 || this.httpStatus === 429) return true;
    return this.code === RATE_LIMIT_CODE;
  }

  /** How it reads in a call log: "(#138006) No call permission". */
  get summary(): string {
    return `${this.code ? `(#${this.code}) ` : ""}${this.message}${this.details ? ` — ${this.details}` : ""}`;
  }
}

const metaError = z.object({
  error: z.object({
    message: z.string().default("Unknown Graph API error"),
    code: z.number().optional(),
    error_data: z.object({ details: z.string().optional() }).optional(),
    fbtrace_id: z.string().optional(),
  }),
});

export interface GraphClientOptions {
  baseUrl: string;
  version: string;
  accessToken: string;
  phoneNumberId: string;
  timeoutMs?: number;
  /** Attempts for operations that are safe to repeat (reject, terminate, permission lookups). */
  retries?: number;
  /** globalThis.fetch works too; the default is node:http with keep-alive (half the CPU per request). */
  fetch?: FetchLike;
}

type Session = { sdp_type: "offer" | "answer"; sdp: string };

export class GraphClient {
  private readonly opts: Required<GraphClientOptions>;

  constructor(opts: GraphClientOptions) {
    this.opts = { timeoutMs: 10_000, retries: 3, fetch: keepAliveFetch, ...opts };
  }

  private url(path: string) {
    return `${this.opts.baseUrl.replace(/\/$/, "")}/${this.opts.version}/${this.opts.phoneNumberId}/${path}`;
  }

  private async once(method: "GET" | "POST", path: string, body?: object): Promise<unknown> {
    // A timer cleared once the answer is read (AbortSignal.timeout's fires 10 s later regardless, and
    // makes a DOMException each time: three per answered call).
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(new DOMException("timed out", "TimeoutError")), this.opts.timeoutMs);
    try {
      return await this.request(method, path, body, deadline.signal);
    } finally {
      clearTimeout(timer);
    }
  }

  private async request(method: "GET" | "POST", path: string, body: object | undefined, signal: AbortSignal): Promise<unknown> {
    let res: FetchLikeResponse;
    try {
      res = await this.opts.fetch(this.url(path), {
        method,
        headers: {
          authorization: `Bearer ${this.opts.accessToken}`,
          ...(body ? { "content-type": "application/json" } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
        signal,
      });
    } catch (err) {
      const e = err as Error;
      // Shown to agents as it is (a refused outgoing call, the call log): plain words, the detail after.
      const message =
        e.name === "TimeoutError"
          ? `WhatsApp's servers did not answer within ${Number((this.opts.timeoutMs / 1000).toFixed(1))} s`
          : `WhatsApp's servers could not be reached (${e.message})`;
      throw new GraphApiError(message, null, null);
    }
    const text = await res.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      // fall through: non-JSON bodies are reported below
    }
    if (!res.ok) {
      const retryAfterMs = parseRetryAfter(res.headers.get("retry-after"));
      const parsed = metaError.safeParse(json);
      if (parsed.success) {
        const e = parsed.data.error;
        throw new GraphApiError(e.message, e.code ?? null, res.status, e.error_data?.details, e.fbtrace_id, retryAfterMs);
      }
      throw new GraphApiError(`Graph API answered HTTP ${res.status}`, null, res.status, text.slice(0, 200), undefined, retryAfterMs);
    }
    return json;
  }

  /**
   * Repeats what may succeed later (network errors, 5xx, rate limits) with jittered exponential
   * backoff, waiting at least as long as a Retry-After header asks (up to MAX_RETRY_AFTER_MS).
   */
  private withRetries(fn: () => Promise<unknown>): Promise<unknown> {
    return pRetry(fn, {
      retries: Math.max(0, this.opts.retries - 1),
      minTimeout: 200,
      factor: 2,
      randomize: true,
      shouldRetry: ({ error }) => error instanceof GraphApiError && error.retryable,
      onFailedAttempt: async ({ error, retriesLeft }) => {
        const wait = error instanceof GraphApiError && error.retryable ? error.retryAfterMs : undefined;
        if (retriesLeft > 0 && wait) await new Promise((r) => setTimeout(r, Math.min(wait, MAX_RETRY_AFTER_MS)));
      },
    });
  }

  private callAction(action: string, fields: object, retry: boolean) {
    const send = () => this.once("POST", "calls", { messaging_product: "whatsapp", action, ...fields });
    return retry ? this.withRetries(send) : send();
  }

  preAccept(callId: string, sdp: string) {
    const session: Session = { sdp_type: "answer", sdp };
    return this.callAction("pre_accept", { call_id: callId, session }, false);
  }

  accept(callId: string, sdp: string, bizOpaqueCallbackData?: string) {
    const session: Session = { sdp_type: "answer", sdp };
    return this.callAction("accept", { call_id: callId, session, biz_opaque_callback_data: bizOpaqueCallbackData }, false);
  }

  reject(callId: string) {
    return this.callAction("reject", { call_id: callId }, true);
  }

  terminate(callId: string) {
    return this.callAction("terminate", { call_id: callId }, true);
  }

  /** Business-initiated call. Never retried: a repeat could ring the user twice. */
  async connect(to: string, sdpOffer: string, bizOpaqueCallbackData?: string): Promise<{ callId: string }> {
    if (bizOpaqueCallbackData && bizOpaqueCallbackData.length > 512) {
      throw new GraphApiError("biz_opaque_callback_data must be at most 512 characters", null, null);
    }
    const session: Session = { sdp_type: "offer", sdp: sdpOffer };
    const res = z
      .object({ calls: z.array(z.object({ id: z.string() })).min(1) })
      .safeParse(await this.callAction("connect", { to, session, biz_opaque_callback_data: bizOpaqueCallbackData }, false));
    if (!res.success) throw new GraphApiError("Graph API accepted connect but returned no call id", null, 200);
    return { callId: res.data.calls[0]!.id };
  }

  async callPermission(userWaId: string): Promise<{ status: string; expirationTime?: number }> {
    const json = await this.withRetries(() => this.once("GET", `call_permissions?user_wa_id=${encodeURIComponent(userWaId)}`));
    const parsed = z.object({ permission: z.object({ status: z.string(), expiration_time: z.number().optional() }) }).safeParse(json);
    if (!parsed.success) throw new GraphApiError("Unexpected call permission answer", null, 200);
    return { status: parsed.data.permission.status.toLowerCase(), expirationTime: parsed.data.permission.expiration_time };
  }

  /** A plain text message. Not retried (a repeat sends it twice). */
  sendText(to: string, body: string) {
    return this.once("POST", "messages", { messaging_product: "whatsapp", recipient_type: "individual", to, type: "text", text: { body } });
  }

  /** Asks the user for permission to call them. Not retried (a repeat sends a second message). */
  sendPermissionRequest(to: string, text: string) {
    return this.once("POST", "messages", {
      messaging_product: "whatsapp",
      recipient_type: "individual",
      to,
      type: "interactive",
      interactive: { type: "call_permission_request", action: { name: "call_permission_request" }, body: { text } },
    });
  }
}

/** Retry-After is either delta-seconds or an HTTP date. */
function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const secs = Number(value);
  if (Number.isFinite(secs) && secs >= 0) return secs * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}
