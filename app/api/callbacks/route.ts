// GET /api/callbacks?status=open|done|cancelled: the team's "call back" tasks from missed calls.
import { z } from "zod";
import { withOrg } from "@/lib/api/handler";
import { listCallbacks } from "@/lib/callbacks/service";

export const dynamic = "force-dynamic";

const query = z.strictObject({ status: z.enum(["open", "done", "cancelled"]).optional() });
export const GET = withOrg<z.infer<typeof query>>({ input: query }, async (ctx) => ({ callbacks: await listCallbacks(ctx, ctx.input.status) }));
