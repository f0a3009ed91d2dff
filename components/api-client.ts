// Browser side of our API: JSON in and out, and the server's `{ error: { message } }` as an Error.
import { formErrorOf } from "./forms/field-errors";

// biome-ignore lint/suspicious/noExplicitAny: callers read the fields they asked for
export async function apiCall<T = any>(url: string, method = "GET", body?: unknown): Promise<T> {
  const res = await fetch(url, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json().catch(() => null);
  // In plain words: "Name is required", not "name: Name is required".
  if (!res.ok) throw new Error(formErrorOf(json, res.status, false));
  return json as T;
}
