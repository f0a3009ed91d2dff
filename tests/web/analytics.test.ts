// Analytics over HTTP against the production build: a seeded call log whose expected counts, rates,
// average and p90 wait, handle times, heat map, IVR exits, error codes and service level are
// computed here straight from the seeded rows, compared with GET /api/analytics after the rollup
// job has run — then more calls end and the incremental refresh picks them up.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { refreshOrgRollup } from "../../lib/analytics/rollup";
import type { Prisma } from "../../lib/db";
import { createAccount, createOrg, createTeam, createUser } from "../../lib/seed/factories";
import { api, signIn } from "../helpers/http-session";
import { testDb as db } from "../helpers/test-db";

const TZ = "America/Sao_Paulo";
const PASSWORD = "analytics-pass-123";
type Outcome = "answered" | "ivr" | "abandoned" | "missed" | "failed";

interface Model {
  startedAt: Date;
  direction: "incoming" | "outgoing";
  outcome: Outcome;
  accountId: string;
  teamId: string | null;
  agentId: string | null;
  waitMs: number | null;
  handleSecs: number | null;
  exit: string | null;
  code: string | null;
}

const localParts = (d: Date) => {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", { timeZone: TZ, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", weekday: "short" })
      .formatToParts(d)
      .map((x) => [x.type, x.value]),
  );
  return { day: `${p.year}-${p.month}-${p.day}`, hour: Number(p.hour), weekday: ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].indexOf(p.weekday!) + 1 };
};

/** Nearest-rank percentile of whole numbers. */
const nearestRank = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.ceil(p * xs.length) - 1]!;

let orgId: string;
let admin: string;
let agentCookie: string;
let accounts: string[];
let teams: string[];
let agents: { id: string; name: string }[];
const model: Model[] = [];
let seq = 0;

