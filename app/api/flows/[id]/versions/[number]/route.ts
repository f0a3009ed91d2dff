import { withOrg } from "@/lib/api/handler";
import { getVersion, versionNumber } from "@/lib/flows/versions";

export const GET = withOrg<undefined, { id: string; number: string }>({ role: "admin" }, ({ orgId, params }) =>
  getVersion(orgId, params.id, versionNumber(params.number)),
);
