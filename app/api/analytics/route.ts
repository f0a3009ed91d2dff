// GET /api/analytics?from&to&account&flow&team&grain: every chart of the Analytics page (admins).
import { type AnalyticsFilters, analyticsFiltersSchema } from "@/lib/analytics/filters";
import { analyticsReport } from "@/lib/analytics/report";
import { withOrg } from "@/lib/api/handler";

export const dynamic = "force-dynamic";

export const GET = withOrg<AnalyticsFilters>({ role: "admin", input: analyticsFiltersSchema }, (ctx) => analyticsReport(ctx, ctx.input));
