// The editor as an admin meets it: undo/redo through the reducer, readable outputs, team names,
// auto-layout of a big flow, opening a wide flow at a readable size, the MiniMap, a banner that follows the flow, the unsaved-changes guard
// and an import of a file that is not a flow.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOrg, createTeam, createUser } from "../../lib/seed/factories";
import { chainFlowDocument } from "../../lib/seed/chain-flow";
import { launchBrowser, type Session, screenshot, signInOnce, waitHydrated } from "../helpers/browser";
import { canvasNode, connect, edgeCount, nodeCount } from "../helpers/flow-canvas";
import { WEB_URL } from "../helpers/http-session";
import { testDb as db } from "../helpers/test-db";

const PASSWORD = "polish-pass-123";
let browser: Browser;
/** The admin, signed in once through the login form; each test's page opens with it. */
let session: Session;
let orgId: string;
let teamId: string;

beforeAll(async () => {
  const org = await createOrg(db, { name: "Polish Org" });
  orgId = org.id;
  const admin = await createUser(db, org.id, { role: "admin", password: PASSWORD });
  teamId = (await createTeam(db, org.id, "Sales desk")).id;
  browser = await launchBrowser();
  session = await signInOnce(browser, admin.email, PASSWORD);
});

afterAll(async () => {
  await browser?.close();
  await db.$disconnect();
});

async function openFlow(page: Page, document: object, name = `Flow ${Date.now()}`) {
  const flow = await db.ivrFlow.create({ data: { orgId, name, isCallStart: false, draftDocument: document } });
  await page.goto(`${WEB_URL}/flows/${flow.id}`);
  await page.locator(".react-flow__pane").waitFor();
  return flow.id;
}

/** Canvas nodes whose boxes overlap another's, and how many nodes there are. */
function overlaps(page: Page) {
  return page.evaluate(() => {
    const boxes = [...document.querySelectorAll(".react-flow__node")].map((el) => el.getBoundingClientRect());
    let count = 0;
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i]!;
        const b = boxes[j]!;
        if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) count++;
      }
    }
    return { count, nodes: boxes.length };
  });
}

