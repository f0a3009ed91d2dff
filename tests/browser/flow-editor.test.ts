import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAccount, createFlow, createOrg, createTeam, createUser } from "../../lib/seed/factories";
import { launchBrowser, type Session, screenshot, signInOnce, signInWithBrowser } from "../helpers/browser";
import { WEB_URL } from "../helpers/http-session";
import { testDb as db } from "../helpers/test-db";

const PASSWORD = "editor-pass-123";
let browser: Browser;
/** The admin, signed in once through the login form; the admin's pages open with it. */
let adminSession: Session;
let agent: { email: string };
let otherOrgFlowId: string;

beforeAll(async () => {
  const org = await createOrg(db, { name: "Editor Org" });
  const admin = await createUser(db, org.id, { role: "admin", password: PASSWORD });
  agent = await createUser(db, org.id, { role: "agent", password: PASSWORD });
  await createTeam(db, org.id, "Sales");
  await createAccount(db, org.id, { name: "Main line" });
  await createFlow(db, org.id, { name: "After hours", isCallStart: false });
  const other = await createOrg(db, { name: "Someone else" });
  otherOrgFlowId = (await createFlow(db, other.id, { name: "Secret flow" })).id;
  browser = await launchBrowser();
  adminSession = await signInOnce(browser, admin.email, PASSWORD);
});

afterAll(async () => {
  await browser?.close();
  await db.$disconnect();
});

const node = (page: Page, label: string) => page.locator(".react-flow__node", { hasText: label }).first();

async function connect(page: Page, fromLabel: string, handle: string, toLabel: string) {
  const src = node(page, fromLabel).locator(`.react-flow__handle[data-handleid="${handle}"]`);
  const dst = node(page, toLabel).locator(".react-flow__handle.target");
  const a = (await src.boundingBox())!;
  const b = (await dst.boundingBox())!;
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 12 });
  await page.mouse.up();
}

async function select(page: Page, label: string) {
  await node(page, label).locator("p").click();
  await page.getByRole("complementary", { name: "Node properties" }).waitFor();
}

const problems = (page: Page) => page.getByRole("region", { name: "Problems" });

