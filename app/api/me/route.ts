import { profileInput } from "@/lib/account/schema";
import { renameSelf } from "@/lib/account/service";
import { withOrg } from "@/lib/api/handler";

export const PATCH = withOrg({ input: profileInput }, ({ userId, input }) => renameSelf(userId, input));
