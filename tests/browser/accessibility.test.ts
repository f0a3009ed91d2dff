// axe-core on the main screens (light and dark), keyboard order of the shell, and the screenshots
// of the editor, calls list and accounts form in both colour schemes at 1440 and 1024 px.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAccount, createFlow, createOrg, createTeam, createUser } from "../../lib/seed/factories";
import { seriousViolations } from "../helpers/axe";
import { launchBrowser, type Session, screenshot, signInOnce } from "../helpers/browser";
import { WEB_URL } from "../helpers/http-session";
import { testDb as db } from "../helpers/test-db";

const PASSWORD = "a11y-pass-123";
let browser: Browser;
/** The admin, signed in once through the login form; every admin page below opens with it. */
let session: Session;
let flowId: string;

beforeAll(async () => {
  const org = await createOrg(db, { name: "A11y Org" });
  const admin = await createUser(db, org.id, { role: "admin", password: PASSWORD, name: "Alex Admin" });
  const team = await createTeam(db, org.id, "Sales");
  const account = await createAccount(db, org.id, { name: "Main line" });
  flowId = (await createFlow(db, org.id, { name: "Main IVR", accountId: account.id, teamId: team.id })).id;
  browser = await launchBrowser();
  session = await signInOnce(browser, admin.email, PASSWORD);
});

afterAll(async () => {
  await browser?.close();
  await db.$disconnect();
});

const PAGES: [string, string][] = [
  ["calls", "/calls"],
  ["flows", "/flows"],
  ["editor", ""],
  ["teams", "/teams"],
  ["accounts", "/accounts"],
  ["calling-settings", "/settings/calling"],
  ["profile", "/profile"],
  ["people", "/people"],
];

// Dark mode is CSS alone (prefers-color-scheme; no script reads it), so a loaded page is checked in
// both schemes by switching the emulated scheme rather than loading it again.
const SCHEMES = ["light", "dark"] as const;

async function open(page: Page, url: string) {
  await page.goto(`${WEB_URL}${url}`);
  await page.locator("main#content h1").first().waitFor();
}

describe("accessibility", () => {
  it("sign-in has no serious or critical axe violations, light or dark", async () => {
    const page = await browser.newPage();
    await page.goto(`${WEB_URL}/login`);
    await page.getByLabel("Email").waitFor();
    for (const colorScheme of SCHEMES) {
      await page.emulateMedia({ colorScheme });
      expect(await seriousViolations(page), colorScheme).toEqual([]);
    }
    await page.close();
  });

  it("admin pages have no serious or critical axe violations, light or dark", async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, storageState: session });
    for (const [name, url] of PAGES) {
      await open(page, url || `/flows/${flowId}`);
      if (name === "editor") await page.locator(".react-flow__node").first().waitFor();
      for (const colorScheme of SCHEMES) {
        await page.emulateMedia({ colorScheme });
        expect(await seriousViolations(page), `${name} (${colorScheme})`).toEqual([]);
      }
    }
    await page.close();
  });

  it("offers a skip link first and reaches sign-out only after the content", async () => {
    const page = await browser.newPage({ storageState: session });
    await open(page, "/teams");
    await page.keyboard.press("Tab");
    const skip = page.getByRole("link", { name: "Skip to content" });
    expect(await skip.evaluate((el) => el === document.activeElement)).toBe(true);
    const order = await page.evaluate(() => {
      const focusable = [...document.querySelectorAll<HTMLElement>("a[href], button, input, select, textarea")].filter((el) => !el.hasAttribute("disabled"));
      const signOut = focusable.findIndex((el) => el.textContent === "Sign out");
      const lastInMain = focusable.findLastIndex((el) => el.closest("main"));
      return { signOut, lastInMain };
    });
    expect(order.signOut).toBeGreaterThan(order.lastInMain);
    await skip.press("Enter");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("content");
    await page.close();
  });

  it("shows 404 and 403 inside the admin layout, with their status codes", async () => {
    const page = await browser.newPage({ storageState: session });
    for (const [path, heading, status] of [
      ["/calls/cnotacall000000000000000", "Call not found", 404],
      ["/flows/cnotaflow000000000000000", "Flow not found", 404],
      ["/forbidden", "Admins only", 403],
    ] as const) {
      const res = await page.goto(`${WEB_URL}${path}`);
      expect(res?.status(), path).toBe(status);
      await page.getByRole("heading", { name: heading }).waitFor();
      expect(await page.getByRole("navigation", { name: "Main" }).isVisible(), path).toBe(true);
    }
    await page.close();
  });

  it("takes screenshots of the editor, calls and accounts (light/dark, 1440/1024 px) without horizontal scrolling", async () => {
    for (const width of [1440, 1024]) {
      const page = await browser.newPage({ viewport: { width, height: 900 }, storageState: session });
      for (const [name, url] of [
        ["editor", `/flows/${flowId}`],
        ["calls", "/calls"],
        ["accounts", "/accounts"],
      ] as const) {
        await open(page, url);
        if (name === "editor") await page.locator(".react-flow__node").first().waitFor();
        for (const colorScheme of SCHEMES) {
          await page.emulateMedia({ colorScheme });
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
          expect(overflow, `${name} at ${width}px (${colorScheme}) scrolls sideways`).toBeLessThanOrEqual(0);
          await screenshot(page, `${name}-${colorScheme}-${width}`);
        }
      }
      await page.close();
    }
  });
});
