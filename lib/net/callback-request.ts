// Runs an IVR HTTP callback (the engine's http_request action) and turns the outcome into the
// http_result the engine expects. The gateway and `npm run ivr:sim` both call it.
import type { Config } from "../config";
import type { EngineAction } from "../ivr";
import { AddressPolicy } from "./address-policy";
import { safeFetch } from "./safe-fetch";

/** Responses are cut at 64 KB: the rest would only bloat the call's variables. */
export const MAX_CALLBACK_RESPONSE_BYTES = 64 * 1024;

export type CallbackResult = { status: number; body: string } | { error: string };

const policies = new WeakMap<Config, AddressPolicy>();

export function callbackPolicy(config: Config): AddressPolicy {
  let policy = policies.get(config);
  if (!policy) {
    policy = new AddressPolicy(config.http_callbacks.allow);
    policies.set(config, policy);
  }
  return policy;
}

export async function runCallback(
  a: Extract<EngineAction, { type: "http_request" }>,
  opts: { policy: AddressPolicy; signal?: AbortSignal },
): Promise<CallbackResult> {
  try {
    const res = await safeFetch(a.url, {
      method: a.method,
      headers: a.headers,
      body: a.body,
      policy: opts.policy,
      timeoutMs: a.timeoutMs,
      maxBytes: MAX_CALLBACK_RESPONSE_BYTES,
      signal: opts.signal,
    });
    return { status: res.status, body: new TextDecoder().decode(res.body) };
  } catch (err) {
    const e = err as Error;
    if (e?.name === "TimeoutError") return { error: `no answer within ${a.timeoutMs} ms` };
    if (opts.signal?.aborted) return { error: `cancelled: ${(opts.signal.reason as Error)?.message ?? "aborted"}` };
    return { error: (e?.cause as Error)?.message ?? e?.message ?? String(err) };
  }
}
