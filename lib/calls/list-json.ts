// The call log as JSON for GET /api/calls (integrations, scripts): rows with names and words,
// the capped total and the keyset cursors.
import { endedByText } from "./present";
import type { CallListQuery } from "./filters";
import { pickFilters } from "./filters";
import { type CallRow, callsWhere, countCalls, listCalls, orgTimeZone } from "./list-query";

type Viewer = Parameters<typeof callsWhere>[0];

function rowJson(c: CallRow) {
  return {
    id: c.id,
    direction: c.direction,
    status: c.status,
    contact: { name: c.contact?.name ?? null, phone: c.callerPhone },
    account: c.account,
    flow: c.flow,
    agent: c.agent,
    startedAt: c.startedAt.toISOString(),
    answeredAt: c.answeredAt?.toISOString() ?? null,
    endedAt: c.endedAt?.toISOString() ?? null,
    durationSecs: c.durationSecs,
    disconnectedBy: c.disconnectedBy,
    endedBy: endedByText(c),
    error: c.error,
  };
}

export async function callListJson(viewer: Viewer, q: CallListQuery) {
  const timeZone = await orgTimeZone(viewer.orgId);
  const where = await callsWhere(viewer, pickFilters(q), timeZone);
  const [page, total] = await Promise.all([listCalls(where, { after: q.after, before: q.before, limit: q.limit }), countCalls(where)]);
  return { calls: page.rows.map(rowJson), total, newer: page.newer, older: page.older, timeZone };
}
