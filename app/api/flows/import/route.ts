import { withOrg } from "@/lib/api/handler";
import { importDraft } from "@/lib/flows/editor-service";
import { flowImportInput } from "@/lib/flows/schema";

export const POST = withOrg({ role: "admin", input: flowImportInput }, ({ orgId, input }) => importDraft(orgId, input));
