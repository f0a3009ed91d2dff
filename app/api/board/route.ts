// GET /api/board: the live board's state (admins and team supervisors); the page loads it first and
// again after each realtime event on the organisation's channel.
import { withOrg } from "@/lib/api/handler";
import { boardState, requireBoardViewer } from "@/lib/board/state";

export const dynamic = "force-dynamic";

export const GET = withOrg({}, async (ctx) => {
  await requireBoardViewer(ctx);
  return boardState(ctx.orgId);
});
