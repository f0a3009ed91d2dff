// A call log with known facts for the call-log web tests: an organisation in São Paulo time
// (UTC−3), two numbers, two flows, two teams, three agents and a few hundred calls whose
// attributes follow from their index, so each test can compute the expected rows itself.
import { createAccount, createFlow, createOrg, createTeam, createUser } from "../../lib/seed/factories";
import type { CallDirection, CallStatus, Prisma, PrismaClient } from "../../lib/db";

export const PASSWORD = "call-logs-pass-123";
export const TZ = "America/Sao_Paulo";

export interface ModelCall {
  id: string;
  i: number;
  startedAt: Date;
  status: CallStatus;
  direction: CallDirection;
  accountId: string;
  flowId: string | null;
  agentId: string | null;
  teamId: string | null;
  contactName: string | null;
  phone: string;
}

export interface CallLogFixture {
  orgId: string;
  admin: { id: string; email: string };
  agent1: { id: string; email: string };
  agent2: { id: string; email: string };
  loner: { id: string; email: string };
  accounts: [string, string];
  flows: [string, string];
  teams: [string, string];
  calls: ModelCall[];
}

const STATUSES: CallStatus[] = ["completed", "missed", "failed", "rejected"];
const NAMES = ["Maria Silva", "Mario Rossi", "João Souza", null];

/** Newest first by (startedAt, id), the list's order. */
export function newestFirst(calls: ModelCall[]): ModelCall[] {
  return [...calls].sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
}

export async function seedCallLog(db: PrismaClient, n: number, label: string): Promise<CallLogFixture> {
  const org = await createOrg(db, { name: `Call logs ${label}` });
  await db.organization.update({ where: { id: org.id }, data: { timeZone: TZ } });
  const user = (role: "admin" | "agent", name: string) => createUser(db, org.id, { role, name, password: PASSWORD });
  const [admin, agent1, agent2, loner] = await Promise.all([
    user("admin", "Ada Admin"),
    user("agent", "Alice Agent"),
    user("agent", "Bruno Agent"),
    user("agent", "Carla Loner"),
  ]);
  const a1 = await createAccount(db, org.id, { name: "Support line" });
  const a2 = await createAccount(db, org.id, { name: "Sales line" });
  const f1 = await createFlow(db, org.id, { accountId: a1.id, name: "Support IVR" });
  const f2 = await createFlow(db, org.id, { accountId: a2.id, name: "Sales IVR", isCallStart: false });
  const t1 = await createTeam(db, org.id, `Support ${label}`, [agent1.id]);
  const t2 = await createTeam(db, org.id, `Sales ${label}`, [agent2.id]);
  const contacts = await Promise.all(
    NAMES.map((name, k) =>
      db.contact.create({ data: { orgId: org.id, waId: `55119${label.length}${k}000000`, name }, select: { id: true, waId: true, name: true } }),
    ),
  );
  // 02:30 UTC is 23:30 the day before in São Paulo: the date filter must use the org's day.
  const base = Date.UTC(2026, 10, 20, 2, 30);
  const calls: ModelCall[] = [];
  const rows: Prisma.CallCreateManyInput[] = [];
  const transfers: Prisma.CallTransferCreateManyInput[] = [];
  for (let i = 0; i < n; i++) {
    // Pairs of calls share a start time, so paging must break ties by id.
    const startedAt = new Date(base - Math.floor(i / 2) * 47 * 60_000);
    const contact = contacts[i % 4]!;
    const direction: CallDirection = i % 5 === 0 ? "outgoing" : "incoming";
    const m: ModelCall = {
      id: `cl${label}${String(i).padStart(5, "0")}${i % 2 ? "b" : "a"}`,
      i,
      startedAt,
      status: STATUSES[i % 4]!,
      direction,
      accountId: i % 3 === 0 ? a2.id : a1.id,
      flowId: direction === "incoming" ? (i % 2 ? f1.id : f2.id) : null,
      agentId: i % 7 === 0 ? agent1.id : i % 11 === 0 ? agent2.id : null,
      teamId: i % 6 === 1 ? t1.id : i % 6 === 4 ? t2.id : null,
      contactName: i % 10 === 9 ? null : contact.name,
      phone: i % 10 === 9 ? `4477009${String(i).padStart(5, "0")}` : contact.waId,
    };
    calls.push(m);
    rows.push({
      id: m.id,
      orgId: org.id,
      accountId: m.accountId,
      waCallId: `wacid.${label}.${i}`,
      direction,
      status: m.status,
      contactId: i % 10 === 9 ? null : contact.id,
      callerPhone: m.phone,
      flowId: m.flowId,
      agentId: m.agentId,
      teamIds: m.teamId ? [m.teamId] : [],
      startedAt,
      endedAt: new Date(startedAt.getTime() + 60_000),
      durationSecs: m.status === "completed" ? 55 : 0,
      disconnectedBy: m.status === "completed" ? (Math.floor(i / 4) % 2 ? "agent" : "client") : "system",
      error: m.status === "failed" ? "(#138006) No approved call permission from the user" : m.status === "rejected" ? "Calling is disabled" : null,
    });
    if (m.teamId) {
      const at = (s: number) => new Date(startedAt.getTime() + s * 1000);
      transfers.push({
        callId: m.id,
        teamId: m.teamId,
        status: m.agentId ? "accepted" : "timed_out",
        createdAt: at(5),
        acceptedAt: m.agentId ? at(20) : null,
        endedAt: m.agentId ? null : at(35),
        endReason: m.agentId ? null : "timeout",
      });
    }
  }
  await db.call.createMany({ data: rows });
  await db.callTransfer.createMany({ data: transfers });
  return {
    orgId: org.id,
    admin,
    agent1,
    agent2,
    loner,
    accounts: [a1.id, a2.id],
    flows: [f1.id, f2.id],
    teams: [t1.id, t2.id],
    calls,
  };
}

/** What `viewer` may see, per lib/calls/access.ts: admins all; agents their calls and their teams'. */
export function visibleTo(f: CallLogFixture, userId: string): ModelCall[] {
  if (userId === f.admin.id) return f.calls;
  const myTeam = userId === f.agent1.id ? f.teams[0] : userId === f.agent2.id ? f.teams[1] : null;
  return f.calls.filter((c) => c.agentId === userId || (myTeam && c.teamId === myTeam));
}

/** The calendar day of `d` in the fixture's zone, as YYYY-MM-DD. */
export function localDay(d: Date): string {
  return new Intl.DateTimeFormat("sv-SE", { timeZone: TZ, year: "numeric", month: "2-digit", day: "2-digit" }).format(d);
}
