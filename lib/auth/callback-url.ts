// Where the browser may go after signing in: a path on this site, never another origin.
// Shared by the login page, the login form and next-auth's redirect callback (browser-safe).

const PROBE_ORIGIN = "http://ringflow.invalid";

/** The request header in which the proxy hands a page its own path (and query). */
export const PAGE_PATH_HEADER = "x-ringflow-page-path";

/**
 * The sign-in page for a session that has ended (its password changed, its membership removed),
 * coming back to `path` afterwards; `ended=1` makes the page say why the user is there.
 */
export function sessionEndedLogin(path: string | null | undefined): string {
  return `/login?${new URLSearchParams({ callbackUrl: safeCallbackPath(path), ended: "1" })}`;
}

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
