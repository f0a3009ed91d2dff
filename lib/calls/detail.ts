// Everything the call detail page shows, in two queries (the call with its path, transfers and
// latest recording; then the names of the people in its transfers), only if `viewer` may see it.
import { db } from "../db";
import { visibleCalls } from "./access";
import { describeTransfer } from "./present";
import { safeTimeZone } from "./time-zone";

type Viewer = Parameters<typeof visibleCalls>[0];

export async function callDetail(viewer: Viewer, callId: string) {
  const call = await db.call.findFirst({
    where: { AND: [{ id: callId }, visibleCalls(viewer)] },
    select: {
      id: true,
      waCallId: true,
      direction: true,
      status: true,
      callerPhone: true,
      startedAt: true,
      answeredAt: true,
      endedAt: true,
      durationSecs: true,
      disconnectedBy: true,
      error: true,
      gatewayId: true,
      notes: true,
      flowVersion: true,
      teamIds: true,
      org: { select: { timeZone: true } },
      agent: { select: { name: true } },
      contact: { select: { name: true } },
      account: { select: { name: true, displayPhone: true } },
      flow: { select: { id: true, name: true } },
      steps: {
        orderBy: { seq: "asc" },
        select: { seq: true, nodeType: true, label: true, nodeId: true, handle: true, digits: true, variables: true, enteredAt: true, leftAt: true },
      },
      transfers: {
        orderBy: { createdAt: "asc" },
        select: {
          id: true,
          status: true,
          endReason: true,
          createdAt: true,
          acceptedAt: true,
          endedAt: true,
          offeredTo: true,
          declinedBy: true,
          acceptedById: true,
          team: { select: { name: true } },
        },
      },
      recordings: { orderBy: { createdAt: "desc" }, take: 1, select: { status: true, error: true, expiredAt: true, durationMs: true } },
    },
  });
  if (!call) return null;
  const people = new Set(call.transfers.flatMap((t) => [...t.offeredTo, ...t.declinedBy, ...(t.acceptedById ? [t.acceptedById] : [])]));
  const names = new Map(
    people.size
      ? (await db.user.findMany({ where: { id: { in: [...people] }, memberships: { some: { orgId: viewer.orgId } } }, select: { id: true, name: true } })).map(
          (u) => [u.id, u.name],
        )
      : [],
  );
  const { org, recordings, transfers, ...rest } = call;
  return {
    ...rest,
    timeZone: safeTimeZone(org.timeZone),
    recording: recordings[0] ?? null,
    transfers: transfers.map((t) => ({ id: t.id, ...describeTransfer(t, names) })),
  };
}
export type CallDetail = NonNullable<Awaited<ReturnType<typeof callDetail>>>;
