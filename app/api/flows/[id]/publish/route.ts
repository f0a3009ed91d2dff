import { withOrg } from "@/lib/api/handler";
import { publishFlow } from "@/lib/flows/editor-service";

export const POST = withOrg<undefined, { id: string }>({ role: "admin" }, ({ orgId, userId, params }) => publishFlow(orgId, params.id, userId));
