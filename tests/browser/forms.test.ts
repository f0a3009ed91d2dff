// Admin forms: errors beside their fields in plain words, success toasts, and a confirmation
// before calling is turned off for the whole organisation (with a banner while it is off).
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAccount, createOrg, createUser } from "../../lib/seed/factories";
import { launchBrowser, type Session, screenshot, signInOnce } from "../helpers/browser";
import { WEB_URL } from "../helpers/http-session";
import { testDb as db } from "../helpers/test-db";

const PASSWORD = "forms-pass-123";
let browser: Browser;
/** The admin, signed in once through the login form; each test's page opens with it. */
let session: Session;
let orgId: string;

beforeAll(async () => {
  const org = await createOrg(db, { name: "Forms Org" });
  orgId = org.id;
  const admin = await createUser(db, org.id, { role: "admin", password: PASSWORD });
  browser = await launchBrowser();
  session = await signInOnce(browser, admin.email, PASSWORD);
});

afterAll(async () => {
  await browser?.close();
  await db.$disconnect();
});

describe("admin forms", () => {
  it("shows each field's error beside it, in plain words, and a toast on success", async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, storageState: session });
    await page.goto(`${WEB_URL}/accounts`);
    const form = page.locator("form", { has: page.getByRole("heading", { name: "Connect a number" }) });
    await form.getByLabel("Phone number ID").fill("12");
    await form.getByLabel("Display phone").fill("+44 20 7946 0000");
    await form.getByRole("button", { name: "Connect number" }).click();
    // The message is tied to its input (aria-describedby) and says what to do, without field codes.
    const describedBy = async (label: string) => {
      const input = form.getByLabel(label, { exact: true });
      await expect.poll(() => input.getAttribute("aria-invalid")).toBe("true");
      const ids = (await input.getAttribute("aria-describedby"))!.split(" ");
      return (await Promise.all(ids.map((id) => page.locator(`[id="${id}"]`).textContent()))).join(" ");
    };
    expect(await describedBy("Name")).toContain("Name is required");
    expect(await describedBy("Phone number ID")).toContain("Phone number ID must be 5–20 digits");
    expect(await form.getByLabel("Display phone").getAttribute("aria-invalid")).toBeNull();
    expect(await form.textContent()).not.toMatch(/phoneNumberId|wabaId|name:/);
    expect(await db.whatsAppAccount.count({ where: { orgId } })).toBe(0);

    await page.goto(`${WEB_URL}/teams`);
    await page.getByRole("button", { name: "Add team" }).click();
    const name = page.getByLabel("New team");
    await expect.poll(() => name.getAttribute("aria-invalid")).toBe("true");
    expect(await page.getByText("Team name is required").count()).toBe(1);
    await name.fill("Night shift");
    await page.getByRole("button", { name: "Add team" }).click();
    await expect.poll(() => page.getByRole("status").filter({ hasText: "Team added." }).count()).toBe(1);
    await page.getByRole("region", { name: "Team Night shift" }).waitFor();
    expect(await name.inputValue()).toBe("");
    // A refusal from the server, then a mistake the form catches itself: only the new one shows.
    await name.fill("night shift");
    await page.getByRole("button", { name: "Add team" }).click();
    const addTeam = page.locator("form", { has: name });
    await expect
      .poll(() =>
        addTeam
          .getByRole("alert")
          .textContent()
          .catch(() => ""),
      )
      .toContain("already exists");
    await name.fill("N".repeat(100));
    await page.getByRole("button", { name: "Add team" }).click();
    await expect.poll(() => page.getByText("Keep the name to 80 characters or fewer").count()).toBe(1);
    expect(await page.getByText("already exists").count()).toBe(0);
    // A team is renamed where it is shown.
    const night = page.getByRole("region", { name: "Team Night shift" });
    await night.getByLabel("Team name").fill("Evening shift");
    await night.getByRole("button", { name: "Rename" }).click();
    await expect.poll(() => page.getByRole("status").filter({ hasText: "Team renamed to Evening shift." }).count()).toBe(1);
    await page.getByRole("region", { name: "Team Evening shift" }).waitFor();
    await screenshot(page, "teams-rename");
    await page.close();
  });

  it("names a renamed number by its new name in the saved toast", async () => {
    const account = await createAccount(db, orgId, { name: "Old line" });
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, storageState: session });
    await page.goto(`${WEB_URL}/accounts`);
    const form = page.locator("form", { has: page.locator('input[name="name"][value="Old line"]') });
    await form.getByLabel("Name", { exact: true }).fill("New line");
    await form.getByRole("button", { name: "Save changes" }).click();
    await expect.poll(() => page.getByRole("status").filter({ hasText: "New line saved." }).count()).toBe(1);
    expect((await db.whatsAppAccount.findUniqueOrThrow({ where: { id: account.id } })).name).toBe("New line");
    await db.whatsAppAccount.delete({ where: { id: account.id } });
    await page.close();
  });

  it("adds a person from the People page, with the first password's rule beside its field", async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, storageState: session });
    await page.goto(`${WEB_URL}/people`);
    await page.getByRole("link", { name: "People" }).waitFor();
    const form = page.locator("form", { has: page.getByRole("button", { name: "Add person" }) });
    await form.getByLabel("Name").fill("Ines Agent");
    await form.getByLabel("Email").fill("ines.forms@example.com");
    await form.getByLabel("First password").fill("short");
    await form.getByRole("button", { name: "Add person" }).click();
    await expect.poll(() => form.getByLabel("First password").getAttribute("aria-invalid")).toBe("true");
    expect(await form.textContent()).toContain("The first password needs at least 8 characters");
    await form.getByLabel("First password").fill("a-good-first-pass");
    await form.getByRole("button", { name: "Add person" }).click();
    await expect.poll(() => page.getByRole("status").filter({ hasText: "Person added." }).count()).toBe(1);
    const row = page.locator('[data-testid="person"][data-email="ines.forms@example.com"]');
    await row.waitFor();
    expect(await row.textContent()).toContain("In no team: add to one");
    expect(await row.getByLabel("Role of Ines Agent").inputValue()).toBe("agent");
    await screenshot(page, "people");
    await page.close();
  });

  it("asks before turning calling off and shows a banner while it is off", async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, storageState: session });
    await page.goto(`${WEB_URL}/settings/calling`);
    const banner = page.getByTestId("calling-off");
    expect(await banner.count()).toBe(0);
    await page.getByLabel("Calling enabled").uncheck();
    const asked: string[] = [];
    page.once("dialog", (d) => {
      asked.push(d.message());
      void d.dismiss();
    });
    await page.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => asked.length).toBe(1);
    expect(asked[0]).toContain("Turn calling off");
    expect((await db.organization.findUniqueOrThrow({ where: { id: orgId } })).callingEnabled).toBe(true);

    page.once("dialog", (d) => void d.accept());
    await page.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => banner.count()).toBe(1);
    expect(await banner.textContent()).toContain("incoming WhatsApp calls are rejected");
    expect((await db.organization.findUniqueOrThrow({ where: { id: orgId } })).callingEnabled).toBe(false);
    await page.goto(`${WEB_URL}/calls`);
    expect(await banner.count()).toBe(1);

    // Turning it back on needs no confirmation and the banner goes.
    await page.goto(`${WEB_URL}/settings/calling`);
    await page.getByLabel("Calling enabled").check();
    await page.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => banner.count()).toBe(0);
    await page.close();
  });
});
