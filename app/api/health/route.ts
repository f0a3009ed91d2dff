import { NextResponse } from "next/server";
import { health } from "@/lib/health";

export const dynamic = "force-dynamic";

export async function GET() {
  const result = await health();
  return NextResponse.json(result, { status: result.ok ? 200 : 503 });
}
