import { withOrg } from "@/lib/api/handler";
import { listVersions } from "@/lib/flows/versions";

export const GET = withOrg<undefined, { id: string }>({ role: "admin" }, ({ orgId, params }) => listVersions(orgId, params.id));
