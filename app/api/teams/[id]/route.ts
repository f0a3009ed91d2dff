import { withOrg } from "@/lib/api/handler";
import { teamInput } from "@/lib/teams/schema";
import { deleteTeam, renameTeam } from "@/lib/teams/service";

type P = { id: string };
export const PATCH = withOrg<{ name: string }, P>({ role: "admin", input: teamInput }, ({ orgId, input, params }) =>
  renameTeam(orgId, params.id, input.name),
);
export const DELETE = withOrg<undefined, P>({ role: "admin" }, ({ orgId, params }) => deleteTeam(orgId, params.id));
