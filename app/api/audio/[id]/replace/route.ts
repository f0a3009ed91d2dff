import type { z } from "zod";
import { withOrg } from "@/lib/api/handler";
import { replaceInput, startReplace } from "@/lib/audio/manage";

export const POST = withOrg<z.infer<typeof replaceInput>, { id: string }>({ role: "admin", input: replaceInput }, ({ orgId, params, input }) =>
  startReplace(orgId, params.id, input),
);
