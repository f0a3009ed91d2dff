import { rejoinCall } from "@/lib/agents/call-control";
import { rejoinInput } from "@/lib/agents/contract";
import { withOrg } from "@/lib/api/handler";

type P = { id: string };
export const POST = withOrg<{ sdp: string; force?: boolean; window?: string }, P>({ input: rejoinInput }, (ctx) => rejoinCall(ctx, ctx.params.id, ctx.input));
