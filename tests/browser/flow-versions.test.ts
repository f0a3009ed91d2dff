// Versions: publish makes a numbered version with its author; compare shows what changed on the
// canvas; rollback publishes an old version as the newest; the call log links to the version it ran.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAccount, createFlow, createOrg, createTeam, createUser } from "../../lib/seed/factories";
import { launchBrowser, type Session, screenshot, signInOnce } from "../helpers/browser";
import { WEB_URL } from "../helpers/http-session";
import { testDb as db } from "../helpers/test-db";

const PASSWORD = "versions-pass-123";
let browser: Browser;
/** The admin, signed in once through the login form; each test's page opens with it. */
let session: Session;
let flowId: string;
let callId: string;

beforeAll(async () => {
  const org = await createOrg(db, { name: "Versions Org" });
  // Publish times read in the organisation's zone, as everywhere else.
  await db.organization.update({ where: { id: org.id }, data: { timeZone: "America/Sao_Paulo" } });
  const admin = await createUser(db, org.id, { role: "admin", password: PASSWORD, name: "Vera Admin" });
  const team = await createTeam(db, org.id, "Sales");
  const account = await createAccount(db, org.id, { name: "Main line" });
  flowId = (await createFlow(db, org.id, { name: "Main IVR", teamId: team.id, accountId: account.id })).id;
  callId = (
    await db.call.create({
      data: {
        orgId: org.id,
        accountId: account.id,
        waCallId: `wacid.v${Date.now()}`,
        direction: "incoming",
        status: "completed",
        callerPhone: "5511900001111",
        flowId,
        flowVersion: 1,
      },
    })
  ).id;
  browser = await launchBrowser();
  session = await signInOnce(browser, admin.email, PASSWORD);
});

afterAll(async () => {
  await browser?.close();
  await db.$disconnect();
});

describe("flow versions", () => {
  it("publishes a numbered version, shows the changes on the canvas and rolls back", async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, storageState: session });
    await page.goto(`${WEB_URL}/flows/${flowId}`);
    await page.locator(".react-flow__node", { hasText: "Welcome" }).first().locator("p").click();
    await page.getByRole("complementary", { name: "Node properties" }).getByLabel("Label").fill("Hello caller");
    // Saved but not published: the editor and the flow list say that callers still hear version 1.
    await page.keyboard.press("Control+s");
    await expect.poll(() => page.getByRole("status").filter({ hasText: "Draft saved." }).count()).toBe(1);
    const toolbar = page.getByText(/^published v\d/);
    expect(await toolbar.textContent()).toBe("published v1 · saved draft not published yet");
    await page.goto(`${WEB_URL}/flows`);
    const row = page.getByRole("row", { name: /Main IVR/ });
    expect(await row.textContent()).toContain("Draft not published");
    await page.goto(`${WEB_URL}/flows/${flowId}`);
    expect(await toolbar.textContent()).toBe("published v1 · saved draft not published yet");
    await page.getByRole("button", { name: "Publish" }).click();
    // Publishing waits until every TTS prompt is rendered by the workers (lib/flows/prompt-audio.ts).
    await expect.poll(() => page.getByRole("status").filter({ hasText: "Published version 2." }).count(), { timeout: 30_000 }).toBe(1);
    expect(await toolbar.textContent()).toBe("published v2");

    await page.getByRole("link", { name: "Versions" }).click();
    await page.waitForURL(/\/versions$/);
    const v2 = page.getByTestId("version-2");
    expect(await v2.textContent()).toContain("live");
    expect(await v2.textContent()).toContain("Vera Admin");
    expect(await v2.textContent()).toMatch(/\d{1,2} \w{3} \d{4}, \d{2}:\d{2}:\d{2} GMT-3/);
    expect(await page.getByTestId("version-1").textContent()).not.toContain("live");

    await page.getByRole("link", { name: "Compare version 2 with version 1" }).click();
    await page.waitForURL(/compare\?from=1&to=2/);
    const changes = page.getByRole("region", { name: "Changes" });
    expect(await changes.textContent()).toContain("Changed: Hello caller (label)");
    expect(await page.locator('[data-diff="changed"]').count()).toBe(1);
    expect(await page.locator('[data-diff="changed"]').textContent()).toContain("Hello caller");
    await expect.poll(() => page.locator(".react-flow__minimap-node").count()).toBeGreaterThan(0);
    await screenshot(page, "flow-versions-compare");

    await page.getByRole("link", { name: "All versions" }).click();
    page.once("dialog", (d) => void d.accept());
    await page.getByRole("button", { name: "Roll back to version 1" }).click();
    await expect.poll(() => page.getByTestId("version-3").count(), { timeout: 30_000 }).toBe(1);
    expect(await page.getByTestId("version-3").textContent()).toContain("live");
    const flow = await db.ivrFlow.findUniqueOrThrow({ where: { id: flowId }, select: { version: true, publishedDocument: true, draftDocument: true } });
    const v3 = await db.flowVersion.findUniqueOrThrow({
      where: { flowId_number: { flowId, number: 3 } },
      select: { document: true, publishedBy: { select: { name: true } } },
    });
    expect(flow.version).toBe(3);
    expect(flow.publishedDocument).toEqual(v3.document);
    expect(flow.draftDocument).toEqual(v3.document);
    expect(v3.publishedBy?.name).toBe("Vera Admin");
    const welcome = (flow.publishedDocument as { nodes: { id: string; label: string }[] }).nodes.find((n) => n.id === "welcome");
    expect(welcome?.label).toBe("Welcome");
    await page.close();
  });

  it("links a call to the version it ran, shown read-only", async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, storageState: session });
    await page.goto(`${WEB_URL}/calls/${callId}`);
    await page.getByRole("link", { name: "version 1" }).click();
    await page.waitForURL(new RegExp(`/flows/${flowId}/versions/1$`));
    await page.locator(".react-flow__node", { hasText: "Welcome" }).first().waitFor();
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toContain("version 1");
    expect(await page.locator(".react-flow__node", { hasText: "Sales team" }).first().textContent()).toContain("to Sales");
    await page.close();
  });
});
