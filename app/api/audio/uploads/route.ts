import { withOrg } from "@/lib/api/handler";
import { startUpload, uploadInput } from "@/lib/audio/service";

export const POST = withOrg({ role: "admin", input: uploadInput }, ({ orgId, input }) => startUpload(orgId, input));
