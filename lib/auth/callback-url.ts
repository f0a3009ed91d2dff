// Where the browser may go after signing in: a path on this site, never another origin.
// Shared by the login page, the login form and next-auth's redirect callback (browser-safe).

const PROBE_ORIGIN = "http://ringflow.invalid";

/**
 * `raw` as a same-origin path (`/flows/abc?x=1`), or `fallback`. Refuses absolute URLs to other
 * origins, protocol-relative `//host`, backslash tricks (`/\host`) and control characters (the URL
 * parser drops tabs and newlines, so `/\t/host` would become `//host`). An absolute URL on `origin`
 * (next-auth hands those back) becomes its path.
 */
export function safeCallbackPath(raw: string | null | undefined, origin?: string, fallback = "/calls"): string {
  if (!raw || raw.length > 2000) return fallback;
  if (origin && !raw.startsWith("/")) {
    try {
      const u = new URL(raw);
      if (u.origin !== origin) return fallback;
      raw = `${u.pathname}${u.search}${u.hash}`;
    } catch {
      return fallback;
    }
  }
  const controlOrSpace = [...raw].some((ch) => ch.charCodeAt(0) <= 0x20 || ch.charCodeAt(0) === 0x7f);
  if (!raw.startsWith("/") || raw.startsWith("//") || raw.includes("\\") || controlOrSpace) return fallback;
  let u: URL;
  try {
    u = new URL(raw, PROBE_ORIGIN);
  } catch {
    return fallback;
  }
  if (u.origin !== PROBE_ORIGIN) return fallback;
  return `${u.pathname}${u.search}${u.hash}`;
}
