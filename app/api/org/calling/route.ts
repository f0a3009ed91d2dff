import { withOrg } from "@/lib/api/handler";
import { callingSettingsInput, getCallingSettings, updateCallingSettings } from "@/lib/org/calling";

export const GET = withOrg({ role: "admin" }, ({ orgId }) => getCallingSettings(orgId));
export const PUT = withOrg({ role: "admin", input: callingSettingsInput }, ({ orgId, input }) => updateCallingSettings(orgId, input));
