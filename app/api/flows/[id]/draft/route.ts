import { withOrg } from "@/lib/api/handler";
import { saveDraft } from "@/lib/flows/editor-service";
import { flowDraftInput } from "@/lib/flows/schema";

export const PUT = withOrg<{ document?: unknown }, { id: string }>({ role: "admin", input: flowDraftInput }, ({ orgId, params, input }) =>
  saveDraft(orgId, params.id, input.document),
);
