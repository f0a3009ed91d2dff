import { withOrg } from "@/lib/api/handler";
import { duplicateFlow } from "@/lib/flows/editor-service";

export const POST = withOrg<undefined, { id: string }>({ role: "admin" }, ({ orgId, params }) => duplicateFlow(orgId, params.id));
