// Liveness for load balancers and orchestrators: the web process answers. Touches no dependency, so a
// database outage never gets healthy web processes restarted (that is what /readyz is for).
export const dynamic = "force-dynamic";

export function GET() {
  return Response.json({ ok: true }, { headers: { "cache-control": "no-store" } });
}
