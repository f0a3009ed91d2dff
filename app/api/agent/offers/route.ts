import { listOffers } from "@/lib/agents/transfers";
import { withOrg } from "@/lib/api/handler";

export const GET = withOrg({}, async ({ orgId, userId }) => ({ offers: await listOffers(orgId, userId) }));
