// What an agent sees in the call log after the real writes that decide it: transfers opened to one
// or two teams (and to the same team twice), claimed, handed back and closed; an agent's own
// outgoing-style call; team membership changing; a team deleted. The list (lib/calls/list-query,
// which reads the calls' denormalised `teamIds`) must give exactly the rows of the plain rule in
// lib/calls/access `visibleCalls` (transfers → team → members), newest first, for every agent.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { claimTransfer, closeTransfer, openTransfer, reopenTransfer } from "../../lib/agents/transfers";
import { visibleCalls } from "../../lib/calls/access";
import type { CallFilters } from "../../lib/calls/filters";
import { callsWhere, countCalls, listCalls } from "../../lib/calls/list-query";
import { addTeamMember, deleteTeam, removeTeamMember } from "../../lib/teams/service";
import type { Prisma } from "../../lib/db";
import { createAccount, createOrg, createTeam, createUser } from "../../lib/seed/factories";
import { testDb as db } from "../helpers/test-db";

afterAll(() => db.$disconnect());

type Viewer = { orgId: string; userId: string; role: "admin" | "agent" };

let orgId: string;
let accountId: string;
let ana: string;
let ben: string;
let cat: string;
let dan: string;
let sales: string;
let support: string;
let vip: string;
let n = 0;
const calls: string[] = [];

async function incoming(minutesAgo: number): Promise<string> {
  const call = await db.call.create({
    data: {
      orgId,
      accountId,
      waCallId: `wacid.visibility.${orgId}.${n++}`,
      direction: "incoming",
      status: "ringing",
      callerPhone: `55119000${String(n).padStart(5, "0")}`,
      startedAt: new Date(Date.now() - minutesAgo * 60_000),
    },
    select: { id: true },
  });
  calls.push(call.id);
  return call.id;
}

const transferTo = (callId: string, teamId: string) => openTransfer({ orgId, callId, teamId, nodeId: "to-team", variables: {} });

/** Every page of the list, newest first, as ids (small pages so paging and the part merge are exercised). */
async function listed(viewer: Viewer, filters: CallFilters = {}): Promise<string[]> {
  const q = await callsWhere(viewer, filters, "UTC");
  const ids: string[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await listCalls(q, { after, limit: 3 });
    ids.push(...page.rows.map((r) => r.id));
    if (!page.older) return ids;
    after = page.older;
  }
}

/** The reference: the plain rule and filter through call_transfers, no denormalised column. */
async function reference(viewer: Viewer, teamFilter?: string): Promise<string[]> {
  const where: Prisma.CallWhereInput = { AND: [visibleCalls(viewer), teamFilter ? { transfers: { some: { teamId: teamFilter } } } : {}] };
  const rows = await db.call.findMany({ where, orderBy: [{ startedAt: "desc" }, { id: "desc" }], select: { id: true } });
  return rows.map((r) => r.id);
}

async function expectEveryViewerMatches() {
  for (const userId of [ana, ben, cat, dan]) {
    const viewer: Viewer = { orgId, userId, role: "agent" };
    const want = await reference(viewer);
    expect(await listed(viewer), `agent ${userId}`).toEqual(want);
    expect((await countCalls(await callsWhere(viewer, {}, "UTC"))).value).toBe(want.length);
  }
  const admin: Viewer = { orgId, userId: "admin", role: "admin" };
  for (const team of [sales, support, vip]) expect(await listed(admin, { team }), `team ${team}`).toEqual(await reference(admin, team));
  // The column itself: each call's teams are exactly the distinct teams of its transfers.
  const drift = await db.$queryRaw<{ id: string }[]>`
    SELECT c.id FROM calls c
    WHERE c.org_id = ${orgId}
      AND (c.team_ids IS NULL
        OR (SELECT coalesce(array_agg(x ORDER BY x), '{}') FROM unnest(c.team_ids) x)
           IS DISTINCT FROM (SELECT coalesce(array_agg(DISTINCT t.team_id ORDER BY t.team_id), '{}') FROM call_transfers t WHERE t.call_id = c.id AND t.team_id IS NOT NULL))`;
  expect(drift).toEqual([]);
}

