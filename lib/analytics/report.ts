// The whole analytics page's data in one call (the page and GET /api/analytics).
import type { OrgContext } from "../auth/session";
import { orgTimeZone } from "../calls/list-query";
import { type AnalyticsFilters, resolveFilters } from "./filters";
import { type AnalyticsReport, errorCodes, handleByAgent, handleByTeam, heatmap, serviceLevel, summary, topExits, volume } from "./queries";
import { rollupBuiltAt } from "./rollup";

export async function analyticsReport(ctx: Pick<OrgContext, "orgId">, input: AnalyticsFilters): Promise<AnalyticsReport> {
  const timeZone = await orgTimeZone(ctx.orgId);
  const f = resolveFilters(input, timeZone);
  const o = ctx.orgId;
  const [v, s, h, ha, ht, ex, er, sl, built] = await Promise.all([
    volume(o, f),
    summary(o, f),
    heatmap(o, f),
    handleByAgent(o, f),
    handleByTeam(o, f),
    topExits(o, f),
    errorCodes(o, f),
    serviceLevel(o, f),
    rollupBuiltAt(o),
  ]);
  return {
    filters: f,
    timeZone,
    builtAt: built?.toISOString() ?? null,
    volume: v,
    summary: s,
    heatmap: h,
    handleByAgent: ha,
    handleByTeam: ht,
    topExits: ex,
    errorCodes: er,
    serviceLevel: sl,
  };
}
