import { hasCronSecret } from "@/lib/auth/cron";
import { currentOrg } from "@/lib/auth/session";
import { readinessResponse } from "@/lib/health";

export const dynamic = "force-dynamic";

// Public liveness says only ok / not ok; which service failed and why is for operators (the cron
// secret) and organisation admins. Same answer as /readyz.
export function GET(req: Request) {
  return readinessResponse(async () => hasCronSecret(req) || (await currentOrg().catch(() => null))?.role === "admin");
}
