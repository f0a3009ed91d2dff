import { withOrg } from "@/lib/api/handler";
import { createFlow } from "@/lib/flows/editor-service";
import { flowImportInput } from "@/lib/flows/schema";

export const POST = withOrg({ role: "admin", input: flowImportInput }, ({ orgId, input }) =>
  createFlow(orgId, { name: input.name, description: undefined, accountId: input.accountId, active: false, isCallStart: false }, input.document),
);
