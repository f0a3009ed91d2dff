import type { z } from "zod";
import { withOrg } from "@/lib/api/handler";
import { accountUpdateInput } from "@/lib/accounts/schema";
import { deleteAccount, updateAccount } from "@/lib/accounts/service";

type P = { id: string };
export const PATCH = withOrg<z.infer<typeof accountUpdateInput>, P>({ role: "admin", input: accountUpdateInput }, ({ orgId, input, params }) =>
  updateAccount(orgId, params.id, input),
);
export const DELETE = withOrg<undefined, P>({ role: "admin" }, ({ orgId, params }) => deleteAccount(orgId, params.id));
