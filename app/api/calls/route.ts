// GET /api/calls: the call log as JSON, same filters and keyset cursors as the Calls page.
import { withOrg } from "@/lib/api/handler";
import { type CallListQuery, callListSchema } from "@/lib/calls/filters";
import { callListJson } from "@/lib/calls/list-json";

export const dynamic = "force-dynamic";

export const GET = withOrg<CallListQuery>({ input: callListSchema }, (ctx) => callListJson(ctx, ctx.input));
