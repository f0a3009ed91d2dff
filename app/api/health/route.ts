import { NextResponse } from "next/server";
import { hasCronSecret } from "@/lib/auth/cron";
import { currentOrg } from "@/lib/auth/session";
import { health } from "@/lib/health";

export const dynamic = "force-dynamic";

// Public liveness says only ok / not ok; which service failed and why is for operators (the cron
// secret) and organisation admins.
export async function GET(req: Request) {
  const result = await health();
  const status = result.ok ? 200 : 503;
  const detailed = hasCronSecret(req) || (await currentOrg().catch(() => null))?.role === "admin";
  return NextResponse.json(detailed ? result : { ok: result.ok }, { status });
}
