import { NextResponse } from "next/server";
import { errorResponse } from "@/lib/api/handler";
import { assertCronSecret } from "@/lib/auth/cron";
import { reapDeadGateways } from "@/lib/gateway/reaper";
import { redis } from "@/lib/gateway/redis";

export const dynamic = "force-dynamic";

// Scheduled (e.g. Vercel cron): ends the calls of media gateways whose heartbeat expired.
export async function GET(req: Request) {
  try {
    assertCronSecret(req);
    return NextResponse.json(await reapDeadGateways(redis()));
  } catch (err) {
    return errorResponse(err);
  }
}
