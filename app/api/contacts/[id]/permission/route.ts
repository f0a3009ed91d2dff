// GET /api/contacts/{id}/permission?accountId=: asks Meta whether the contact may be called now.
import { withOrg } from "@/lib/api/handler";
import { lookupPermission } from "@/lib/contacts/permission";
import { permissionQuery } from "@/lib/contacts/schema";

export const dynamic = "force-dynamic";

type P = { id: string };
export const GET = withOrg<{ accountId: string }, P>({ input: permissionQuery }, (ctx) => lookupPermission(ctx.orgId, ctx.params.id, ctx.input.accountId));
