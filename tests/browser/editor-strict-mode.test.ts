// Undo/redo in a real React StrictMode render: `next dev` renders App Router pages in StrictMode
// (next.config.ts leaves reactStrictMode at its default), so React double-invokes the editor's
// reducer and effects. Each undo must still step back exactly one action and each redo forward one,
// as in the production build (tests/browser/flow-editor-polish.test.ts).
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOrg, createUser } from "../../lib/seed/factories";
import { WEB_DB, WEB_GRAPH_PORT } from "../../vitest.web.config";
import { signIn } from "../../tools/agent-sim/sign-in";
import { launchBrowser, screenshot } from "../helpers/browser";
import { canvasNode, connect, edgeCount, nodeCount } from "../helpers/flow-canvas";
import { freePort } from "../helpers/free-port";
import { testDb as db } from "../helpers/test-db";
import { waitForHealth } from "../helpers/health";

const PASSWORD = "strict-pass-123";
const root = path.resolve(import.meta.dirname, "../..");
let dev: ChildProcess | undefined;
let devUrl = "";
let browser: Browser;
let admin: { email: string };
let orgId: string;

beforeAll(async () => {
  const port = await freePort();
  devUrl = `http://127.0.0.1:${port}`;
  const log = fs.openSync(path.join(root, "tmp-web-dev-server.log"), "w");
  dev = spawn(path.join(root, "node_modules/.bin/next"), ["dev", "--port", String(port), "--hostname", "127.0.0.1"], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: "development",
      CONFIG_FILE: path.join(root, "tests/helpers/test-config.toml"),
      DATABASE_URL: WEB_DB,
      REDIS_URL: "redis://127.0.0.1:6379/6",
      GRAPH_API_BASE: `http://127.0.0.1:${WEB_GRAPH_PORT}`,
      NEXTAUTH_URL: devUrl,
      APP_URL: devUrl,
      NEXT_TELEMETRY_DISABLED: "1",
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", log, log],
    detached: true,
  });
  const org = await createOrg(db, { name: "Strict Org" });
  orgId = org.id;
  admin = await createUser(db, org.id, { role: "admin", password: PASSWORD });
  browser = await launchBrowser();
  await waitForHealth(devUrl, Date.now() + 110_000, dev, () => "see tmp-web-dev-server.log");
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (dev?.pid) {
    const exited = new Promise((r) => dev?.once("exit", r));
    process.kill(-dev.pid, "SIGTERM");
    await exited;
  }
  await db.$disconnect();
});

async function buttons(page: Page) {
  const undo = page.getByRole("button", { name: "Undo", exact: true });
  const redo = page.getByRole("button", { name: "Redo", exact: true });
  return { undo: !(await undo.isDisabled()), redo: !(await redo.isDisabled()) };
}

/** The canvas as a user sees it: node and edge counts, whether the edited label shows, and the buttons. */
async function canvas(page: Page) {
  return {
    nodes: await nodeCount(page),
    edges: await edgeCount(page),
    welcome: await canvasNode(page, "Welcome").count(),
    ...(await buttons(page)),
  };
}

describe("flow editor under React StrictMode (next dev)", () => {
  it("steps back and forward exactly one action per undo/redo", async () => {
    // next-auth's credentials flow over HTTP (as tools/agent-sim does), its cookies handed to the browser.
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const cookie = await signIn(devUrl, admin.email, PASSWORD);
    await context.addCookies(cookie.split("; ").map((kv) => ({ name: kv.slice(0, kv.indexOf("=")), value: kv.slice(kv.indexOf("=") + 1), url: devUrl })));
    const page = await context.newPage();
    const flow = await db.ivrFlow.create({
      data: { orgId, name: "Strict flow", isCallStart: false, draftDocument: { version: 1, entryNodeId: null, nodes: [], edges: [] } },
    });
    // next dev compiles a route on its first request and reloads open pages when it does, so every
    // route the editor calls is compiled before the page opens (together: the compiles share work).
    await Promise.all(
      [`/flows/${flow.id}`, "/api/auth/session", "/api/agent/status", "/api/pusher/auth"].map((route) =>
        fetch(`${devUrl}${route}`, { headers: { cookie }, method: route.includes("pusher") ? "POST" : "GET" }),
      ),
    );
    await page.goto(`${devUrl}/flows/${flow.id}`);
    const pane = page.locator(".react-flow__pane");
    await pane.waitFor();
    const undo = page.getByRole("button", { name: "Undo", exact: true });
    const redo = page.getByRole("button", { name: "Redo", exact: true });

    // The state after each action, as one application of it gives.
    const empty = { nodes: 0, edges: 0, welcome: 0, undo: false, redo: false };
    const oneNode = { nodes: 1, edges: 0, welcome: 0, undo: true, redo: false };
    const twoNodes = { ...oneNode, nodes: 2 };
    const connected = { ...twoNodes, edges: 1 };
    const edited = { ...connected, welcome: 1 };
    const deleted = { nodes: 1, edges: 0, welcome: 1, undo: true, redo: false };
    await expect.poll(() => canvas(page)).toEqual(empty);

    await page.locator('[data-palette="greeting"]').dragTo(pane, { targetPosition: { x: 150, y: 120 } });
    await expect.poll(() => canvas(page)).toEqual(oneNode);
    await page.locator('[data-palette="hangup"]').dragTo(pane, { targetPosition: { x: 600, y: 120 } });
    await expect.poll(() => canvas(page)).toEqual(twoNodes);
    await connect(page, "Greeting", "default", "Hang up");
    await expect.poll(() => canvas(page)).toEqual(connected);
    await canvasNode(page, "Greeting").locator("p").click();
    await page.getByRole("complementary", { name: "Node properties" }).getByLabel("Label").fill("Welcome");
    await expect.poll(() => canvas(page)).toEqual(edited);
    await canvasNode(page, "Hang up").locator("p").click();
    await page.keyboard.press("Delete");
    await expect.poll(() => canvas(page)).toEqual(deleted);

    // Undo walks the history back one action at a time; a doubled reducer would skip states.
    const back = [edited, connected, twoNodes, oneNode, empty];
    for (const [i, state] of back.entries()) {
      await undo.click();
      await expect.poll(() => canvas(page)).toEqual({ ...state, redo: true, undo: i < back.length - 1 });
    }
    const forward = [oneNode, twoNodes, connected, edited, deleted];
    for (const [i, state] of forward.entries()) {
      await redo.click();
      await expect.poll(() => canvas(page)).toEqual({ ...state, undo: true, redo: i < forward.length - 1 });
    }
    await screenshot(page, "editor-strict-mode-after-redo");
    await context.close();
  }, 120_000);
});
