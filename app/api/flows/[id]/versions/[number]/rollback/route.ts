import { withOrg } from "@/lib/api/handler";
import { rollbackTo, versionNumber } from "@/lib/flows/versions";

export const POST = withOrg<undefined, { id: string; number: string }>({ role: "admin" }, ({ orgId, userId, params }) =>
  rollbackTo(orgId, params.id, versionNumber(params.number), userId),
);
