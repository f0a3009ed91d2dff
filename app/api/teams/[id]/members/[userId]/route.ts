import { withOrg } from "@/lib/api/handler";
import { removeTeamMember } from "@/lib/teams/service";

export const DELETE = withOrg<undefined, { id: string; userId: string }>({ role: "admin" }, ({ orgId, params }) =>
  removeTeamMember(orgId, params.id, params.userId),
);
