// Uploading a prompt's audio from the flow editor: the file goes through the audio library's upload
// flow and the workers' transcode, the ready asset is selected in the node (an undoable edit that
// saves with the draft), and a file ffmpeg cannot read shows the reason beside the field.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOrg, createUser } from "../../lib/seed/factories";
import { seriousViolations } from "../helpers/axe";
import { launchBrowser, type Session, signInOnce } from "../helpers/browser";
import { WEB_URL } from "../helpers/http-session";
import { testDb as db } from "../helpers/test-db";

const PASSWORD = "upload-pass-123";
const SHOTS = "/tmp/shots-h17b";
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "editor-upload-"));
let browser: Browser;
/** The admin, signed in once through the login form; each test's page opens with it. */
let session: Session;
let orgId: string;

const DOC = {
  version: 1,
  entryNodeId: "hello",
  nodes: [
    { id: "hello", type: "greeting", label: "Welcome", position: { x: 0, y: 0 }, config: { prompt: { text: "Hello" }, interruptible: true } },
    { id: "bye", type: "hangup", label: "Goodbye", position: { x: 400, y: 0 }, config: {} },
  ],
  edges: [{ id: "e1", source: "hello", sourceHandle: "default", target: "bye" }],
};

beforeAll(async () => {
  const org = await createOrg(db, { name: "Editor Upload Org" });
  orgId = org.id;
  const admin = await createUser(db, org.id, { role: "admin", password: PASSWORD });
  browser = await launchBrowser();
  session = await signInOnce(browser, admin.email, PASSWORD);
  fs.mkdirSync(SHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await db.$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Opens a fresh flow and the Welcome greeting's properties; the panel. */
async function openGreeting(page: Page) {
  const flow = await db.ivrFlow.create({ data: { orgId, name: `Upload ${Date.now()}`, isCallStart: false, draftDocument: DOC } });
  await page.goto(`${WEB_URL}/flows/${flow.id}`);
  await page.locator(".react-flow__node", { hasText: "Welcome" }).locator("p").first().click();
  return { flowId: flow.id, panel: page.getByRole("complementary", { name: "Node properties" }) };
}

/** Holds the editor's first status poll until `release()`, so "Processing…" can be looked at. */
async function holdFirstPoll(page: Page) {
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  let first = true;
  await page.route(/\/api\/audio$/, async (route) => {
    if (route.request().method() === "GET" && first) {
      first = false;
      await held;
    }
    await route.continue();
  });
  return release;
}

describe("upload audio from a prompt in the flow editor", () => {
  it("uploads a WAV, shows Processing…, selects the ready file as an undoable edit and saves it", async () => {
    const wav = path.join(dir, "welcome-tone.wav");
    execFileSync("ffmpeg", ["-v", "error", "-y", "-f", "lavfi", "-i", "sine=frequency=440:duration=2", wav]);
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, storageState: session });
    const { flowId, panel } = await openGreeting(page);
    expect(await panel.getByLabel("Prompt text").inputValue()).toBe("Hello");
    const release = await holdFirstPoll(page);

    await panel.getByLabel("Upload an audio file for Prompt").setInputFiles(wav);
    await panel.getByRole("status").filter({ hasText: "Processing welcome-tone.wav…" }).waitFor();
    await page.screenshot({ path: `${SHOTS}/editor-upload-processing.png` });
    release();

    const picker = panel.getByLabel("Prompt audio file");
    await picker.waitFor({ timeout: 30_000 });
    const asset = await db.audioAsset.findFirstOrThrow({ where: { orgId, name: "welcome-tone" } });
    expect(asset.status).toBe("ready");
    expect(await picker.inputValue()).toBe(asset.id);
    expect(await panel.getByLabel("Prompt source").inputValue()).toBe("asset");
    // The node on the canvas names the file it plays.
    expect(await page.getByTestId("node-hello").textContent()).toContain("audio: welcome-tone");
    expect(await page.getByText("unsaved changes").count()).toBe(1);
    await page.screenshot({ path: `${SHOTS}/editor-upload-ready.png` });

    // One edit in the history: undo brings the spoken text back, redo the file.
    await page.getByRole("button", { name: "Undo", exact: true }).click();
    expect(await panel.getByLabel("Prompt text").inputValue()).toBe("Hello");
    await page.getByRole("button", { name: "Redo", exact: true }).click();
    expect(await panel.getByLabel("Prompt audio file").inputValue()).toBe(asset.id);

    await page.getByRole("button", { name: "Save", exact: true }).click();
    await expect.poll(() => page.getByText("unsaved changes").count()).toBe(0);
    const saved = await db.ivrFlow.findUniqueOrThrow({ where: { id: flowId } });
    const greeting = (saved.draftDocument as typeof DOC).nodes.find((n) => n.id === "hello");
    expect(greeting?.config.prompt).toEqual({ assetId: asset.id });

    // It is an ordinary library asset too.
    await page.goto(`${WEB_URL}/settings/calling`);
    const row = page.getByRole("listitem", { name: "welcome-tone" });
    await row.waitFor();
    expect(await row.getAttribute("data-status")).toBe("ready");
    await page.close();
  });

  it("marks a prompt whose audio file was deleted, on the node and in its picker, instead of showing another file as chosen", async () => {
    await db.audioAsset.create({ data: { orgId, kind: "upload", name: "Still here", status: "ready", storageKey: `orgs/${orgId}/audio/still.ogg` } });
    const missing = { ...DOC, nodes: DOC.nodes.map((n) => (n.id === "hello" ? { ...n, config: { prompt: { assetId: "deleted-asset" } } } : n)) };
    const flow = await db.ivrFlow.create({ data: { orgId, name: `Missing ${Date.now()}`, isCallStart: false, draftDocument: missing } });
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, storageState: session });
    await page.goto(`${WEB_URL}/flows/${flow.id}`);
    await page.locator(".react-flow__node", { hasText: "Welcome" }).locator("p").first().click();
    const panel = page.getByRole("complementary", { name: "Node properties" });
    const picker = panel.getByLabel("Prompt audio file");
    expect(await picker.inputValue()).toBe("deleted-asset");
    expect(await picker.locator("option:checked").textContent()).toBe("Missing audio file — choose another");
    expect(await panel.textContent()).toContain("its audio file is no longer in the audio library");
    await page.close();
  });

  it("offers an audio file added in another tab once the editor is back in view, keeping unsaved edits", async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, storageState: session });
    const { panel } = await openGreeting(page);
    await panel.getByLabel("Prompt text").fill("Hello there");
    await page.getByText("unsaved changes").waitFor();
    // The admin adds a file in the audio library in another tab, then comes back to the editor.
    const added = await db.audioAsset.create({
      data: { orgId, kind: "upload", name: "Added elsewhere", status: "ready", storageKey: `orgs/${orgId}/audio/elsewhere.ogg` },
    });
    await page.evaluate(() => window.dispatchEvent(new Event("focus")));
    await panel.getByLabel("Prompt source").selectOption("asset");
    const picker = panel.getByLabel("Prompt audio file");
    await expect.poll(() => picker.locator("option", { hasText: "Added elsewhere" }).count()).toBe(1);
    await picker.selectOption(added.id);
    expect(await page.getByTestId("node-hello").textContent()).toContain("audio: Added elsewhere");
    expect(await page.getByText("unsaved changes").count()).toBe(1);
    await page.close();
  });

  it("shows why a file that is not audio failed, beside the field, and leaves the prompt alone (dark mode)", async () => {
    const junk = path.join(dir, "broken.mp3");
    fs.writeFileSync(junk, "definitely not audio ".repeat(50));
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, colorScheme: "dark", storageState: session });
    const { panel } = await openGreeting(page);
    await panel.getByLabel("Upload an audio file for Prompt").setInputFiles(junk);
    const alert = panel.getByRole("alert");
    await alert.waitFor({ timeout: 30_000 });
    expect(await alert.textContent()).toBe("Upload failed: This is not an audio file ffmpeg can read (corrupt or unsupported format)");
    expect(await panel.getByLabel("Prompt text").inputValue()).toBe("Hello");
    expect(await page.getByText("unsaved changes").count()).toBe(0);
    await page.screenshot({ path: `${SHOTS}/editor-upload-failed-dark.png` });
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });
});
