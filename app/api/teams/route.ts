import { withOrg } from "@/lib/api/handler";
import { teamInput } from "@/lib/teams/schema";
import { createTeam, listTeams } from "@/lib/teams/service";

export const GET = withOrg({ role: "admin" }, ({ orgId }) => listTeams(orgId));
export const POST = withOrg({ role: "admin", input: teamInput }, ({ orgId, input }) => createTeam(orgId, input.name));
