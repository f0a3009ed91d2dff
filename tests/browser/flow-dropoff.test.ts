// The drop-off view on the flow canvas: for a date range, how many calls reached each node and
// left by each handle, counted from the call log's path steps and drawn on nodes and edges.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAccount, createFlow, createOrg, createTeam, createUser } from "../../lib/seed/factories";
import { launchBrowser, screenshot, signInWithBrowser } from "../helpers/browser";
import { api, signIn, WEB_URL } from "../helpers/http-session";
import { testDb as db } from "../helpers/test-db";

const PASSWORD = "dropoff-pass-123";
const DAY = 86_400_000;
let browser: Browser;
let admin: { email: string };
let agent: { email: string };
let flowId: string;
let otherFlowId: string;

/** One call through `path` ([node, handle taken, or null where it ended]), `daysAgo` days ago. */
async function callThrough(orgId: string, accountId: string, fid: string, daysAgo: number, path: [string, string | null][]) {
  const start = new Date(Date.now() - daysAgo * DAY - 60_000);
  await db.call.create({
    data: {
      orgId,
      accountId,
      flowId: fid,
      waCallId: `wacid.dropoff-${Math.random().toString(36).slice(2)}`,
      direction: "incoming",
      status: "completed",
      callerPhone: "5511900001111",
      startedAt: start,
      endedAt: new Date(start.getTime() + 30_000),
      steps: {
        create: path.map(([nodeId, handle], seq) => ({
          seq,
          flowId: fid,
          nodeId,
          nodeType: "greeting",
          label: nodeId,
          handle,
          enteredAt: new Date(start.getTime() + seq * 1000),
        })),
      },
    },
  });
}

beforeAll(async () => {
  const org = await createOrg(db, { name: "Drop-off Org" });
  admin = await createUser(db, org.id, { role: "admin", password: PASSWORD });
  agent = await createUser(db, org.id, { role: "agent", password: PASSWORD });
  const team = await createTeam(db, org.id, "Sales");
  const account = await createAccount(db, org.id, { name: "Main line" });
  flowId = (await createFlow(db, org.id, { name: "Main menu", teamId: team.id, accountId: account.id })).id;
  const entry: [string, string | null][] = [
    ["welcome", "default"],
    ["hours", "in_hours"],
  ];
  for (let i = 0; i < 6; i++) await callThrough(org.id, account.id, flowId, i % 3, [...entry, ["main-menu", "digit:1"], ["sales", null]]);
  // A transfer nobody took: the transfer step has no handle, then no_answer leads to the goodbye.
  await callThrough(org.id, account.id, flowId, 1, [...entry, ["main-menu", "digit:1"], ["sales", null], ["sales", "no_answer"], ["goodbye", null]]);
  for (let i = 0; i < 3; i++)
    await callThrough(org.id, account.id, flowId, 1, [...entry, ["main-menu", "digit:2"], ["order", "default"], ["lookup", "default"], ["goodbye", null]]);
  await callThrough(org.id, account.id, flowId, 2, [
    ["welcome", "default"],
    ["hours", "out_of_hours"],
    ["closed", null],
  ]);
  // Outside the default 30 days: counted only when the range includes them.
  for (let i = 0; i < 2; i++)
    await callThrough(org.id, account.id, flowId, 60, [...entry, ["main-menu", "timeout"], ["main-menu", "digit:1"], ["sales", null]]);
  const other = await createOrg(db, { name: "Other Drop-off Org" });
  otherFlowId = (await createFlow(db, other.id, { name: "Theirs" })).id;
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await db.$disconnect();
});

describe("flow drop-off", () => {
  it("counts calls per node and per handle for a date range, scoped to the organisation", async () => {
    const cookie = await signIn(admin.email, PASSWORD);
    const recent = await (await api(cookie, `/api/flows/${flowId}/dropoff`)).json();
    expect(recent).toMatchObject({
      calls: 11,
      nodes: {
        welcome: { reached: 11, ended: 0 },
        "main-menu": { reached: 10, ended: 0 },
        // The timed-out transfer reached Sales but ended at the goodbye.
        sales: { reached: 7, ended: 6 },
        closed: { reached: 1, ended: 1 },
        goodbye: { reached: 4, ended: 4 },
      },
      handles: {
        "welcome|default": 11,
        "hours|in_hours": 10,
        "hours|out_of_hours": 1,
        "main-menu|digit:1": 7,
        "main-menu|digit:2": 3,
        "lookup|default": 3,
        "sales|no_answer": 1,
      },
    });
    const from = new Date(Date.now() - 90 * DAY).toISOString().slice(0, 10);
    const all = await (await api(cookie, `/api/flows/${flowId}/dropoff?from=${from}`)).json();
    // Two more calls, each visiting the menu twice: 12 calls reached it, by 14 exits.
    expect(all).toMatchObject({ calls: 13, nodes: { "main-menu": { reached: 12 } }, handles: { "main-menu|digit:1": 9, "main-menu|timeout": 2 } });

    expect((await api(cookie, `/api/flows/${otherFlowId}/dropoff`)).status).toBe(404);
    const bad = await api(cookie, `/api/flows/${flowId}/dropoff?from=2026-13-45x`);
    expect(bad.status).toBe(422);
    const reversed = await api(cookie, `/api/flows/${flowId}/dropoff?from=2026-05-02&to=2026-05-01`);
    expect(reversed.status).toBe(400);
    expect((await reversed.json()).error.message).toBe("The start date must not be after the end date");
    expect((await api(await signIn(agent.email, PASSWORD), `/api/flows/${flowId}/dropoff`)).status).toBe(403);
  });

  it("draws the numbers on the canvas when the admin opens Drop-off", async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await signInWithBrowser(page, admin.email, PASSWORD);
    await page.goto(`${WEB_URL}/flows/${flowId}`);
    await page.getByRole("button", { name: "Drop-off" }).click();
    await expect.poll(() => page.getByRole("region", { name: "Drop-off" }).getByRole("status").textContent()).toMatch(/^11 calls entered this flow/);
    expect(await page.getByTestId("dropoff-main-menu").textContent()).toBe("10 calls reached");
    expect(await page.getByTestId("dropoff-sales").textContent()).toBe("7 calls reached · 6 ended here");
    // On the handle rows (always readable) and on the arrows.
    expect(await page.getByTestId("dropoff-main-menu-digit:1").textContent()).toBe("7");
    expect(await page.getByTestId("dropoff-main-menu-timeout").textContent()).toBe("0");
    const labels = await page.locator(".react-flow__edge-text").allTextContents();
    expect(labels).toEqual(expect.arrayContaining(["7 (70%)", "3 (30%)", "1 (9%)"]));
    await screenshot(page, "flow-dropoff");
    // A wider range: the older calls join in.
    await page
      .getByRole("region", { name: "Drop-off" })
      .getByLabel("From")
      .fill(new Date(Date.now() - 90 * DAY).toISOString().slice(0, 10));
    await expect.poll(() => page.getByTestId("dropoff-main-menu").textContent()).toBe("12 calls reached");
    expect(await page.getByTestId("dropoff-main-menu-timeout").textContent()).toBe("2");
    await page.close();
  });
});
