// The CSV download response: file name with the date in the organisation's time zone.
import { callsCsvStream } from "./export-csv";
import type { CallFilters } from "./filters";
import { callsWhere, orgTimeZone } from "./list-query";
import { zonedYmd } from "./time-zone";

type Viewer = Parameters<typeof callsWhere>[0];

export async function callExport(viewer: Viewer, filters: CallFilters): Promise<Response> {
  const timeZone = await orgTimeZone(viewer.orgId);
  const stream = callsCsvStream(await callsWhere(viewer, filters, timeZone), timeZone);
  return new Response(stream, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="calls-${zonedYmd(new Date(), timeZone)}.csv"`,
      "cache-control": "no-store",
      // Proxies must pass rows on as they come instead of collecting the file.
      "x-accel-buffering": "no",
    },
  });
}
