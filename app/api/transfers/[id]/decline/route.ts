import { declineTransfer } from "@/lib/agents/transfers";
import { withOrg } from "@/lib/api/handler";

type P = { id: string };
export const POST = withOrg<undefined, P>({}, async ({ orgId, userId, params }) => {
  await declineTransfer(orgId, userId, params.id);
  return new Response(null, { status: 204 });
});
