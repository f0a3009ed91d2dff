import { withOrg } from "@/lib/api/handler";
import { listAudio } from "@/lib/audio/service";

export const dynamic = "force-dynamic";
export const GET = withOrg({ role: "admin" }, ({ orgId }) => listAudio(orgId));
