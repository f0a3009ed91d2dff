import { liveCall } from "@/lib/agents/call-control";
import { withOrg } from "@/lib/api/handler";

/** The call this agent is on now, so a new page (a reload, another window) can rejoin it. */
export const GET = withOrg({}, (ctx) => liveCall(ctx));
