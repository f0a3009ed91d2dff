// POST /api/contacts/{id}/permission-request `{accountId}`: sends WhatsApp's call-permission request.
import { withOrg } from "@/lib/api/handler";
import { requestPermission } from "@/lib/contacts/permission";
import { permissionRequestInput } from "@/lib/contacts/schema";

type P = { id: string };
export const POST = withOrg<{ accountId: string }, P>({ input: permissionRequestInput }, (ctx) => requestPermission(ctx, ctx.params.id, ctx.input.accountId));
