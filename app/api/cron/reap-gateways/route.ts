import { timingSafeEqual } from "node:crypto";
import { NextResponse } from "next/server";
import { errorResponse } from "@/lib/api/handler";
import { config } from "@/lib/config";
import { AppError } from "@/lib/errors";
import { reapDeadGateways } from "@/lib/gateway/reaper";
import { redis } from "@/lib/gateway/redis";

export const dynamic = "force-dynamic";

// Scheduled (e.g. Vercel cron): ends the calls of media gateways whose heartbeat expired.
export async function GET(req: Request) {
  try {
    const secret = config().server.cron_secret;
    const given = Buffer.from(req.headers.get("authorization") ?? "");
    const expected = Buffer.from(`Bearer ${secret}`);
    if (!secret || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new AppError("unauthenticated", "A valid cron secret is required");
    }
    return NextResponse.json(await reapDeadGateways(redis()));
  } catch (err) {
    return errorResponse(err);
  }
}