/** Writes one finished call (and its transfer and last IVR step) as the gateway would, and models it. */
async function addCall(i: number, startedAt: Date, opts: { endedAt?: Date | null } = {}) {
  const kind = i % 7;
  const accountId = accounts[i % 2]!;
  const flowId = null;
  const teamId = kind === 2 || kind === 3 || kind === 4 ? teams[i % 3 === 0 ? 1 : 0]! : null;
  const agent = agents[i % 2]!;
  const waitMs = kind === 2 ? ((i * 7919) % 45_000) + 400 : null; // 0.4 s … 45.4 s
  const handleSecs = kind === 2 || kind === 5 ? 20 + ((i * 31) % 300) : null;
  const at = (ms: number) => new Date(startedAt.getTime() + ms);
  const transferAt = at(12_000);
  const acceptedAt = waitMs !== null ? at(12_000 + waitMs) : null;
  const endedAt =
    opts.endedAt === null ? null : (opts.endedAt ?? (handleSecs !== null ? at((acceptedAt ? 12_000 + waitMs! : 3_000) + handleSecs * 1000) : at(40_000)));
  const base = {
    id: `an${seq++}x${i}`,
    orgId,
    accountId,
    waCallId: `wacid.analytics.${seq}.${i}`,
    callerPhone: `55119${String(i).padStart(8, "0")}`,
    flowId,
    startedAt,
    endedAt,
  };
  let call: Prisma.CallCreateManyInput;
  let outcome: Outcome;
  let exit: string | null = null;
  let code: string | null = null;
  const direction = kind === 5 || kind === 6 ? "outgoing" : "incoming";
  switch (kind) {
    case 0: // failed at Meta
      call = {
        ...base,
        direction,
        status: "failed",
        error: i % 2 ? "(#138006) No approved call permission from the user" : "(#131042) Business eligibility payment issue",
      };
      outcome = "failed";
      code = i % 2 ? "138006" : "131042";
      break;
    case 1: // ended in the IVR
      call = { ...base, direction, status: "completed", answeredAt: at(2_000) };
      outcome = "ivr";
      exit = i % 2 ? "menu|Main menu|timeout" : "bye|Goodbye|";
      break;
    case 2: // answered by an agent after waiting
      call = { ...base, direction, status: "completed", answeredAt: at(2_000), agentId: agent.id };
      outcome = "answered";
      exit = "to-team|Transfer to team|";
      break;
    case 3: // caller hung up while waiting
      call = { ...base, direction, status: "completed", answeredAt: at(2_000), disconnectedBy: "client" };
      outcome = "abandoned";
      exit = "to-team|Transfer to team|";
      break;
    case 4: // nobody took it; the flow's no_answer path said goodbye
      call = { ...base, direction, status: "completed", answeredAt: at(2_000) };
      outcome = "missed";
      exit = "to-team|Transfer to team|no_answer";
      break;
    case 5: // an agent's outgoing call, picked up
      call = { ...base, direction, status: "completed", answeredAt: at(3_000), agentId: agent.id };
      outcome = "answered";
      break;
    default: // an outgoing call nobody picked up, or that the contact declined (still missed, not failed)
      call = { ...base, direction, status: i % 3 === 0 ? "rejected" : "missed", agentId: agent.id, disconnectedBy: i % 3 === 0 ? "client" : undefined };
      outcome = "missed";
  }
  if (i % 13 === 0 && kind === 0) {
    call.status = "rejected";
    call.error = "Calling is disabled for this organisation";
    code = "";
  }
  await db.call.create({ data: { ...(call as Prisma.CallUncheckedCreateInput), teamIds: teamId ? [teamId] : [] } });
  if (teamId) {
    await db.callTransfer.create({
      data: {
        callId: base.id,
        teamId,
        createdAt: transferAt,
        nodeId: "to-team",
        status: kind === 2 ? "accepted" : kind === 3 ? "cancelled" : "timed_out",
        acceptedById: kind === 2 ? agent.id : null,
        acceptedAt,
        endedAt: kind === 2 ? null : at(30_000),
        endReason: kind === 3 ? "caller_hung_up" : kind === 4 ? "timeout" : null,
      },
    });
  }
  if (exit) {
    const [nodeId, label, handle] = exit.split("|") as [string, string, string];
    await db.callStep.createMany({
      data: [
        { callId: base.id, seq: 1, nodeId: "welcome", nodeType: "greeting", label: "Welcome", handle: "default", enteredAt: at(1000) },
        { callId: base.id, seq: 2, nodeId, nodeType: "menu", label, handle: handle || null, enteredAt: at(5000) },
      ],
    });
  }
  if (endedAt) {
    // Talk time from the agent's pick-up (the accept, or the outgoing call's answer) to the end.
    const talk = outcome === "answered" ? Math.round((endedAt.getTime() - (acceptedAt ?? at(3_000)).getTime()) / 1000) : null;
    model.push({
      startedAt,
      direction,
      outcome,
      accountId,
      teamId: outcome === "answered" && kind === 5 ? null : teamId,
      agentId: outcome === "answered" ? agent.id : null,
      waitMs,
      handleSecs: talk,
      exit,
      code: outcome === "failed" ? code : null,
    });
  }
}

// 140 calls over five local days in São Paulo (UTC−3), 10:17 UTC + 53 min steps: some start
// before 03:00 UTC, i.e. on the previous local day.
const FIRST = Date.UTC(2026, 9, 5, 1, 17);
const startOf = (i: number) => new Date(FIRST + i * 53 * 60_000);

interface Report {
  filters: { from: string; to: string; grain: string };
  volume: { t: string; direction: string; outcome: string; calls: number }[];
  summary: {
    total: number;
    byOutcome: Record<Outcome, number>;
    waited: number;
    answerRate: number;
    abandonmentRate: number;
    avgWaitSecs: number;
    p90WaitSecs: number;
    avgHandleSecs: number;
  };
  heatmap: { weekday: number; hour: number; calls: number }[];
  handleByAgent: { id: string; calls: number; avgHandleSecs: number }[];
  handleByTeam: { id: string; calls: number; avgHandleSecs: number }[];
  topExits: { nodeId: string; label: string; handle: string; calls: number }[];
  errorCodes: { day: string; code: string; calls: number }[];
  serviceLevel: { id: string; targetPercent: number; targetSeconds: number; days: { day: string; waited: number; answeredWithin: number; met: boolean }[] }[];
}

