import type { z } from "zod";
import { withOrg } from "@/lib/api/handler";
import { dropoffInput, flowDropoff } from "@/lib/flows/dropoff";

export const dynamic = "force-dynamic";

export const GET = withOrg<z.infer<typeof dropoffInput>, { id: string }>({ role: "admin", input: dropoffInput }, ({ orgId, params, input }) =>
  flowDropoff(orgId, params.id, input),
);
