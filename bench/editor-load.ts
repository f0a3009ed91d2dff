// How long the flow editor takes to open and draw a 300-node flow, and how long a node edit takes
// to show on the canvas. Needs a production build and a running web app on WEB_URL with the demo
// seed (npm run demo). Run: npx tsx bench/editor-load.ts [nodes]
import { chromium } from "playwright-core";
import { config } from "../lib/config";
import { createPrisma } from "../lib/db";
import { chainFlowDocument } from "../lib/seed/chain-flow";

const N = Number(process.argv[2] ?? 300);
const base = process.env.WEB_URL ?? "http://localhost:3000";
const db = createPrisma(config().database.url);
const admin = await db.user.findUniqueOrThrow({ where: { email: "admin@ringflow.test" }, select: { memberships: { select: { orgId: true } } } });
const orgId = admin.memberships[0]!.orgId;

const flow = await db.ivrFlow.create({
  data: { orgId, name: `Bench ${N} nodes ${Date.now()}`, draftDocument: chainFlowDocument(N) },
});

const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
await page.goto(`${base}/login`);
await page.getByLabel("Email").fill("admin@ringflow.test");
await page.getByLabel("Password").fill("ringflow-demo");
await page.getByRole("button", { name: "Sign in" }).click();
await page.waitForURL(/calls/);

const times: number[] = [];
for (let run = 0; run < 3; run++) {
  const t0 = performance.now();
  await page.goto(`${base}/flows/${flow.id}`);
  await page.getByText("No errors").waitFor();
  await page.locator(".react-flow__node").first().waitFor();
  times.push(performance.now() - t0);
}
await page.locator(".react-flow__node", { hasText: "Greeting 0" }).locator("p").click();
const label = page.getByRole("complementary", { name: "Node properties" }).getByLabel("Label");
const edits: number[] = [];
for (let i = 0; i < 5; i++) {
  const t0 = performance.now();
  await label.fill(`Greeting 0 edit ${i}`);
  await page
    .locator(".react-flow__node", { hasText: `Greeting 0 edit ${i}` })
    .waitFor({ timeout: 5000 })
    .catch(async (err) => {
      await page.screenshot({ path: "tmp/bench-fail.png" });
      throw err;
    });
  edits.push(performance.now() - t0);
}
const rendered = await page.locator(".react-flow__node").count();
process.stdout.write(
  `editor with ${N} nodes: open+validate ${times.map((t) => t.toFixed(0)).join("/")} ms (3 loads), ` +
    `${rendered} nodes drawn in view, label edit → canvas median ${edits.sort((a, b) => a - b)[2]!.toFixed(0)} ms\n`,
);
await browser.close();
await db.ivrFlow.delete({ where: { id: flow.id } });
await db.$disconnect();
