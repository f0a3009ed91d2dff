// The choices in the call-log filter form: the organisation's numbers, flows, agents and teams.
import { db } from "../db";

export async function filterOptions(orgId: string) {
  const [accounts, flows, teams, members] = await Promise.all([
    db.whatsAppAccount.findMany({ where: { orgId }, orderBy: { name: "asc" }, select: { id: true, name: true } }),
    db.ivrFlow.findMany({ where: { orgId }, orderBy: { name: "asc" }, select: { id: true, name: true } }),
    db.team.findMany({ where: { orgId }, orderBy: { name: "asc" }, select: { id: true, name: true } }),
    db.membership.findMany({ where: { orgId }, orderBy: { user: { name: "asc" } }, select: { user: { select: { id: true, name: true } } } }),
  ]);
  return { accounts, flows, teams, agents: members.map((m) => m.user) };
}
export type FilterOptions = Awaited<ReturnType<typeof filterOptions>>;
