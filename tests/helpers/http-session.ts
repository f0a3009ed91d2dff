// Signs in through next-auth's real credentials flow and returns the cookie header to reuse.
export const WEB_URL = process.env.WEB_URL ?? "http://127.0.0.1:3107";

function cookiesOf(res: Response): string[] {
  return res.headers.getSetCookie().map((c) => c.split(";")[0] ?? "");
}

export async function signIn(email: string, password: string): Promise<string> {
  const csrfRes = await fetch(`${WEB_URL}/api/auth/csrf`);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const jar = cookiesOf(csrfRes);
  const res = await fetch(`${WEB_URL}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar.join("; ") },
    body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
  });
  const all = [...jar, ...cookiesOf(res)];
  if (!all.some((c) => c.includes("session-token="))) throw new Error(`sign-in failed for ${email} (${res.status})`);
  return all.join("; ");
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
