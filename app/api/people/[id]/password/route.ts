import { withOrg } from "@/lib/api/handler";
import { personPasswordInput } from "@/lib/people/schema";
import { resetPersonPassword } from "@/lib/people/service";

export const POST = withOrg<{ password: string }, { id: string }>({ role: "admin", input: personPasswordInput }, ({ orgId, userId, params, input }) =>
  resetPersonPassword(orgId, params.id, userId, input.password),
);
