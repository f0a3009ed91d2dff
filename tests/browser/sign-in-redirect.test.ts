// After sign-in the browser follows only same-origin paths: deep links work, other sites never.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFlow, createOrg, createUser } from "../../lib/seed/factories";
import { postCredentials } from "../../tools/agent-sim/sign-in";
import { launchBrowser } from "../helpers/browser";
import { WEB_URL } from "../helpers/http-session";
import { testDb as db } from "../helpers/test-db";

const PASSWORD = "redirect-pass-123";
let browser: Browser;
let admin: { email: string };
let flowId: string;

beforeAll(async () => {
  const org = await createOrg(db, { name: "Redirect Org" });
  admin = await createUser(db, org.id, { role: "admin", password: PASSWORD });
  flowId = (await createFlow(db, org.id, { name: "Deep link flow" })).id;
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await db.$disconnect();
});

async function signInOn(page: Page) {
  await page.getByLabel("Email").fill(admin.email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** next-auth's own credentials endpoint, as a script would call it: where would it send us? */
async function serverRedirectFor(callbackUrl: string): Promise<string> {
  const { res } = await postCredentials(WEB_URL, { email: admin.email, password: PASSWORD, callbackUrl });
  return res.headers.get("location") ?? ((await res.json()) as { url: string }).url;
}

const OFF_SITE = ["https://evil.example/phish", "//evil.example", "/\\evil.example", "/\t/evil.example", "javascript:alert(1)", `${WEB_URL}.evil.example/`];

describe("where sign-in leads", () => {
  it("a deep link survives sign-in: /flows/<id> → /login → back to the flow", async () => {
    const page = await browser.newPage();
    await page.goto(`${WEB_URL}/flows/${flowId}`);
    await page.waitForURL(/\/login\?callbackUrl=/);
    expect(new URL(page.url()).searchParams.get("callbackUrl")).toBe(`/flows/${flowId}`);
    await signInOn(page);
    await page.waitForURL(`${WEB_URL}/flows/${flowId}`);
    await page.close();
  });

  it.each(OFF_SITE)("the login form never leaves the site for callbackUrl=%s", async (target) => {
    const page = await browser.newPage();
    await page.goto(`${WEB_URL}/login?callbackUrl=${encodeURIComponent(target)}`);
    await signInOn(page);
    await page.waitForURL(`${WEB_URL}/calls`);
    expect(new URL(page.url()).origin).toBe(WEB_URL);
    await page.close();
  });

  it("next-auth's redirect callback keeps paths and refuses other origins", async () => {
    expect(await serverRedirectFor(`/flows/${flowId}?tab=1`)).toBe(`${WEB_URL}/flows/${flowId}?tab=1`);
    expect(await serverRedirectFor(`${WEB_URL}/teams`)).toBe(`${WEB_URL}/teams`);
    for (const target of OFF_SITE) expect(await serverRedirectFor(target), target).toBe(`${WEB_URL}/calls`);
  });
});
