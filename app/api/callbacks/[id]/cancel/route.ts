// POST /api/callbacks/{id}/cancel: nobody needs to call back (handled another way).
import { withOrg } from "@/lib/api/handler";
import { cancelCallback } from "@/lib/callbacks/service";

type P = { id: string };
export const POST = withOrg<unknown, P>({}, (ctx) => cancelCallback(ctx, ctx.params.id));
