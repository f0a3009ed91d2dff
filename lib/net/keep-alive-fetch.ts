// The part of fetch() an API client needs (method, headers, a string body, an AbortSignal; status,
// headers and the body as text), on node:http(s) with keep-alive agents. Node's fetch (undici, WHATWG
// streams, a Response and its Headers per request) cost about 1 ms of CPU per request here, twice
// node:http's; a gateway sends three Graph API requests for every call it answers.
import http from "node:http";
import https from "node:https";

export interface FetchLikeInit {
  method: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

export interface FetchLikeResponse {
  ok: boolean;
  status: number;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}

/** What a client needs of fetch(); globalThis.fetch is one. */
export type FetchLike = (url: string, init: FetchLikeInit) => Promise<FetchLikeResponse>;

/** Larger answers are an error, not a memory problem (API answers are a few hundred bytes). */
export const MAX_RESPONSE_BYTES = 4 * 1024 * 1024;
/**
 * Idle connections are closed after this, before a server's own idle timeout (Node's default is 5 s)
 * would close one under a request just written to it.
 */
const IDLE_SOCKET_MS = 4_000;

const agents = {
  "http:": new http.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS }),
  "https:": new https.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS }),
};

export const keepAliveFetch: FetchLike = (url, init) =>
  new Promise<FetchLikeResponse>((resolve, reject) => {
    const target = new URL(url);
    const protocol = target.protocol as keyof typeof agents;
    if (!(protocol in agents)) return reject(new TypeError(`Only http and https URLs can be fetched (got ${target.protocol})`));
    const { signal, body } = init;
    if (signal?.aborted) return reject(signal.reason);
    const headers: Record<string, string> = { accept: "application/json", ...init.headers };
    if (body !== undefined) headers["content-length"] = String(Buffer.byteLength(body));
    const request = (protocol === "https:" ? https : http).request(target, { method: init.method, headers, agent: agents[protocol] });
    let settled = false;
    /** True once, for whichever of answer, error or abort comes first. */
    const settle = () => {
      if (settled) return false;
      settled = true;
      signal?.removeEventListener("abort", onAbort);
      return true;
    };
    const fail = (err: unknown) => settle() && reject(err);
    // The signal's reason (e.g. a TimeoutError) is what the caller sees, as with fetch.
    const onAbort = () => {
      fail(signal!.reason);
      request.destroy();
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    request.on("error", fail);
    request.on("response", (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_RESPONSE_BYTES) {
          fail(new Error(`The answer was larger than ${MAX_RESPONSE_BYTES} bytes`));
          request.destroy();
          return;
        }
        chunks.push(chunk);
      });
      res.on("error", fail);
      // A connection that closes mid-answer: never a promise left pending.
      res.on("close", () => res.complete || fail(new Error("The connection closed before the whole answer arrived")));
      res.on("end", () => {
        if (!settle()) return;
        const status = res.statusCode ?? 0;
        const text = Buffer.concat(chunks).toString("utf8");
        resolve({
          ok: status >= 200 && status < 300,
          status,
          headers: { get: (name) => headerValue(res.headers[name.toLowerCase()]) },
          text: () => Promise.resolve(text),
        });
      });
    });
    request.end(body);
  });

function headerValue(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(", ") : value;
}
