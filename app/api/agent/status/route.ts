import { getAgentStatus, setAgentStatus } from "@/lib/agents/availability";
import { agentStatusInput } from "@/lib/agents/contract";
import { withOrg } from "@/lib/api/handler";

export const GET = withOrg({}, ({ orgId, userId }) => getAgentStatus(orgId, userId));
/** Also the heartbeat: the call panel re-posts its status every 20 s. */
export const POST = withOrg({ input: agentStatusInput }, ({ orgId, userId, input }) => setAgentStatus(orgId, userId, input.status));
