// GET /api/calls/export?<filters>: the filtered call log as a streamed CSV download.
import { withOrg } from "@/lib/api/handler";
import { callExport } from "@/lib/calls/export-response";
import { type CallFilters, callFiltersSchema } from "@/lib/calls/filters";

export const dynamic = "force-dynamic";

export const GET = withOrg<CallFilters>({ input: callFiltersSchema }, (ctx) => callExport(ctx, ctx.input));