beforeAll(async () => {
  const org = await createOrg(db, { name: "Call visibility" });
  orgId = org.id;
  accountId = (await createAccount(db, orgId)).id;
  [ana, ben, cat, dan] = (await Promise.all(["Ana", "Ben", "Cat", "Dan"].map(async (name) => (await createUser(db, orgId, { name })).id))) as [
    string,
    string,
    string,
    string,
  ];
  // Ana: sales; Ben: sales and support; Cat: VIP; Dan: no team.
  sales = (await createTeam(db, orgId, "Sales", [ana, ben])).id;
  support = (await createTeam(db, orgId, "Support", [ben])).id;
  vip = (await createTeam(db, orgId, "VIP", [cat])).id;
});

describe("an agent's call log after real writes", () => {
  it("shows exactly their own calls and their teams' calls", async () => {
    // Waiting for sales, nobody took it.
    const c1 = await incoming(50);
    const t1 = await transferTo(c1, sales);
    await closeTransfer(t1.transferId, "timed_out", "timeout");
    // Sales, then (no answer) support: both teams' agents see it; Ben takes it from support.
    const c2 = await incoming(40);
    const t2a = await transferTo(c2, sales);
    await closeTransfer(t2a.transferId, "timed_out", "timeout");
    const t2b = await transferTo(c2, support);
    await claimTransfer(orgId, ben, t2b.transferId);
    // Sales twice (the flow looped back): one team on the call, not two.
    const c3 = await incoming(30);
    await closeTransfer((await transferTo(c3, sales)).transferId, "timed_out", "timeout");
    const t3 = await transferTo(c3, sales);
    // Ana claims, her leg fails, the transfer rings again and Ben takes it.
    await claimTransfer(orgId, ana, t3.transferId);
    await reopenTransfer(t3.transferId, ana);
    await claimTransfer(orgId, ben, t3.transferId);
    // VIP: only Cat.
    const c4 = await incoming(20);
    await claimTransfer(orgId, cat, (await transferTo(c4, vip)).transferId);
    // Dan's own call (placed by him, no team): his alone.
    const c5 = await incoming(10);
    await db.call.update({ where: { id: c5 }, data: { direction: "outgoing", agentId: dan } });
    // A transfer to a team of another organisation opens with no team: nobody here gains it.
    const other = await createTeam(db, (await createOrg(db)).id, "Elsewhere", [ana]);
    const c6 = await incoming(5);
    await transferTo(c6, other.id);
    // Never transferred.
    await incoming(1);

    await expectEveryViewerMatches();
    expect(await listed({ orgId, userId: ana, role: "agent" })).toEqual([c3, c2, c1]);
    expect(await listed({ orgId, userId: ben, role: "agent" })).toEqual([c3, c2, c1]);
    expect(await listed({ orgId, userId: cat, role: "agent" })).toEqual([c4]);
    expect(await listed({ orgId, userId: dan, role: "agent" })).toEqual([c5]);
    expect(await listed({ orgId, userId: "admin", role: "admin" }, { team: support })).toEqual([c2]);

    // A status filter on an agent's view (each part then reads its own status index): a team's
    // failed call and an agent's own failed call, each seen only by who may see it.
    await db.call.updateMany({ where: { id: { in: [c2, c5] } }, data: { status: "failed" } });
    const failed = async (userId: string) => {
      const viewer: Viewer = { orgId, userId, role: "agent" };
      const ids = await listed(viewer, { status: "failed" });
      expect((await countCalls(await callsWhere(viewer, { status: "failed" }, "UTC"))).value).toBe(ids.length);
      return ids;
    };
    expect(await failed(ana)).toEqual([c2]);
    expect(await failed(ben)).toEqual([c2]);
    expect(await failed(cat)).toEqual([]);
    expect(await failed(dan)).toEqual([c5]);
  });

  it("follows team membership and team deletion", async () => {
    // Dan joins VIP: he sees its past calls too; Ben leaves support: its calls he took stay his.
    await addTeamMember(orgId, vip, dan);
    await removeTeamMember(orgId, support, ben);
    await expectEveryViewerMatches();
    expect(await listed({ orgId, userId: dan, role: "agent" })).toHaveLength(2);

    // Sales is deleted: its transfers keep no team, and its calls leave Ana's log (she took none).
    await deleteTeam(orgId, sales);
    await expectEveryViewerMatches();
    expect(await listed({ orgId, userId: ana, role: "agent" })).toEqual([]);
    const stale = await db.$queryRaw<{ id: string }[]>`SELECT id FROM calls WHERE ${sales} = ANY(team_ids)`;
    expect(stale).toEqual([]);
  });
});
