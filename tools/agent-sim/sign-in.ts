// Signs in through next-auth's real credentials flow and returns the cookie header to reuse.
function cookiesOf(res: Response): string[] {
  return res.headers.getSetCookie().map((c) => c.split(";")[0] ?? "");
}

/**
 * One POST to next-auth's credentials endpoint with a fresh CSRF token, as a browser form would send
 * it; `json: "true"` makes next-auth answer `{url}` instead of redirecting. Returns the response and
 * the CSRF cookies it was sent with.
 */
export async function postCredentials(
  baseUrl: string,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<{ res: Response; jar: string[] }> {
  const csrfRes = await fetch(`${baseUrl}/api/auth/csrf`);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const jar = cookiesOf(csrfRes);
  const res = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar.join("; "), ...headers },
    body: new URLSearchParams({ csrfToken, json: "true", ...fields }),
  });
  return { res, jar };
}

export async function signIn(baseUrl: string, email: string, password: string): Promise<string> {
  const { res, jar } = await postCredentials(baseUrl, { email, password });
  const all = [...jar, ...cookiesOf(res)];
  if (!all.some((c) => c.includes("session-token="))) throw new Error(`sign-in failed for ${email} (${res.status})`);
  return all.join("; ");
}
