import type { z } from "zod";
import { withOrg } from "@/lib/api/handler";
import { deleteFlow, getFlow, updateFlowSettings } from "@/lib/flows/editor-service";
import { flowSettingsInput } from "@/lib/flows/schema";

type P = { id: string };
export const GET = withOrg<undefined, P>({ role: "admin" }, ({ orgId, params }) => getFlow(orgId, params.id));
export const PATCH = withOrg<z.infer<typeof flowSettingsInput>, P>({ role: "admin", input: flowSettingsInput }, ({ orgId, params, input }) =>
  updateFlowSettings(orgId, params.id, input),
);
export const DELETE = withOrg<undefined, P>({ role: "admin" }, ({ orgId, params }) => deleteFlow(orgId, params.id));
