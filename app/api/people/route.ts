import { withOrg } from "@/lib/api/handler";
import { personInput } from "@/lib/people/schema";
import { addPerson, listPeople } from "@/lib/people/service";

export const GET = withOrg({ role: "admin" }, ({ orgId }) => listPeople(orgId));
export const POST = withOrg({ role: "admin", input: personInput }, ({ orgId, input }) => addPerson(orgId, input));
