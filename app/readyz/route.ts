import { hasCronSecret } from "@/lib/auth/cron";
import { readinessResponse } from "@/lib/health";

export const dynamic = "force-dynamic";

// Readiness: PostgreSQL and Redis answer within 2 s (503 otherwise). Details with the cron secret.
export function GET(req: Request) {
  return readinessResponse(async () => hasCronSecret(req));
}
