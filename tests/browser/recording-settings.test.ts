// Organization › Calling in a real browser: the recording toggle (and the note when the server has
// recording off), retention days with clear validation, and the organisation's time zone.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOrg, createUser } from "../../lib/seed/factories";
import { launchBrowser, screenshot, signInWithBrowser } from "../helpers/browser";
import { api, signIn } from "../helpers/http-session";
import { testDb as db } from "../helpers/test-db";

const PASSWORD = "recording-pass-123";
let browser: Browser;
let orgId: string;
let admin: { email: string };
let agent: { email: string };

beforeAll(async () => {
  orgId = (await createOrg(db, { name: "Recording Settings Org" })).id;
  admin = await createUser(db, orgId, { role: "admin", name: "Rae Admin", password: PASSWORD });
  agent = await createUser(db, orgId, { role: "agent", name: "Al Agent", password: PASSWORD });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await db.$disconnect();
});

const settings = () =>
  db.organization.findUniqueOrThrow({ where: { id: orgId }, select: { recordingEnabled: true, recordingRetentionDays: true, timeZone: true } });

describe("recording and time-zone settings", () => {
  it("lets an admin turn recording on, set retention and a time zone, with clear messages for bad values", async () => {
    const page = await browser.newPage();
    await signInWithBrowser(page, admin.email, PASSWORD);
    await page.goto(`${process.env.WEB_URL}/settings/calling`);
    // The test server runs with [calling] recording_enabled = false: the page says so.
    await expect.poll(() => page.getByRole("note").textContent()).toContain("Recording is switched off on this server");
    await page.getByLabel("Record calls with agents").check();
    const retention = page.getByLabel("Keep recordings for (days)");
    const save = page.getByRole("button", { name: "Save" });

    await retention.fill("0");
    await save.click();
    await expect.poll(() => page.locator("form").getByRole("alert").textContent()).toContain("at least 1 day");
    await retention.fill("5000");
    await save.click();
    await expect.poll(() => page.locator("form").getByRole("alert").textContent()).toContain("at most 3650 days");
    expect((await settings()).recordingEnabled).toBe(false);

    await retention.fill("30");
    await page.getByLabel("Time zone").selectOption("America/Sao_Paulo");
    await save.click();
    await expect.poll(() => page.getByRole("status").textContent()).toContain("saved");
    expect(await settings()).toEqual({ recordingEnabled: true, recordingRetentionDays: 30, timeZone: "America/Sao_Paulo" });
    await page.reload();
    expect(await page.getByLabel("Record calls with agents").isChecked()).toBe(true);
    expect(await retention.inputValue()).toBe("30");
    expect(await page.getByLabel("Time zone").inputValue()).toBe("America/Sao_Paulo");
    await screenshot(page, "settings-calling-recording");

    // Blank keeps recordings forever.
    await retention.fill("");
    await save.click();
    await expect.poll(async () => (await settings()).recordingRetentionDays).toBeNull();
    await page.close();
  });

  it("refuses unknown time zones and agents", async () => {
    const adminCookie = await signIn(admin.email, PASSWORD);
    const body = { callingEnabled: true, holdMusicAssetId: null, recordingEnabled: true, recordingRetentionDays: 7, timeZone: "Mars/Olympus_Mons" };
    const bad = await api(adminCookie, "/api/org/calling", { method: "PUT", json: body });
    expect(bad.status).toBe(422);
    expect((await bad.json()).error.message).toContain("Choose a time zone from the list");
    const ok = await api(adminCookie, "/api/org/calling", { method: "PUT", json: { ...body, timeZone: "UTC" } });
    expect(ok.status).toBe(200);
    const agentCookie = await signIn(agent.email, PASSWORD);
    const denied = await api(agentCookie, "/api/org/calling", { method: "PUT", json: { ...body, recordingEnabled: false } });
    expect(denied.status).toBe(403);
    expect((await settings()).recordingEnabled).toBe(true);
  });
});
