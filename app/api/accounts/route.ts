import { withOrg } from "@/lib/api/handler";
import { accountCreateInput } from "@/lib/accounts/schema";
import { createAccount, listAccounts } from "@/lib/accounts/service";

export const GET = withOrg({ role: "admin" }, ({ orgId }) => listAccounts(orgId));
export const POST = withOrg({ role: "admin", input: accountCreateInput }, ({ orgId, input }) => createAccount(orgId, input));
