// GET /api/calls/{id}/recording[?download=1]: redirects to a short-lived URL for the call's recording.
import { withOrg } from "@/lib/api/handler";
import { recordingUrl } from "@/lib/calls/recording";

export const dynamic = "force-dynamic";

type P = { id: string };
export const GET = withOrg<unknown, P>({}, async (ctx) => {
  const download = new URL(ctx.req.url).searchParams.get("download") === "1";
  const url = await recordingUrl(ctx, ctx.params.id, download);
  return new Response(null, { status: 302, headers: { location: url, "cache-control": "no-store" } });
});
