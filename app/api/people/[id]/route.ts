import { withOrg } from "@/lib/api/handler";
import { personUpdateInput } from "@/lib/people/schema";
import { removePerson, setPersonRole } from "@/lib/people/service";

export const PATCH = withOrg<{ role: "agent" | "admin" }, { id: string }>({ role: "admin", input: personUpdateInput }, ({ orgId, params, input }) =>
  setPersonRole(orgId, params.id, input.role),
);
export const DELETE = withOrg<undefined, { id: string }>({ role: "admin" }, ({ orgId, userId, params }) => removePerson(orgId, params.id, userId));
