// Signed-out visits to a page go to /login?callbackUrl=<that page>, so signing in from a deep link
// (/flows/<id>) lands there. Pages still check the session and role themselves (lib/auth/pages.ts);
// this only adds where to come back to. API routes, the login page and static files are not matched
// (a proxy on /api would also make Next buffer request bodies, e.g. the webhook's).
import { withAuth } from "next-auth/middleware";
import { authSecret } from "@/lib/config";

export default withAuth({ secret: authSecret(), pages: { signIn: "/login" } });

export const config = {
  matcher: ["/((?!api/|_next/|login|forbidden|favicon\\.ico|.*\\.[A-Za-z0-9]+$).*)"],
};
