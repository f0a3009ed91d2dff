// "Name and password" (/profile) in a real browser, as an agent: the link in the account box, the
// new name in the sidebar at once, a wrong current password named beside its field, and a changed
// password that keeps this browser signed in and signs out another one.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOrg, createUser } from "../../lib/seed/factories";
import { launchBrowser, screenshot, signInWithBrowser } from "../helpers/browser";
import { WEB_URL } from "../helpers/http-session";
import { testDb as db } from "../helpers/test-db";

const PASSWORD = "profile-first-1";
let browser: Browser;
let agent: { id: string; email: string };
let orgId: string;

beforeAll(async () => {
  orgId = (await createOrg(db, { name: "Profile Page Org" })).id;
  agent = await createUser(db, orgId, { role: "agent", name: "Paula Before", password: PASSWORD });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await db.$disconnect();
});

describe("name and password page", () => {
  it("lets an agent rename themselves and change the password an admin gave them", { timeout: 60_000 }, async () => {
    const other = await browser.newContext();
    const otherPage = await other.newPage();
    await signInWithBrowser(otherPage, agent.email, PASSWORD);
    const context = await browser.newContext();
    const page = await context.newPage();
    await signInWithBrowser(page, agent.email, PASSWORD);

    const account = page.getByRole("region", { name: "Your account" });
    await account.getByRole("link", { name: "Name and password" }).click();
    await page.waitForURL(/\/profile$/);
    expect(await account.getByRole("link", { name: "Name and password" }).getAttribute("aria-current")).toBe("page");
    await page.getByLabel("Name", { exact: true }).fill("  Paula Pereira ");
    await page.getByRole("button", { name: "Save name" }).click();
    await expect.poll(() => page.getByRole("status").first().textContent()).toBe("Name saved: Paula Pereira.");
    await expect.poll(() => account.textContent()).toContain("Paula Pereira");
    // The field then shows the name as saved, not the spaces typed around it.
    await expect.poll(() => page.getByLabel("Name", { exact: true }).inputValue()).toBe("Paula Pereira");

    await page.getByLabel("Current password").fill("not-the-one");
    await page.getByLabel("New password").fill("profile-second-2");
    await page.getByRole("button", { name: "Change password" }).click();
    await page.getByText("The current password is not right").waitFor({ timeout: 10_000 });
    expect(await page.getByLabel("Current password").getAttribute("aria-invalid")).toBe("true");
    expect(await page.getByLabel("Current password").getAttribute("aria-describedby")).toBe(
      await page.getByText("The current password is not right").getAttribute("id"),
    );
    await screenshot(page, "profile-wrong-password");

    await page.getByLabel("Current password").fill(PASSWORD);
    await page.getByLabel("New password").fill("profile-second-2");
    await page.getByRole("button", { name: "Change password" }).click();
    await expect.poll(() => page.getByRole("status").last().textContent()).toBe("Password changed. Your other sessions are signed out.");
    expect(await page.getByLabel("Current password").inputValue()).toBe("");
    await screenshot(page, "profile-password-changed");

    // This browser is still signed in; the other one is sent to sign in again.
    await page.goto(`${WEB_URL}/calls`);
    expect(new URL(page.url()).pathname).toBe("/calls");
    // It is told why, and signing in again brings it back to the page it asked for.
    await otherPage.goto(`${WEB_URL}/contacts?q=ana`);
    const login = new URL(otherPage.url());
    expect(login.pathname).toBe("/login");
    expect(Object.fromEntries(login.searchParams)).toEqual({ callbackUrl: "/contacts?q=ana", ended: "1" });
    expect(await otherPage.getByRole("status").textContent()).toContain("You were signed out: your password was changed");
    await screenshot(otherPage, "login-session-ended");
    await otherPage.getByLabel("Email").fill(agent.email);
    await otherPage.getByLabel("Password").fill("profile-second-2");
    await otherPage.getByRole("button", { name: "Sign in" }).click();
    await otherPage.waitForURL(/\/contacts\?q=ana$/, { timeout: 15_000 });
    expect((await db.user.findUniqueOrThrow({ where: { id: agent.id } })).name).toBe("Paula Pereira");
    await other.close();
    await context.close();
  });

  it("lets an admin set a new password on People for someone who lost theirs", { timeout: 60_000 }, async () => {
    const admin = await createUser(db, orgId, { role: "admin", name: "Ada Admin", password: "admin-pass-123" });
    const lost = await createUser(db, orgId, { role: "agent", name: "Lou Lost", password: "lost-pass-123" });
    const typo = await createUser(db, orgId, { role: "agent", name: "Tim Typo" });
    const lostContext = await browser.newContext();
    const lostPage = await lostContext.newPage();
    await signInWithBrowser(lostPage, lost.email, "lost-pass-123");
    const context = await browser.newContext();
    const page = await context.newPage();
    await signInWithBrowser(page, admin.email, "admin-pass-123");
    await page.goto(`${WEB_URL}/people`);
    // A name typed wrong when they were added is put right here.
    const timRow = page.locator(`[data-testid=person][data-email="${typo.email}"]`);
    await timRow.getByText("Rename").click();
    await timRow.getByLabel("New name for Tim Typo").fill("Tim Tavares");
    await timRow.getByRole("button", { name: "Save name" }).click();
    await expect.poll(() => page.getByRole("status").last().textContent()).toBe("Renamed to Tim Tavares.");
    await expect.poll(() => timRow.locator("span.font-medium").textContent()).toBe("Tim Tavares");
    expect(await timRow.getByLabel(/^New name for/).isVisible()).toBe(false);
    expect((await db.user.findUniqueOrThrow({ where: { id: typo.id } })).name).toBe("Tim Tavares");
    const row = page.getByTestId("person").filter({ hasText: "Lou Lost" });
    await row.getByText("Set a password").click();
    const field = row.getByLabel("New password for Lou Lost");
    await field.fill("short");
    await row.getByRole("button", { name: "Set" }).click();
    await expect.poll(() => row.getByRole("alert").textContent()).toBe("The new password needs at least 8 characters");
    await field.fill("handed-over-9");
    await row.getByRole("button", { name: "Set" }).click();
    await expect.poll(() => page.getByRole("status").last().textContent()).toBe("New password set for Lou Lost; they are signed out everywhere.");
    // The disclosure opened for it closes again.
    expect(await field.isVisible()).toBe(false);
    // The admin's own row points to their own page instead.
    expect(await page.getByTestId("person").filter({ hasText: "Ada Admin" }).getByRole("link", { name: "Your password" }).count()).toBe(1);
    await screenshot(page, "people-set-password");
    // A long name without spaces (80 characters pass) wraps instead of pushing the table and the
    // account box off the page.
    await db.user.update({ where: { id: lost.id }, data: { name: "W".repeat(80) } });
    await db.user.update({ where: { id: admin.id }, data: { name: "A".repeat(80) } });
    await page.reload();
    await page.getByTestId("person").first().waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    const accountBox = await page.getByRole("region", { name: "Your account" }).boundingBox();
    const main = await page.locator("main#content").boundingBox();
    expect(accountBox!.x + accountBox!.width).toBeLessThanOrEqual(main!.x + 1);
    expect(await page.getByRole("region", { name: "Your account" }).evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    await screenshot(page, "people-long-names");
    // Lou's open page finds out at its next request (here: going available) and goes to sign in.
    await lostPage.getByLabel("Availability").selectOption("available");
    await lostPage.waitForURL(/\/login\?/, { timeout: 15_000 });
    expect(Object.fromEntries(new URL(lostPage.url()).searchParams)).toEqual({ callbackUrl: "/calls", ended: "1" });
    await signInWithBrowser(lostPage, lost.email, "handed-over-9");
    await lostContext.close();
    await context.close();
  });
});