describe("flow editor polish", () => {
  it("undoes and redoes add, connect, edit and delete with the buttons and the keyboard", async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, storageState: session });
    await openFlow(page, { version: 1, entryNodeId: null, nodes: [], edges: [] });
    const pane = page.locator(".react-flow__pane");
    await page.locator('[data-palette="greeting"]').dragTo(pane, { targetPosition: { x: 150, y: 120 } });
    await page.locator('[data-palette="hangup"]').dragTo(pane, { targetPosition: { x: 600, y: 120 } });
    await expect.poll(() => nodeCount(page)).toBe(2);
    await connect(page, "Greeting", "default", "Hang up");
    await expect.poll(() => edgeCount(page)).toBe(1);
    await canvasNode(page, "Greeting").locator("p").click();
    await page.getByRole("complementary", { name: "Node properties" }).getByLabel("Label").fill("Welcome");
    await expect.poll(() => canvasNode(page, "Welcome").count()).toBe(1);
    await canvasNode(page, "Hang up").locator("p").click();
    await page.keyboard.press("Delete");
    await expect.poll(() => nodeCount(page)).toBe(1);
    await expect.poll(() => edgeCount(page)).toBe(0);

    const undo = page.getByRole("button", { name: "Undo", exact: true });
    await undo.click(); // delete
    await expect.poll(() => nodeCount(page)).toBe(2);
    await expect.poll(() => edgeCount(page)).toBe(1);
    await pane.click({ position: { x: 400, y: 400 } });
    await page.keyboard.press("Control+z"); // the label edit, typed as one fill
    await expect.poll(() => canvasNode(page, "Welcome").count()).toBe(0);
    await undo.click(); // connect
    await expect.poll(() => edgeCount(page)).toBe(0);
    await undo.click(); // second node
    await expect.poll(() => nodeCount(page)).toBe(1);
    await undo.click(); // first node
    await expect.poll(() => nodeCount(page)).toBe(0);
    expect(await undo.isDisabled()).toBe(true);
    expect(await page.getByText("unsaved changes").count()).toBe(0);

    const redo = page.getByRole("button", { name: "Redo", exact: true });
    for (let i = 0; i < 3; i++) await redo.click();
    await expect.poll(() => edgeCount(page)).toBe(1);
    await pane.click({ position: { x: 400, y: 400 } });
    await page.keyboard.press("Control+Shift+z");
    await redo.click();
    await expect.poll(() => nodeCount(page)).toBe(1);
    expect(await canvasNode(page, "Welcome").count()).toBe(1);
    expect(await redo.isDisabled()).toBe(true);
    await page.close();
  });

  it("names outputs in plain words, shows the team's name, and the banner follows the flow", async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, storageState: session });
    const doc = {
      version: 1,
      entryNodeId: "menu",
      nodes: [
        {
          id: "menu",
          type: "menu",
          label: "Main menu",
          position: { x: 0, y: 0 },
          config: { prompt: { text: "Press 1" }, options: [{ digit: "1", label: "Sales" }] },
        },
        { id: "sales", type: "transfer", label: "To sales", position: { x: 400, y: 0 }, config: { teamId } },
      ],
      edges: [{ id: "e1", source: "menu", sourceHandle: "digit:1", target: "sales" }],
    };
    await openFlow(page, doc);
    const menu = canvasNode(page, "Main menu");
    for (const [raw, words] of [
      ["digit:1", "Pressed 1 · Sales"],
      ["timeout", "No input"],
      ["max_retries", "Too many tries"],
      ["default", "Any other key"],
    ]) {
      expect(await menu.locator(`[data-handle-label="${raw}"]`).textContent()).toBe(words);
      expect(await menu.locator(`[data-handle-label="${raw}"]`).getAttribute("title")).toBe(raw);
    }
    expect(await canvasNode(page, "To sales").textContent()).toContain("to Sales desk");
    expect(await page.locator(".react-flow__minimap-node").count()).toBe(2);

    // Publishing with an error shows it; fixing the flow takes the stale message away.
    await page.getByRole("button", { name: "Publish" }).click();
    // (Next's route announcer is an empty alert of its own, hence the filter.)
    const alert = page.getByRole("alert").filter({ hasText: "before publishing" });
    await alert.waitFor();
    expect(await alert.textContent()).toContain("Draft saved, not published: Fix 1 error before publishing");
    // The problem names the output as the node on the canvas does.
    expect(await page.getByRole("region", { name: "Problems" }).textContent()).toContain("“Main menu”: connect “Too many tries”");
    await connect(page, "Main menu", "max_retries", "To sales");
    await expect.poll(() => alert.count()).toBe(0);
    expect(await page.getByRole("region", { name: "Problems" }).textContent()).toContain("No errors");
    await page.keyboard.press("Control+s");
    await expect.poll(() => page.getByRole("status").filter({ hasText: "Draft saved." }).count()).toBe(1);
    expect(await page.getByText("unsaved changes").count()).toBe(0);
    await page.close();
  });

  it("auto-layout leaves no overlapping nodes on the 300-node flow", async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, storageState: session });
    await openFlow(page, chainFlowDocument(300), "Big flow");
    await page.getByText("No errors").waitFor();
    await page.getByRole("button", { name: "Auto-layout" }).click();
    await page.getByText("unsaved changes").waitFor();
    await page.waitForTimeout(400); // the fit-view animation
    expect(await overlaps(page)).toEqual({ count: 0, nodes: 300 });
    await screenshot(page, "editor-auto-layout-300");
    await page.close();
  });

  it("opens a flow too wide for the screen at a readable size with its entry in view, and a small one whole", async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, storageState: session });
    // Twelve nodes in a row: fitted whole on this screen, their 12 px text would be about 3 px.
    await openFlow(page, chainFlowDocument(12), "Wide flow");
    const pane = (await page.locator(".react-flow").boundingBox())!;
    const entry = canvasNode(page, "Greeting 0");
    // Zoomed to 0.8 (12 px text at 9.6 px), the entry node 40 px from the canvas's left edge.
    await expect.poll(async () => (await entry.boundingBox())!.width / 224, { timeout: 5_000 }).toBeCloseTo(0.8, 2);
    const box = (await entry.boundingBox())!;
    expect(box.x - pane.x).toBeCloseTo(40, 0);
    expect(box.x + box.width).toBeLessThanOrEqual(pane.x + pane.width);
    expect(box.y).toBeGreaterThanOrEqual(pane.y);
    expect(box.y + box.height).toBeLessThanOrEqual(pane.y + pane.height);
    await screenshot(page, "editor-open-wide-flow");
    // Two nodes fit whole, at no more than 1:1.
    await openFlow(page, chainFlowDocument(2), "Small flow");
    const small = (await page.locator(".react-flow").boundingBox())!;
    await expect.poll(async () => (await canvasNode(page, "Greeting 0").boundingBox())!.width / 224, { timeout: 5_000 }).toBeCloseTo(1, 1);
    // Fitted: the two nodes centred in the canvas.
    const [first, last] = [(await canvasNode(page, "Greeting 0").boundingBox())!, (await canvasNode(page, "End").boundingBox())!];
    expect((first.y + last.y + last.height) / 2 - (small.y + small.height / 2)).toBeCloseTo(0, -1);
    expect(first.x + first.width / 2 - (small.x + small.width / 2)).toBeCloseTo(0, -1);
    await page.close();
  });

  it("adds a node from the palette where there is room, not on top of the flow's nodes", async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, storageState: session });
    await openFlow(page, {
      version: 1,
      entryNodeId: "hello",
      nodes: [
        { id: "hello", type: "greeting", label: "Welcome", position: { x: 0, y: 0 }, config: { prompt: { text: "Hi" } } },
        { id: "menu", type: "menu", label: "Main menu", position: { x: 0, y: 160 }, config: { prompt: { text: "Press 1" }, options: [{ digit: "1" }] } },
      ],
      edges: [{ id: "e1", source: "hello", sourceHandle: "default", target: "menu" }],
    });
    for (const type of ["greeting", "menu", "greeting", "hangup"]) await page.locator(`[data-palette="${type}"]`).click();
    await expect.poll(() => page.locator(".react-flow__node").count()).toBe(6);
    expect(await overlaps(page)).toEqual({ count: 0, nodes: 6 });
    await screenshot(page, "editor-palette-placement");
    await page.close();
  });

  it("asks before leaving through the sidebar with unsaved changes", async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, storageState: session });
    const doc = {
      version: 1,
      entryNodeId: "hi",
      nodes: [{ id: "hi", type: "greeting", label: "Hello", position: { x: 0, y: 0 }, config: { prompt: { text: "Hi" } } }],
      edges: [],
    };
    const id = await openFlow(page, doc);
    const teams = page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Teams" });
    // Nothing changed yet: no question.
    await canvasNode(page, "Hello").locator("p").click();
    await page.getByRole("complementary", { name: "Node properties" }).getByLabel("Label").fill("Hello there");
    const asked: string[] = [];
    page.once("dialog", (d) => {
      asked.push(d.message());
      void d.dismiss();
    });
    await teams.click();
    await expect.poll(() => asked.length).toBe(1);
    expect(asked[0]).toContain("unsaved changes");
    await page.waitForTimeout(300);
    expect(page.url()).toContain(`/flows/${id}`);
    expect(await canvasNode(page, "Hello there").count()).toBe(1);
    page.once("dialog", (d) => void d.accept());
    await teams.click();
    await page.waitForURL(/\/teams$/);
    await page.close();
  });

  it("refuses to import a file that is not a flow, saying why", async () => {
    const page = await browser.newPage({ storageState: session });
    await page.goto(`${WEB_URL}/flows`);
    const input = page.locator('input[type="file"]');
    await waitHydrated(input);
    await input.setInputFiles({ name: "foo.json", mimeType: "application/json", buffer: Buffer.from('{"foo":1}') });
    await expect.poll(() => page.getByText(/not a Ringflow flow document/).count()).toBe(1);
    expect(await db.ivrFlow.count({ where: { orgId, name: "foo" } })).toBe(0);
    await page.close();
  });
});
