import { pageLeft } from "@/lib/agents/availability";
import { withOrg } from "@/lib/api/handler";

/** The call panel's beacon as a page unloads: the agent stops ringing in seconds unless a page of theirs heartbeats. */
export const POST = withOrg({}, async ({ orgId, userId }) => {
  await pageLeft(orgId, userId);
  return new Response(null, { status: 204 });
});
