// Signed-out visits to a page go to /login?callbackUrl=<that page>, so signing in from a deep link
// (/flows/<id>) lands there. Pages still check the session and role themselves (lib/auth/pages.ts);
// this only adds where to come back to. API routes, the login page and static files are not matched
// (a proxy on /api would also make Next buffer request bodies, e.g. the webhook's).
//
// The one exception: an API path holding a "%" (matched by the second pattern below). Next's router
// decodes dynamic segments after the proxy runs and answers a malformed escape (`/api/flows/%FF`)
// with a bare 500, so the proxy refuses those first with a 400 in the one error shape. Our own
// URLs (ids, storage keys, the webhook) never contain "%", so their bodies are never buffered.
import { type NextFetchEvent, NextResponse } from "next/server";
import { type NextRequestWithAuth, withAuth } from "next-auth/middleware";
import { PAGE_PATH_HEADER } from "@/lib/auth/callback-url";
import { authSecret } from "@/lib/config";

// Signed in (a session cookie): the page gets its own path in PAGE_PATH_HEADER, so a session that the
// page then finds over (a changed password, a removed membership) signs in again back to it.
const auth = withAuth(
  (req) => {
    const headers = new Headers(req.headers);
    headers.set(PAGE_PATH_HEADER, `${req.nextUrl.pathname}${req.nextUrl.search}`);
    return NextResponse.next({ request: { headers } });
  },
  { secret: authSecret(), pages: { signIn: "/login" } },
);

function decodable(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

export default function proxy(req: NextRequestWithAuth, event: NextFetchEvent) {
  const { pathname } = req.nextUrl;
  if (!decodable(pathname)) {
    const message = "The address is not valid (malformed percent-encoding)";
    return pathname.startsWith("/api/")
      ? NextResponse.json({ error: { code: "bad_request", message } }, { status: 400 })
      : new NextResponse(message, { status: 400, headers: { "content-type": "text/plain; charset=utf-8" } });
  }
  if (pathname.startsWith("/api/")) return NextResponse.next();
  return auth(req, event);
}

export const config = {
  matcher: ["/((?!api/|_next/|login|forbidden|healthz|readyz|favicon\\.ico|.*\\.[A-Za-z0-9]+$).*)", "/api/(.*%.*)"],
};
