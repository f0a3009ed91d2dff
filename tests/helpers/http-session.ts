// Signs in through next-auth's real credentials flow and returns the cookie header to reuse.
import { signIn as signInAt } from "../../tools/agent-sim/sign-in";

export const WEB_URL = process.env.WEB_URL ?? "http://127.0.0.1:3107";

export function signIn(email: string, password: string): Promise<string> {
  return signInAt(WEB_URL, email, password);
}

export function api(cookie: string | null, path: string, init: RequestInit & { json?: unknown } = {}) {
  const { json, ...rest } = init;
  return fetch(`${WEB_URL}${path}`, {
    redirect: "manual",
    ...rest,
    headers: { ...(cookie ? { cookie } : {}), ...(json !== undefined ? { "content-type": "application/json" } : {}) },
    body: json !== undefined ? JSON.stringify(json) : rest.body,
  });
}
