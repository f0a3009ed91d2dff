import { withOrg } from "@/lib/api/handler";
import { teamMemberUpdateInput } from "@/lib/teams/schema";
import { removeTeamMember, setTeamSupervisor } from "@/lib/teams/service";

type P = { id: string; userId: string };
export const PATCH = withOrg<{ supervisor: boolean }, P>({ role: "admin", input: teamMemberUpdateInput }, ({ orgId, input, params }) =>
  setTeamSupervisor(orgId, params.id, params.userId, input.supervisor),
);
export const DELETE = withOrg<undefined, P>({ role: "admin" }, ({ orgId, params }) => removeTeamMember(orgId, params.id, params.userId));
