// The drop-off view: for a date range, how many calls reached each node of a flow and by which
// handle they left it (or ended there). Read from the call log's path steps, which record the
// node, the flow it belongs to and the handle taken; date bounds are days in the org's time zone.
import { z } from "zod";
import { nextDay, safeTimeZone, zonedDayStart, zonedYmd } from "../calls/time-zone";
import { db } from "../db";
import { AppError, notFound } from "../errors";

const ymd = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Dates are YYYY-MM-DD");
export const dropoffInput = z.object({ from: ymd.optional(), to: ymd.optional() });

export interface Dropoff {
  from: string;
  to: string;
  timeZone: string;
  /** Calls that entered the flow in the range. */
  calls: number;
  /** Per node: distinct calls that reached it, and calls whose path ended there (their last step). */
  nodes: Record<string, { reached: number; ended: number }>;
  /** Per `${nodeId}|${handle}`: how many times calls left the node by that handle. */
  handles: Record<string, number>;
}

const DEFAULT_DAYS = 30;
const MAX_DAYS = 366;

export async function flowDropoff(orgId: string, flowId: string, input: z.infer<typeof dropoffInput>): Promise<Dropoff> {
  const [flow, org] = await Promise.all([
    db.ivrFlow.findFirst({ where: { id: flowId, orgId }, select: { id: true } }),
    db.organization.findUniqueOrThrow({ where: { id: orgId }, select: { timeZone: true } }),
  ]);
  if (!flow) throw notFound("Flow");
  const timeZone = safeTimeZone(org.timeZone);
  const to = input.to ?? zonedYmd(new Date(), timeZone);
  const from = input.from ?? zonedYmd(new Date(zonedDayStart(to, timeZone).getTime() - (DEFAULT_DAYS - 1) * 86_400_000), timeZone);
  const start = zonedDayStart(from, timeZone);
  const end = zonedDayStart(nextDay(to), timeZone);
  if (end <= start) throw new AppError("bad_request", "The start date must not be after the end date");
  if (end.getTime() - start.getTime() > (MAX_DAYS + 1) * 86_400_000) throw new AppError("bad_request", `Choose a range of at most ${MAX_DAYS} days`);

  // Steps are tied to the flow they ran in (a call may jump between flows); the org check is the
  // flow's. One pass: per (node, handle) visits, per node distinct calls, and the distinct total.
  // A call ended at a node when its step there is the call's last one: a transfer that timed out
  // into no_answer, or a goto-flow, records a step without a handle and the call goes on.
  const rows = await db.$queryRaw<{ node_id: string | null; handle: string | null; level: number; visits: bigint; calls: bigint; ended: bigint }[]>`
    SELECT node_id, handle, GROUPING(node_id, handle)::int AS level, count(*) AS visits, count(DISTINCT call_id) AS calls,
      count(*) FILTER (WHERE handle IS NULL AND NOT EXISTS (SELECT 1 FROM call_steps later WHERE later.call_id = s.call_id AND later.seq > s.seq)) AS ended
    FROM call_steps s
    WHERE flow_id = ${flowId} AND entered_at >= ${start} AND entered_at < ${end}
    GROUP BY GROUPING SETS ((node_id, handle), (node_id), ())`;

  let calls = 0;
  const nodes: Dropoff["nodes"] = {};
  const handles: Dropoff["handles"] = {};
  const node = (id: string) => {
    nodes[id] ??= { reached: 0, ended: 0 };
    return nodes[id];
  };
  for (const r of rows) {
    // level 3: the grand total; 1: one node, all handles; 0: one node and handle (null: no handle taken).
    if (r.level === 3) calls = Number(r.calls);
    else if (r.node_id === null) continue;
    else if (r.level === 1) Object.assign(node(r.node_id), { reached: Number(r.calls), ended: Number(r.ended) });
    else if (r.handle !== null) handles[`${r.node_id}|${r.handle}`] = Number(r.visits);
  }
  return { from, to, timeZone, calls, nodes, handles };
}