async function report(params: Record<string, string>, cookie = admin): Promise<Report> {
  const res = await api(cookie, `/api/analytics?${new URLSearchParams(params)}`);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as Report;
}

const countBy = <T>(xs: T[], key: (x: T) => string) => xs.reduce((m, x) => m.set(key(x), (m.get(key(x)) ?? 0) + 1), new Map<string, number>());
const RANGE = { from: "2026-10-04", to: "2026-10-10" };

beforeAll(async () => {
  const org = await createOrg(db, { name: "Analytics org" });
  orgId = org.id;
  await db.organization.update({ where: { id: orgId }, data: { timeZone: TZ } });
  const [adm, a1, a2] = await Promise.all([
    createUser(db, orgId, { role: "admin", name: "Ana Admin", password: PASSWORD }),
    createUser(db, orgId, { role: "agent", name: "Bea Agent", password: PASSWORD }),
    createUser(db, orgId, { role: "agent", name: "Caio Agent", password: PASSWORD }),
  ]);
  agents = [a1, a2].map((a) => ({ id: a.id, name: a.name }));
  accounts = [(await createAccount(db, orgId, { name: "Line A" })).id, (await createAccount(db, orgId, { name: "Line B" })).id];
  teams = [(await createTeam(db, orgId, "Sales", [a1.id, a2.id])).id, (await createTeam(db, orgId, "Support", [a2.id])).id];
  await db.team.update({ where: { id: teams[1] }, data: { slPercent: 50, slSeconds: 15 } });
  // Another organisation's calls on the same days must never show.
  const other = await createOrg(db, { name: "Other analytics org" });
  const otherAcct = await createAccount(db, other.id, { name: "Other line" });
  await db.call.create({
    data: {
      orgId: other.id,
      accountId: otherAcct.id,
      waCallId: "wacid.analytics.other",
      direction: "incoming",
      status: "completed",
      callerPhone: "1555",
      startedAt: startOf(3),
      endedAt: startOf(4),
    },
  });
  await refreshOrgRollup(other.id, { full: true });
  for (let i = 0; i < 140; i++) await addCall(i, startOf(i));
  await addCall(2, startOf(50), { endedAt: null }); // still in progress: not counted yet
  // A full build: these calls "ended" weeks ago, so should a workers process of another suite have run its
  // scheduled rollup over this new organisation before they were inserted, an incremental one would skip them.
  await refreshOrgRollup(orgId, { full: true });
  [admin, agentCookie] = await Promise.all([signIn(adm.email, PASSWORD), signIn(a1.email, PASSWORD)]);
});
afterAll(() => db.$disconnect());

function expectSummary(r: Report, calls: Model[]) {
  const by = countBy(calls, (c) => c.outcome);
  const n = (o: Outcome) => by.get(o) ?? 0;
  // The rates count calls that waited for a team, as the page says: incoming ones (an agent's
  // outgoing call waits for no team, picked up or not).
  const incoming = countBy(
    calls.filter((c) => c.direction === "incoming"),
    (c) => c.outcome,
  );
  const inc = (o: Outcome) => incoming.get(o) ?? 0;
  const waited = inc("answered") + inc("abandoned") + inc("missed");
  expect(r.summary.total).toBe(calls.length);
  expect(r.summary.byOutcome).toEqual({ answered: n("answered"), ivr: n("ivr"), abandoned: n("abandoned"), missed: n("missed"), failed: n("failed") });
  expect(r.summary.waited).toBe(waited);
  expect(r.summary.answerRate).toBeCloseTo(inc("answered") / waited, 10);
  expect(r.summary.abandonmentRate).toBeCloseTo(inc("abandoned") / waited, 10);
  const waits = calls.filter((c) => c.waitMs !== null && c.outcome === "answered").map((c) => c.waitMs!);
  expect(r.summary.avgWaitSecs).toBeCloseTo(waits.reduce((a, b) => a + b, 0) / waits.length / 1000, 2);
  // p90 is read from 1-second buckets (below two minutes): the bucket holding the exact p90.
  expect(r.summary.p90WaitSecs).toBe(Math.floor(nearestRank(waits, 0.9) / 1000) + 1);
  const handles = calls.filter((c) => c.handleSecs !== null).map((c) => c.handleSecs!);
  expect(r.summary.avgHandleSecs).toBeCloseTo(handles.reduce((a, b) => a + b, 0) / handles.length, 6);
}

