import { withOrg } from "@/lib/api/handler";
import { type TeamUpdate, teamUpdateInput } from "@/lib/teams/schema";
import { deleteTeam, updateTeam } from "@/lib/teams/service";

type P = { id: string };
export const PATCH = withOrg<TeamUpdate, P>({ role: "admin", input: teamUpdateInput }, ({ orgId, input, params }) => updateTeam(orgId, params.id, input));
export const DELETE = withOrg<undefined, P>({ role: "admin" }, ({ orgId, params }) => deleteTeam(orgId, params.id));
