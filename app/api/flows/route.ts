import { withOrg } from "@/lib/api/handler";
import { createFlow, listFlows } from "@/lib/flows/editor-service";
import { flowSettingsInput } from "@/lib/flows/schema";

export const GET = withOrg({ role: "admin" }, ({ orgId }) => listFlows(orgId));
export const POST = withOrg({ role: "admin", input: flowSettingsInput }, ({ orgId, input }) => createFlow(orgId, input));