describe("analytics API against independently computed numbers", () => {
  it("counts, rates, wait and handle times for the whole range", async () => {
    const r = await report(RANGE);
    expect(model.length).toBe(140);
    expectSummary(r, model);
    expect(r.summary.byOutcome.answered).toBeGreaterThan(20);
    expect(r.summary.byOutcome.abandoned).toBeGreaterThan(10);
  });

  it("calls per day and per hour by direction and outcome, in the organisation's days", async () => {
    const r = await report(RANGE);
    expect(r.filters.grain).toBe("day");
    const expected = countBy(model, (c) => `${localParts(c.startedAt).day}|${c.direction}|${c.outcome}`);
    expect(new Map(r.volume.map((v) => [`${v.t}|${v.direction}|${v.outcome}`, v.calls]))).toEqual(expected);
    // The first calls start at 01:17 UTC on 5 Oct: 22:17 on 4 Oct in São Paulo.
    expect(r.volume.some((v) => v.t === "2026-10-04")).toBe(true);
    const day = "2026-10-06";
    const hourly = await report({ from: day, to: day });
    expect(hourly.filters.grain).toBe("hour");
    const inDay = model.filter((c) => localParts(c.startedAt).day === day);
    const expHourly = countBy(inDay, (c) => `${day} ${String(localParts(c.startedAt).hour).padStart(2, "0")}:00|${c.direction}|${c.outcome}`);
    expect(new Map(hourly.volume.map((v) => [`${v.t}|${v.direction}|${v.outcome}`, v.calls]))).toEqual(expHourly);
  });

  it("filters by account and team, and the heat map, exits, error codes and handle times agree", async () => {
    const byAccount = model.filter((c) => c.accountId === accounts[1]);
    expectSummary(await report({ ...RANGE, account: accounts[1]! }), byAccount);
    const byTeam = model.filter((c) => c.teamId === teams[0]);
    expectSummary(await report({ ...RANGE, team: teams[0]! }), byTeam);

    const r = await report(RANGE);
    const heat = countBy(model, (c) => `${localParts(c.startedAt).weekday}|${localParts(c.startedAt).hour}`);
    expect(new Map(r.heatmap.map((h) => [`${h.weekday}|${h.hour}`, h.calls]))).toEqual(heat);
    const exits = countBy(
      model.filter((c) => c.exit),
      (c) => c.exit!,
    );
    expect(r.topExits.map((e) => [`${e.nodeId}|${e.label}|${e.handle}`, e.calls])).toEqual(
      [...exits].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 10),
    );
    const errs = countBy(
      model.filter((c) => c.outcome === "failed"),
      (c) => `${localParts(c.startedAt).day}|${c.code}`,
    );
    expect(new Map(r.errorCodes.map((e) => [`${e.day}|${e.code}`, e.calls]))).toEqual(errs);
    for (const a of agents) {
      const mine = model.filter((c) => c.agentId === a.id && c.handleSecs !== null);
      const row = r.handleByAgent.find((x) => x.id === a.id)!;
      expect(row.calls).toBe(mine.length);
      expect(row.avgHandleSecs).toBeCloseTo(mine.reduce((s, c) => s + c.handleSecs!, 0) / mine.length, 6);
    }
    for (const t of teams) {
      const mine = model.filter((c) => c.teamId === t && c.handleSecs !== null);
      expect(r.handleByTeam.find((x) => x.id === t)?.calls).toBe(mine.length);
    }
  });

  it("service level per team and day against each team's own target", async () => {
    const r = await report(RANGE);
    for (const [t, target] of [
      [teams[0]!, { pct: 80, secs: 20 }],
      [teams[1]!, { pct: 50, secs: 15 }],
    ] as const) {
      const sl = r.serviceLevel.find((s) => s.id === t)!;
      expect([sl.targetPercent, sl.targetSeconds]).toEqual([target.pct, target.secs]);
      const mine = model.filter((c) => c.teamId === t && ["answered", "abandoned", "missed"].includes(c.outcome));
      const days = [...new Set(mine.map((c) => localParts(c.startedAt).day))].sort();
      expect(sl.days.map((d) => d.day)).toEqual(days);
      for (const d of sl.days) {
        const that = mine.filter((c) => localParts(c.startedAt).day === d.day);
        const within = that.filter((c) => c.outcome === "answered" && c.waitMs! < target.secs * 1000).length;
        expect([d.waited, d.answeredWithin, d.met], `${t} ${d.day}`).toEqual([that.length, within, (within / that.length) * 100 >= target.pct]);
      }
    }
  });

  it("the incremental refresh picks up calls that ended since the last run, on their own days", async () => {
    const before = (await report(RANGE)).summary.total;
    // Calls of earlier days that end now (late-closed calls land on the day they started).
    for (let i = 140; i < 147; i++) await addCall(i, startOf(i - 100), { endedAt: new Date() });
    expect((await report(RANGE)).summary.total).toBe(before);
    const r = await refreshOrgRollup(orgId);
    expect(r.full).toBe(false);
    expect(r.days).toBeGreaterThan(0);
    expectSummary(await report(RANGE), model);
  });

  it("takes each team's target from the Teams page's PATCH, and refuses targets out of range", async () => {
    const patch = (json: unknown) => api(admin, `/api/teams/${teams[0]}`, { method: "PATCH", json });
    expect((await patch({ slPercent: 0 })).status).toBe(422);
    expect((await patch({ slSeconds: 121 })).status).toBe(422);
    expect((await patch({})).status).toBe(422);
    const res = await patch({ slPercent: 60, slSeconds: 30 });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ slPercent: 60, slSeconds: 30 });
    const sl = (await report(RANGE)).serviceLevel.find((s) => s.id === teams[0])!;
    expect([sl.targetPercent, sl.targetSeconds]).toEqual([60, 30]);
    const mine = model.filter((c) => c.teamId === teams[0] && ["answered", "abandoned", "missed"].includes(c.outcome));
    for (const d of sl.days) {
      const within = mine.filter((c) => localParts(c.startedAt).day === d.day && c.outcome === "answered" && c.waitMs! < 30_000).length;
      expect(d.answeredWithin).toBe(within);
    }
    expect((await api(agentCookie, `/api/teams/${teams[0]}`, { method: "PATCH", json: { slPercent: 10 } })).status).toBe(403);
  });

  it("is for admins only, answers bad filters with 422 and shows nothing of other organisations", async () => {
    expect((await api(agentCookie, "/api/analytics")).status).toBe(403);
    expect((await api(null, "/api/analytics")).status).toBe(401);
    const bad = await api(admin, "/api/analytics?from=2026-13-01");
    expect(bad.status).toBe(422);
    expect((await api(admin, "/api/analytics?from=2026-10-09&to=2026-10-01")).status).toBe(422);
    const none = await report({ from: "2026-10-04", to: "2026-10-04", account: "someone-elses-account" });
    expect(none.summary.total).toBe(0);
  });
});
