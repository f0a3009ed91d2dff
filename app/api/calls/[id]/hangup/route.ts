import { controlCall } from "@/lib/agents/call-control";
import { withOrg } from "@/lib/api/handler";

type P = { id: string };
export const POST = withOrg<undefined, P>({}, (ctx) => controlCall(ctx, ctx.params.id, "hangup"));
