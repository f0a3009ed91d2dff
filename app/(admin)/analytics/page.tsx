import { AnalyticsCharts } from "@/components/analytics/analytics-charts";
import { AnalyticsFilters } from "@/components/analytics/analytics-filters";
import { PageHeader } from "@/components/page-header";
import { parseAnalyticsParams } from "@/lib/analytics/filters";
import { analyticsReport } from "@/lib/analytics/report";
import { pageOrg } from "@/lib/auth/pages";
import { filterOptions } from "@/lib/calls/filter-options";
import { formatInZone, zoneLabel } from "@/lib/calls/time-zone";

export const metadata = { title: "Analytics" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function AnalyticsPage({ searchParams }: { searchParams: SearchParams }) {
  const ctx = await pageOrg("admin");
  const { filters, ignored } = parseAnalyticsParams(await searchParams);
  const [report, options] = await Promise.all([analyticsReport(ctx, filters), filterOptions(ctx.orgId)]);
  const f = report.filters;
  return (
    // Its own dark surface until the app shell follows prefers-color-scheme too.
    <div className="-m-8 min-h-screen p-8 dark:bg-slate-950 dark:text-slate-100">
      <PageHeader
        title="Analytics"
        description={`Finished calls from ${f.from} to ${f.to}, in ${zoneLabel(report.timeZone) === report.timeZone ? report.timeZone : `${report.timeZone} (${zoneLabel(report.timeZone)})`}. ${
          report.builtAt
            ? `Figures as of ${formatInZone(new Date(report.builtAt), report.timeZone, "full")}; refreshed every minute.`
            : "Figures appear within a minute of the first finished call."
        }`}
      />
      <AnalyticsFilters values={{ ...f }} accounts={options.accounts} flows={options.flows} teams={options.teams} />
      {ignored.length > 0 && (
        <p role="alert" className="mb-3 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-800">
          Some filters in this link were not understood and were left out: {ignored.join(", ")}.
        </p>
      )}
      <AnalyticsCharts report={report} />
    </div>
  );
}
