// Business hours in the editor: several ranges per day and ranges past midnight, on a flow saved
// before split ranges existed (one { enabled, start, end } per day).
import fs from "node:fs";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFlow, createOrg, createUser } from "../../lib/seed/factories";
import { launchBrowser, screenshot, signInWithBrowser } from "../helpers/browser";
import { WEB_URL } from "../helpers/http-session";
import { testDb as db } from "../helpers/test-db";

const PASSWORD = "timing-pass-123";
let browser: Browser;
let email: string;
let flowId: string;

const oldWeek = Object.fromEntries(["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map((d, i) => [d, { enabled: i < 5, start: "09:00", end: "17:00" }]));
const hangup = (id: string, text: string) => ({ id, type: "hangup", label: id, position: { x: 0, y: 200 }, config: { prompt: { text } } });

beforeAll(async () => {
  const org = await createOrg(db, { name: "Timing Org" });
  email = (await createUser(db, org.id, { role: "admin", password: PASSWORD })).email;
  const document = {
    version: 1,
    entryNodeId: "hours",
    nodes: [
      { id: "hours", type: "timing", label: "Opening hours", position: { x: 0, y: 0 }, config: { timezone: "Europe/London", schedule: oldWeek } },
      hangup("Open", "We are open."),
      hangup("Closed", "We are closed."),
    ],
    edges: [
      { id: "e1", source: "hours", sourceHandle: "in_hours", target: "Open" },
      { id: "e2", source: "hours", sourceHandle: "out_of_hours", target: "Closed" },
    ],
  };
  flowId = (await createFlow(db, org.id, { name: "Hours", isCallStart: false, document })).id;
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await db.$disconnect();
});

describe("business hours fields", () => {
  it("adds a lunch break and an overnight range, and saves them as ranges", async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await signInWithBrowser(page, email, PASSWORD);
    await page.goto(`${WEB_URL}/flows/${flowId}`);
    await page.locator(".react-flow__node", { hasText: "Opening hours" }).first().locator("p").click();
    const panel = page.getByRole("complementary", { name: "Node properties" });
    await panel.waitFor();

    // Monday 09:00–12:30 and 13:30–18:00.
    await panel.getByLabel("Mon closes").fill("12:30");
    await panel.getByRole("button", { name: "Add a Mon range" }).click();
    await panel.getByLabel("Mon opens (range 2)").fill("13:30");
    await panel.getByLabel("Mon closes (range 2)").fill("18:00");
    // Saturday night 22:00 → Sunday 06:00.
    await panel.getByRole("checkbox", { name: "Sat" }).check();
    await panel.getByLabel("Sat opens").fill("22:00");
    await panel.getByLabel("Sat closes").fill("06:00");
    await expect.poll(() => panel.getByTitle("Closes the next day").count()).toBe(1);
    // A range added by mistake goes again.
    await panel.getByRole("button", { name: "Add a Tue range" }).click();
    await panel.getByRole("button", { name: "Remove Tue range 2" }).click();
    await expect.poll(() => page.getByRole("region", { name: "Problems" }).textContent()).toContain("No errors");

    fs.mkdirSync("/tmp/shots-h18", { recursive: true });
    await panel.screenshot({ path: path.join("/tmp/shots-h18", "timing-ranges.png") });
    await screenshot(page, "timing-ranges");

    await page.getByRole("button", { name: "Save" }).first().click();
    await expect
      .poll(async () => {
        const flow = await db.ivrFlow.findUniqueOrThrow({ where: { id: flowId }, select: { draftDocument: true } });
        const hours = (flow.draftDocument as { nodes: { id: string; config: { schedule: Record<string, unknown> } }[] }).nodes.find((n) => n.id === "hours")!;
        return hours.config.schedule;
      })
      .toMatchObject({
        mon: {
          enabled: true,
          ranges: [
            { start: "09:00", end: "12:30" },
            { start: "13:30", end: "18:00" },
          ],
        },
        tue: { enabled: true, ranges: [{ start: "09:00", end: "17:00" }] },
        sat: { enabled: true, ranges: [{ start: "22:00", end: "06:00" }] },
        wed: { enabled: true, start: "09:00", end: "17:00" }, // untouched days keep their old shape
      });
    await page.close();
  });
});
