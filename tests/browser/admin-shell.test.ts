import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOrg, createUser } from "../../lib/seed/factories";
import { launchBrowser, screenshot, signInWithBrowser } from "../helpers/browser";
import { WEB_URL } from "../helpers/http-session";
import { testDb as db } from "../helpers/test-db";

const PASSWORD = "browser-pass-123";
let browser: Browser;
let admin: { email: string };
let agent: { email: string; name: string };

beforeAll(async () => {
  const org = await createOrg(db, { name: "Browser Org" });
  admin = await createUser(db, org.id, { role: "admin", name: "Ada Admin", password: PASSWORD });
  agent = await createUser(db, org.id, { role: "agent", name: "Gus Agent", password: PASSWORD });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await db.$disconnect();
});

describe("admin shell in a real browser", () => {
  it("shows a clear message for a wrong password", async () => {
    const page = await browser.newPage();
    await page.goto(`${WEB_URL}/login`);
    // Empty fields are named inline, like every other form's errors (not the browser's own bubbles).
    await page.getByRole("button", { name: "Sign in" }).click();
    expect(await page.locator("form").getByRole("alert").textContent()).toBe("Enter your email address.");
    expect(await page.evaluate(() => document.activeElement?.getAttribute("name"))).toBe("email");
    await page.getByLabel("Email").fill(admin.email);
    await page.getByRole("button", { name: "Sign in" }).click();
    expect(await page.locator("form").getByRole("alert").textContent()).toBe("Enter your password.");
    await page.getByLabel("Email").fill(admin.email);
    await page.getByLabel("Password").fill("wrong");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(() => page.getByText("Wrong email or password").count()).toBe(1);
    await page.close();
  });

  it("lets an admin sign in, see every section and build a team", async () => {
    const page = await browser.newPage();
    await signInWithBrowser(page, admin.email, PASSWORD);
    const nav = page.getByRole("navigation", { name: "Main" });
    for (const label of ["Calls", "IVR Flows", "Teams", "WhatsApp Accounts", "Organization › Calling"]) {
      expect(await nav.getByRole("link", { name: label }).count()).toBe(1);
    }
    await screenshot(page, "calls-empty");
    // In no team yet: Available would ring nothing, and the panel says so, with the way to the teams.
    const noTeam = page.getByTestId("no-team");
    expect(await noTeam.textContent()).toBe("You are in no team, so no incoming calls ring for you (Teams). You can still place calls.");
    expect(await noTeam.getByRole("link", { name: "Teams" }).getAttribute("href")).toBe("/teams");
    await nav.getByRole("link", { name: "Teams" }).click();
    await page.waitForURL(/\/teams/);
    await page.getByPlaceholder("e.g. Support").fill("Night shift");
    await page.getByRole("button", { name: "Add team" }).click();
    const team = page.getByRole("region", { name: "Team Night shift" });
    await team.waitFor();
    await team.getByLabel("Add member to Night shift").selectOption({ label: "Ada Admin (admin)" });
    await team.getByRole("button", { name: "Add member" }).click();
    await expect.poll(() => team.locator("li").count()).toBe(1);
    await screenshot(page, "teams");
    // In a team now: the note goes.
    await page.reload();
    expect(await page.getByTestId("no-team").count()).toBe(0);
    await nav.getByRole("link", { name: "Organization › Calling" }).click();
    await page.waitForURL(/\/settings\/calling/);
    await page.getByLabel("Calling enabled").uncheck();
    page.once("dialog", (d) => void d.accept()); // "Turn calling off for the whole organisation?"
    await page.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toContain("saved");
    const library = page.getByRole("region", { name: "Audio library" });
    await library.getByLabel("Name", { exact: true }).fill("Hold message");
    await library.getByLabel("Text to speak").fill("Thanks for holding. An agent will be with you shortly.");
    await library.getByRole("button", { name: "Create speech" }).click();
    await expect.poll(() => library.getByRole("button", { name: "Play Hold message" }).or(library.locator("audio")).count(), { timeout: 30_000 }).toBe(1);
    await screenshot(page, "calling-settings");
    const org = await db.membership.findFirstOrThrow({ where: { user: { email: admin.email } }, select: { org: true } });
    expect(org.org.callingEnabled).toBe(false);
    // Hold music is chosen from the library, not from the renders of flows' prompt text.
    const render = await db.audioAsset.create({
      data: { orgId: org.org.id, kind: "tts", name: "Prompt: Welcome to Acme", status: "ready", fromFlowText: true, storageKey: "none.ogg", durationMs: 1000 },
    });
    await page.reload();
    const holdChoices = () => page.getByLabel("Hold music").locator("option").allTextContents();
    expect(await holdChoices()).toEqual(["Default hold music", "Hold message"]);
    // …unless one is the hold music already: the current choice stays on the list.
    await db.organization.update({ where: { id: org.org.id }, data: { holdMusicAssetId: render.id } });
    await page.reload();
    expect(await holdChoices()).toEqual(["Default hold music", "Hold message", "Prompt: Welcome to Acme"]);
    await db.organization.update({ where: { id: org.org.id }, data: { holdMusicAssetId: null } });

    // Deleting the hold music is refused, and said before any "This cannot be undone" question.
    const speech = await db.audioAsset.findFirstOrThrow({ where: { orgId: org.org.id, name: "Hold message" } });
    await db.organization.update({ where: { id: org.org.id }, data: { holdMusicAssetId: speech.id } });
    const asked: string[] = [];
    const answer = (d: import("playwright-core").Dialog) => {
      asked.push(d.message());
      void d.accept();
    };
    page.on("dialog", answer);
    await library.getByRole("button", { name: "Delete Hold message" }).click();
    await expect.poll(() => library.textContent()).toContain("“Hold message” is the organisation's hold music. Choose other hold music first.");
    expect(asked).toEqual([]);
    await db.organization.update({ where: { id: org.org.id }, data: { holdMusicAssetId: null } });
    await library.getByRole("button", { name: "Delete Hold message" }).click();
    await expect.poll(() => db.audioAsset.count({ where: { id: speech.id } })).toBe(0);
    expect(asked).toEqual(["Delete “Hold message”? This cannot be undone."]);
    page.off("dialog", answer);
    await page.close();
  });

  it("fits a phone: one column, the menu behind a button that says where you are", async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await signInWithBrowser(page, admin.email, PASSWORD);
    await page.goto(`${WEB_URL}/people`);
    const menu = page.getByRole("button", { name: /^Menu/ });
    expect(await menu.textContent()).toContain("Menu · People");
    const nav = page.getByRole("navigation", { name: "Main" });
    expect(await nav.getByRole("link", { name: "Teams" }).isVisible()).toBe(false);
    // The page's content gets the screen's width (less padding), not what a sidebar leaves over.
    const main = await page.locator("main#content").boundingBox();
    expect(main!.width).toBeGreaterThanOrEqual(380);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    // The people table scrolls inside its card rather than crushing names to a few letters a line.
    const nameCell = await page.getByTestId("person").first().locator("td").first().boundingBox();
    expect(nameCell!.width).toBeGreaterThanOrEqual(150);
    // Availability stays at hand without opening the menu.
    expect(await page.getByLabel("Availability").isVisible()).toBe(true);
    await screenshot(page, "phone-people");
    await menu.click();
    expect(await menu.getAttribute("aria-expanded")).toBe("true");
    await nav.getByRole("link", { name: "Teams" }).click();
    await page.waitForURL(/\/teams$/);
    await expect.poll(() => menu.textContent()).toContain("Menu · Teams");
    expect(await nav.getByRole("link", { name: "Calls" }).isVisible()).toBe(false);
    await page.close();
  });

  it("hides admin sections from agents and refuses direct visits", async () => {
    const page = await browser.newPage();
    await signInWithBrowser(page, agent.email, PASSWORD);
    const nav = page.getByRole("navigation", { name: "Main" });
    expect(await nav.getByRole("link", { name: "Teams" }).count()).toBe(0);
    await page.goto(`${WEB_URL}/flows`);
    await page.waitForURL(/\/forbidden/);
    expect(await page.getByRole("heading").textContent()).toContain("Admins only");
    await screenshot(page, "agent-forbidden");
    await page.close();
  });
});
