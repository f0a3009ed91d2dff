import { withOrg } from "@/lib/api/handler";
import { type PersonUpdate, personUpdateInput } from "@/lib/people/schema";
import { removePerson, updatePerson } from "@/lib/people/service";

export const PATCH = withOrg<PersonUpdate, { id: string }>({ role: "admin", input: personUpdateInput }, ({ orgId, userId, params, input }) =>
  updatePerson(orgId, params.id, userId, input),
);
export const DELETE = withOrg<undefined, { id: string }>({ role: "admin" }, ({ orgId, userId, params }) => removePerson(orgId, params.id, userId));