describe("visual flow editor", () => {
  it("builds, validates, publishes and simulates a flow with all eight node types", async () => {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 }, storageState: adminSession });
    await page.goto(`${WEB_URL}/flows`);
    await page.getByRole("button", { name: "Add Flow" }).click();
    const dialog = page.getByRole("dialog", { name: "Add Flow" });
    await dialog.getByLabel("Name").fill("Main IVR");
    await dialog.getByLabel("WhatsApp account").selectOption({ label: "Main line" });
    await dialog.getByLabel(/Call Start/).check();
    await dialog.getByRole("button", { name: "Create and open editor" }).click();
    await page.waitForURL(/\/flows\/c/);
    await page.locator(".react-flow__pane").waitFor();

    const spots: [string, number, number][] = [
      ["greeting", 150, 60],
      ["menu", 150, 260],
      ["transfer", 30, 560],
      ["gather", 420, 430],
      ["http_callback", 700, 430],
      ["timing", 980, 430],
      ["goto_flow", 150, 690],
      ["hangup", 420, 690],
    ];
    const pane = page.locator(".react-flow__pane");
    for (const [type, x, y] of spots) {
      await page.locator(`[data-palette="${type}"]`).dragTo(pane, { targetPosition: { x, y } });
    }
    await expect.poll(() => page.locator(".react-flow__node").count()).toBe(8);
    // The first node dropped is the entry.
    expect(await node(page, "Greeting").getByRole("img", { name: "entry node" }).count()).toBe(1);

    await select(page, "Greeting");
    await page.getByLabel("Prompt text").fill("Welcome to Ringflow.");
    await select(page, "Menu");
    await page.getByLabel("Prompt text").fill("Press 1 for sales.");
    await page.getByLabel("Option 1 label").fill("Sales");
    await expect.poll(() => node(page, "Menu").textContent()).toContain("Pressed 1 · Sales");
    await select(page, "Gather digits");
    await page.getByLabel("Prompt text").fill("Enter your order number.");
    await page.getByLabel("Store as variable").fill("order");
    await select(page, "HTTP callback");
    await page.getByLabel("URL").fill("https://crm.example.test/orders?id={{order}}");
    await select(page, "Go to flow");
    await page.getByRole("complementary", { name: "Node properties" }).getByLabel(/^Flow/).selectOption({ label: "After hours" });

    await page.locator(".react-flow__pane").click({ position: { x: 5, y: 5 } });
    await connect(page, "Greeting", "default", "Menu");
    await connect(page, "Menu", "digit:1", "Transfer to team");
    await connect(page, "Menu", "max_retries", "Hang up");
    await connect(page, "Gather digits", "default", "HTTP callback");
    await connect(page, "Gather digits", "max_retries", "Hang up");
    await connect(page, "HTTP callback", "default", "Business hours");
    await connect(page, "Business hours", "in_hours", "Go to flow");
    await connect(page, "Business hours", "out_of_hours", "Hang up");
    await expect.poll(() => page.locator(".react-flow__edge").count()).toBe(8);

    // Gather is not reachable yet and the transfer has no team: both are reported.
    await expect.poll(() => problems(page).textContent()).toContain("Choose the team to transfer to");
    await expect.poll(() => problems(page).textContent()).toContain("“Gather digits” can never be reached from the entry node");
    await select(page, "Transfer to team");
    await page.getByRole("complementary", { name: "Node properties" }).getByLabel(/^Team/).selectOption({ label: "Sales" });
    await expect.poll(() => problems(page).textContent()).not.toContain("Choose the team to transfer to");
    await select(page, "Menu");
    await page.getByRole("button", { name: "Add option" }).click();
    await page.getByLabel("Option 2 label").fill("Orders");
    await connect(page, "Menu", "digit:2", "Gather digits");
    await expect.poll(() => problems(page).textContent()).toContain("No errors");
    await screenshot(page, "flow-editor");

    await page.getByRole("button", { name: "Publish" }).click();
    // Publishing waits for the workers to render the flow's TTS prompts.
    await expect.poll(() => page.getByRole("status").first().textContent(), { timeout: 20_000 }).toContain("Published version 1");

    await page.reload();
    await page.locator(".react-flow__node").first().waitFor();
    expect(await page.locator(".react-flow__node").count()).toBe(8);
    expect(await page.locator(".react-flow__edge").count()).toBe(9);
    expect(await page.getByText("published v1").count()).toBe(1);

    await page.getByRole("button", { name: "Test call" }).click();
    const sim = page.getByRole("region", { name: "Simulator" });
    await sim.getByRole("button", { name: "Start test call" }).click();
    await expect.poll(() => sim.textContent()).toContain("Welcome to Ringflow.");
    await sim.getByRole("button", { name: "Prompt finished" }).click();
    await sim.getByRole("group", { name: "Keypad" }).getByRole("button", { name: "1", exact: true }).click();
    await expect.poll(() => sim.getByRole("list", { name: "Path" }).textContent()).toContain("Menu → digit:1 [1]");
    expect(await sim.getByRole("status").textContent()).toContain("Transferring to Sales");
    expect(await page.locator(".react-flow__edge.animated").count()).toBe(2);
    await screenshot(page, "flow-editor-simulator");

    const flow = await db.ivrFlow.findFirstOrThrow({ where: { name: "Main IVR" } });
    expect(flow).toMatchObject({ version: 1, isCallStart: true });
    await page.close();
  });

  it("keeps agents out of the editor and other organisations' flows out of reach", async () => {
    const page = await browser.newPage();
    await signInWithBrowser(page, agent.email, PASSWORD);
    await page.goto(`${WEB_URL}/flows`);
    await page.waitForURL(/\/forbidden/);
    await page.close();
    const adminPage = await browser.newPage({ storageState: adminSession });
    const res = await adminPage.goto(`${WEB_URL}/flows/${otherOrgFlowId}`);
    expect(res?.status()).toBe(404);
    const api = await adminPage.request.get(`${WEB_URL}/api/flows/${otherOrgFlowId}`);
    expect(api.status()).toBe(404);
    expect(await api.text()).not.toContain("Secret flow");
    await adminPage.close();
  });
});
