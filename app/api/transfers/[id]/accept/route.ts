import { acceptTransfer } from "@/lib/agents/call-control";
import { acceptInput } from "@/lib/agents/contract";
import { withOrg } from "@/lib/api/handler";

type P = { id: string };
export const POST = withOrg<{ sdp: string; window?: string }, P>({ input: acceptInput }, (ctx) =>
  acceptTransfer(ctx, ctx.params.id, ctx.input.sdp, ctx.input.window),
);
