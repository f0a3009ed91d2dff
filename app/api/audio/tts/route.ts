import { withOrg } from "@/lib/api/handler";
import { createTtsAsset, ttsInput } from "@/lib/audio/service";

export const POST = withOrg({ role: "admin", input: ttsInput }, ({ orgId, input }) => createTtsAsset(orgId, input));
