import { withOrg } from "@/lib/api/handler";
import { finishUpload } from "@/lib/audio/service";

export const POST = withOrg<undefined, { id: string }>({ role: "admin" }, ({ orgId, params }) => finishUpload(orgId, params.id));
