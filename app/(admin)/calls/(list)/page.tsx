import Link from "next/link";
import { CallFilters } from "@/components/calls/call-filters";
import { CallsTable } from "@/components/calls/calls-table";
import { NewCallsNotice } from "@/components/calls/new-calls-notice";
import { Pager } from "@/components/calls/pager";
import { EmptyState, PageHeader } from "@/components/page-header";
import { LiveRefresh } from "@/components/realtime/live-refresh";
import { events } from "@/lib/agents/contract";
import { pageOrg } from "@/lib/auth/pages";
import { filterOptions } from "@/lib/calls/filter-options";
import { filterSearchParams, parseCallListParams, pickFilters } from "@/lib/calls/filters";
import { callsWhere, countCalls, listCalls, orgTimeZone } from "@/lib/calls/list-query";
import { publicRealtimeConfig } from "@/lib/realtime";

export const metadata = { title: "Calls" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function CallsPage({ searchParams }: { searchParams: SearchParams }) {
  const ctx = await pageOrg();
  const { query, ignored } = parseCallListParams(await searchParams);
  const filters = pickFilters(query);
  const [timeZone, options] = await Promise.all([orgTimeZone(ctx.orgId), filterOptions(ctx.orgId)]);
  const where = await callsWhere(ctx, filters, timeZone);
  const [page, total] = await Promise.all([listCalls(where, { after: query.after, before: query.before }), countCalls(where)]);
  const href = (extra: Record<string, string | undefined> = {}) => {
    const sp = filterSearchParams(filters, extra);
    return sp.size ? `/calls?${sp}` : "/calls";
  };
  const firstPage = !query.after && !query.before;
  const filtered = Object.keys(filters).length > 0;
  const realtime = publicRealtimeConfig();
  return (
    <>
      {firstPage ? (
        <LiveRefresh realtime={realtime} orgId={ctx.orgId} events={[events.callChanged]} />
      ) : (
        <NewCallsNotice realtime={realtime} orgId={ctx.orgId} newestHref={href()} />
      )}
      <PageHeader
        title="Calls"
        description={
          ctx.role === "admin"
            ? "Every incoming and outgoing WhatsApp call, newest first."
            : "Calls you took and calls transferred to your teams, newest first."
        }
      >
        <a href={`/api/calls/export${filtered ? `?${filterSearchParams(filters)}` : ""}`} className="btn-secondary" download>
          Export CSV
        </a>
      </PageHeader>
      <CallFilters values={filters} {...options} />
      {ignored.length > 0 && (
        <p
          role="alert"
          className="mb-3 rounded-md border border-amber-200 dark:border-amber-900 bg-amber-50 dark:bg-amber-950/40 px-3 py-2 text-sm text-amber-800 dark:text-amber-200"
        >
          Some filters in this link were not understood and were left out: {ignored.join(", ")}.
        </p>
      )}
      <p className="mb-2 text-sm text-slate-600 dark:text-slate-300" aria-live="polite">
        <span data-testid="call-total">{total.exact ? total.value.toLocaleString("en") : `${total.value.toLocaleString("en")}+`}</span>{" "}
        {total.exact && total.value === 1 ? "call" : "calls"}{" "}
        {filtered ? (total.exact && total.value === 1 ? "matches these filters" : "match these filters") : "in total"}
        {!total.exact && " (counting stops at 10,000)"}
      </p>
      {page.rows.length === 0 ? (
        <EmptyState title={filtered ? "No calls match these filters" : firstPage ? "No calls yet" : "No calls on this page"}>
          {filtered ? (
            "Try a wider date range or fewer filters."
          ) : firstPage ? (
            <>
              Calls appear here as soon as someone calls one of your WhatsApp numbers.
              {ctx.role === "admin" && (
                <>
                  {" "}
                  To take calls: connect a number under{" "}
                  <Link className="text-brand-700 underline dark:text-brand-500" href="/accounts">
                    WhatsApp Accounts
                  </Link>
                  , publish a call-start flow under{" "}
                  <Link className="text-brand-700 underline dark:text-brand-500" href="/flows">
                    IVR Flows
                  </Link>
                  , add agents to a{" "}
                  <Link className="text-brand-700 underline dark:text-brand-500" href="/teams">
                    team
                  </Link>
                  , and set them Available.
                </>
              )}
            </>
          ) : (
            "The calls on this page were removed."
          )}
        </EmptyState>
      ) : (
        <CallsTable rows={page.rows} timeZone={timeZone} />
      )}
      <Pager
        newerHref={page.newer ? href({ before: page.newer }) : null}
        olderHref={page.older ? href({ after: page.older }) : null}
        newestHref={firstPage ? null : href()}
      />
    </>
  );
}
