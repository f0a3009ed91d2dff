// The analytics.rollup job: builds an organisation's rollup in its time zone, rebuilds everything
// when the zone changes, is idempotent, and afterwards only re-reads the days of calls that ended
// since its last run (a call that ends late lands on the day it started).
import { afterAll, describe, expect, it } from "vitest";
import { refreshOrgRollup } from "../../lib/analytics/rollup";
import { analyticsRollupJob } from "../../lib/jobs/analytics-rollup";
import { createAccount, createOrg } from "../../lib/seed/factories";
import { testDb as db } from "../helpers/test-db";

afterAll(() => db.$disconnect());

const perDay = async (orgId: string) =>
  Object.fromEntries(
    (
      await db.$queryRawUnsafe<{ day: string; n: number }[]>(
        "SELECT to_char(day, 'YYYY-MM-DD') AS day, sum(calls)::int AS n FROM call_stats_daily WHERE org_id = $1 GROUP BY 1 ORDER BY 1",
        orgId,
      )
    ).map((r) => [r.day, r.n]),
  );

describe("analytics rollup job", () => {
  it("follows the time zone, is idempotent and refreshes only touched days", async () => {
    const org = await createOrg(db, { name: "Rollup Org" });
    const account = await createAccount(db, org.id);
    let n = 0;
    const call = (startedAt: string, endedAt: Date | null) =>
      db.call.create({
        data: {
          orgId: org.id,
          accountId: account.id,
          waCallId: `wacid.rollup.${org.id}.${n++}`,
          direction: "incoming",
          status: endedAt ? "completed" : "answered",
          callerPhone: "5511900000000",
          startedAt: new Date(startedAt),
          answeredAt: new Date(startedAt),
          endedAt,
        },
      });
    await call("2026-03-10T20:30:00Z", new Date("2026-03-10T20:31:00Z"));
    await call("2026-03-11T01:30:00Z", new Date("2026-03-11T01:31:00Z")); // 10 Mar, 22:30 in São Paulo
    await call("2026-03-10T12:00:00Z", null); // still in progress

    await analyticsRollupJob.handle({}, { storage: undefined as never, progress: async () => {} });
    expect(await perDay(org.id)).toEqual({ "2026-03-10": 1, "2026-03-11": 1 });

    await db.organization.update({ where: { id: org.id }, data: { timeZone: "America/Sao_Paulo" } });
    expect(await refreshOrgRollup(org.id)).toEqual({ full: true, days: 0 });
    expect(await perDay(org.id)).toEqual({ "2026-03-10": 2 });
    expect(await refreshOrgRollup(org.id)).toEqual({ full: false, days: 0 });
    expect(await perDay(org.id)).toEqual({ "2026-03-10": 2 });

    // The call in progress ends now: its start day is rebuilt, and only that day.
    await db.call.updateMany({ where: { orgId: org.id, endedAt: null }, data: { status: "completed", endedAt: new Date() } });
    expect(await refreshOrgRollup(org.id)).toEqual({ full: false, days: 1 });
    expect(await perDay(org.id)).toEqual({ "2026-03-10": 3 });
    const hours = await db.$queryRawUnsafe<{ h: string; n: number }[]>(
      "SELECT to_char(bucket, 'HH24') AS h, sum(calls)::int AS n FROM call_stats_hourly WHERE org_id = $1 GROUP BY 1 ORDER BY 1",
      org.id,
    );
    expect(hours).toEqual([
      { h: "09", n: 1 },
      { h: "17", n: 1 },
      { h: "22", n: 1 },
    ]);
  });
});
