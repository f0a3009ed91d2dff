// A closed browser stops ringing in seconds: the call panel's beacon as a page unloads moves the
// agent's last heartbeat back so it goes stale in PAGE_LEFT_GRACE_MS, unless another page of theirs
// heartbeats. Closing one of two windows keeps the agent present; closing the last one does not.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { effectiveStatus } from "../../lib/agents/availability";
import { HEARTBEAT_STALE_MS, PAGE_LEFT_GRACE_MS } from "../../lib/agents/contract";
import { createOrg, createTeam, createUser } from "../../lib/seed/factories";
import { launchBrowser, signInWithBrowser } from "../helpers/browser";
import { WEB_URL } from "../helpers/http-session";
import { testDb as db } from "../helpers/test-db";

const PASSWORD = "presence-pass-1";
let browser: Browser;
let orgId: string;
let agent: { id: string; email: string };

beforeAll(async () => {
  orgId = (await createOrg(db, { name: "Presence Org" })).id;
  agent = await createUser(db, orgId, { role: "agent", name: "Pia Present", password: PASSWORD });
  await createTeam(db, orgId, "Sales", [agent.id]);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await db.$disconnect();
});

const membership = () =>
  db.membership.findUniqueOrThrow({ where: { orgId_userId: { orgId, userId: agent.id } }, select: { agentStatus: true, lastSeenAt: true } });

describe("agent presence", () => {
  it("keeps an agent with another window open available, and lets one who closed the last window go within seconds", async () => {
    const context = await browser.newContext();
    const first = await context.newPage();
    await signInWithBrowser(first, agent.email, PASSWORD);
    await first.getByLabel("Availability").selectOption("available");
    await expect.poll(async () => (await membership()).agentStatus).toBe("available");
    const second = await context.newPage();
    await second.goto(`${WEB_URL}/contacts`);
    await expect.poll(() => second.getByLabel("Availability").inputValue()).toBe("available");

    // One of two windows closes: the other heartbeats after the beacon, so the agent stays present.
    const firstClosed = Date.now();
    await first.close({ runBeforeUnload: true });
    await expect.poll(async () => (await membership()).lastSeenAt!.getTime(), { timeout: 10_000 }).toBeGreaterThan(firstClosed);
    expect(effectiveStatus(await membership())).toBe("available");

    // The last window closes: within the grace the agent reads offline, their choice kept for next time.
    const lastClosed = Date.now();
    await second.close({ runBeforeUnload: true });
    await expect
      .poll(async () => (await membership()).lastSeenAt!.getTime(), { timeout: 10_000 })
      .toBeLessThanOrEqual(lastClosed - HEARTBEAT_STALE_MS + PAGE_LEFT_GRACE_MS + 1_000);
    await expect.poll(async () => effectiveStatus(await membership()), { timeout: PAGE_LEFT_GRACE_MS + 5_000 }).toBe("offline");
    expect((await membership()).agentStatus).toBe("available");
    await context.close();
  });
});
