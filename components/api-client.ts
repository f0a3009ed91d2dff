// Browser side of our API: JSON in and out, and the server's `{ error: { message } }` as an Error.
// biome-ignore lint/suspicious/noExplicitAny: callers read the fields they asked for
export async function apiCall<T = any>(url: string, method = "GET", body?: unknown): Promise<T> {
  const res = await fetch(url, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json().catch(() => null);
  if (!res.ok) throw new Error(json?.error?.message ?? `Request failed (${res.status})`);
  return json as T;
}
