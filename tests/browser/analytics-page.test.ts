// The Analytics page in Chromium over a seeded call log (scripts/seed-calls.ts, 20,000 calls over
// two years): the filters land in the URL, every panel draws a chart, flips to a table and
// downloads its numbers as CSV; light and dark screenshots.
import fs from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { refreshOrgRollup } from "../../lib/analytics/rollup";
import { zonedYmd } from "../../lib/calls/time-zone";
import { type SeededCallLog, seedCalls } from "../../scripts/seed-calls";
import { launchBrowser, screenshot, signInWithBrowser } from "../helpers/browser";
import { WEB_URL } from "../helpers/http-session";
import { testDb as db } from "../helpers/test-db";

let seeded: SeededCallLog;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  seeded = await seedCalls(process.env.DATABASE_URL!, 20_000);
  // A full build: the workers' scheduled refresh may have built this org while the seed was still
  // writing, and an incremental refresh only looks at calls that ended since then (these are back-dated).
  await refreshOrgRollup(seeded.orgId, { full: true });
  browser = await launchBrowser();
  page = await (await browser.newContext({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true })).newPage();
  await signInWithBrowser(page, seeded.adminEmail, "scale-pass-1234");
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await db.$disconnect();
});

describe("analytics page", () => {
  it("draws every panel for the default range, keeps filters in the URL, and offers tables and CSV", async () => {
    await page.goto(`${WEB_URL}/analytics`);
    await page.getByRole("heading", { name: "Analytics" }).waitFor();
    const today = zonedYmd(new Date(), "America/Sao_Paulo");
    expect(await page.getByLabel("To", { exact: true }).inputValue()).toBe(today);
    const total = Number((await page.getByTestId("kpi-total").textContent())!.replaceAll(",", ""));
    expect(total).toBeGreaterThan(200);
    for (const id of ["volume", "outcomes", "heatmap", "handle-agents", "handle-teams", "exits", "errors", "service-level"]) {
      await expect.poll(() => page.getByTestId(`chart-${id}`).isVisible(), { message: id }).toBe(true);
    }
    // recharts drew bars in the volume chart.
    await expect.poll(() => page.locator('[data-testid="chart-volume"] .recharts-bar-rectangle').count()).toBeGreaterThan(10);
    await screenshot(page, "analytics-light");
    await page.emulateMedia({ colorScheme: "dark" });
    await screenshot(page, "analytics-dark");
    await page.emulateMedia({ colorScheme: "light" });

    // Filter by team and a shorter range: both land in the URL and the total shrinks.
    const team = await db.team.findFirstOrThrow({ where: { orgId: seeded.orgId, name: "Support" } });
    await page.locator('form[aria-label="Filter analytics"] select[name="team"]').selectOption(team.id);
    await page.getByLabel("From", { exact: true }).fill(zonedYmd(new Date(Date.now() - 13 * 86_400_000), "America/Sao_Paulo"));
    await page.getByRole("button", { name: "Apply filters" }).click();
    await page.waitForURL((u) => u.searchParams.get("team") === team.id && u.searchParams.has("from"));
    await expect.poll(async () => Number((await page.getByTestId("kpi-total").textContent())!.replaceAll(",", ""))).toBeLessThan(total);

    // The outcomes panel as a table, and its CSV.
    const outcomes = page.getByTestId("chart-outcomes");
    await outcomes.getByRole("button", { name: "Table" }).click();
    await expect.poll(() => outcomes.locator("tbody tr").count()).toBe(5);
    expect(await outcomes.locator("tbody").textContent()).toContain("Abandoned while waiting");
    const [download] = await Promise.all([page.waitForEvent("download"), outcomes.getByRole("button", { name: "CSV" }).click()]);
    expect(download.suggestedFilename()).toBe("outcomes.csv");
    const csv = fs.readFileSync((await download.path())!, "utf8");
    expect(csv.split("\r\n")[0]).toBe("outcome,calls");
    expect(csv).toContain("Answered by an agent,");

    // Back to the chart: each outcome's bar has its own colour, as in the volume chart.
    await outcomes.getByRole("button", { name: "Chart" }).click();
    await expect.poll(() => outcomes.locator(".recharts-bar-rectangle").count()).toBeGreaterThan(1);
    const fills = await outcomes.locator(".recharts-bar-rectangle path").evaluateAll((ps) => ps.map((p) => p.getAttribute("fill")));
    expect(new Set(fills).size).toBe(fills.length);

    // A team with no calls: the outcomes panel says so, as the others do, instead of empty axes.
    const quiet = await db.team.create({ data: { orgId: seeded.orgId, name: `Quiet ${Date.now()}` } });
    await page.goto(`${WEB_URL}/analytics?team=${quiet.id}`);
    await expect.poll(() => page.getByTestId("kpi-total").textContent()).toBe("0");
    expect(await page.getByTestId("chart-outcomes").textContent()).toContain("No calls in this range.");
  }, 120_000);
});
