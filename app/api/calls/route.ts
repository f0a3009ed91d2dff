// GET /api/calls: the call log as JSON, same filters and keyset cursors as the Calls page.
// POST /api/calls: place an outgoing call — `{contactId, accountId, sdp}` → `{callId, sdp}`.
import { withOrg } from "@/lib/api/handler";
import { type CallListQuery, callListSchema } from "@/lib/calls/filters";
import { callListJson } from "@/lib/calls/list-json";
import { type PlaceCallInput, placeCall, placeCallInput } from "@/lib/calls/outgoing";

export const dynamic = "force-dynamic";

export const GET = withOrg<CallListQuery>({ input: callListSchema }, (ctx) => callListJson(ctx, ctx.input));

export const POST = withOrg<PlaceCallInput>({ input: placeCallInput }, (ctx) => placeCall(ctx, ctx.input));
