import { withOrg } from "@/lib/api/handler";
import { teamMemberInput } from "@/lib/teams/schema";
import { addTeamMember } from "@/lib/teams/service";

export const POST = withOrg<{ userId: string }, { id: string }>({ role: "admin", input: teamMemberInput }, ({ orgId, input, params }) =>
  addTeamMember(orgId, params.id, input.userId),
);
