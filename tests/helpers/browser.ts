// Headless Debian Chromium driven by playwright-core (no downloaded browsers).
import fs from "node:fs";
import path from "node:path";
import { type Browser, type BrowserContext, type BrowserContextOptions, chromium, type Locator, type Page } from "playwright-core";
import { expect } from "vitest";
import { WEB_URL } from "./http-session";

export const ARTIFACTS = path.resolve(import.meta.dirname, "../../artifacts/screenshots");

/** `extraArgs` adds Chromium switches, e.g. the fake microphone flags for call tests. */
export function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      ...extraArgs,
    ],
  });
}

export async function signInWithBrowser(page: Page, email: string, password: string) {
  await page.goto(`${WEB_URL}/login`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/calls/);
}

/** A signed-in session (its cookies) that new pages start from: `browser.newPage({ storageState })`. */
export type Session = Exclude<BrowserContextOptions["storageState"], string | undefined>;

/**
 * Signs in once through the login form and returns the session, so a file's later pages of the same
 * user open signed in instead of each going through the form again (admin-shell and
 * sign-in-redirect test the form itself).
 */
export async function signInOnce(browser: Browser, email: string, password: string): Promise<Session> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInWithBrowser(page, email, password);
  const session = await context.storageState();
  await context.close();
  return session;
}

/**
 * Waits until React has hydrated the element (its event handlers are attached): a file chosen for a
 * server-rendered input before that fires a change event nobody hears.
 */
export async function waitHydrated(locator: Locator): Promise<void> {
  await locator.waitFor({ state: "attached" });
  await expect.poll(() => locator.evaluate((el) => Object.keys(el).some((k) => k.startsWith("__reactProps$"))), { timeout: 10_000 }).toBe(true);
}

export async function screenshot(page: Page, name: string) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** Test-only instrumentation: keeps the pages' peer connections so a test can read their stats. */
export async function trackPeerConnections(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const Native = window.RTCPeerConnection;
    const w = window as unknown as { __pcs: RTCPeerConnection[] };
    w.__pcs = [];
    window.RTCPeerConnection = class extends Native {
      constructor(cfg?: RTCConfiguration) {
        super(cfg);
        w.__pcs.push(this);
      }
    } as typeof RTCPeerConnection;
  });
}

/** Audio packets the page's latest peer connection has received (needs trackPeerConnections). */
export function audioPacketsReceived(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const pcs = (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs;
    const pc = pcs[pcs.length - 1];
    if (!pc) return 0;
    let received = 0;
    (await pc.getStats()).forEach((s) => {
      if (s.type === "inbound-rtp" && s.kind === "audio") received += s.packetsReceived as number;
    });
    return received;
  });
}
