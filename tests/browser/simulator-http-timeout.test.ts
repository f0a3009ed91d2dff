// The editor's test call fails a pending HTTP callback at the node's timeout, as the gateway does.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFlow, createOrg, createUser } from "../../lib/seed/factories";
import { launchBrowser, signInWithBrowser } from "../helpers/browser";
import { WEB_URL } from "../helpers/http-session";
import { testDb as db } from "../helpers/test-db";
import { draft } from "../unit/ivr/build";

const PASSWORD = "sim-timeout-pass-123";
let browser: Browser;
let admin: { email: string };
let flowId: string;

beforeAll(async () => {
  const org = await createOrg(db, { name: "Simulator Timeout Org" });
  admin = await createUser(db, org.id, { role: "admin", password: PASSWORD });
  const document = draft(
    [
      ["hook", "http_callback", { url: "https://crm.example.com/orders", method: "GET", timeoutSecs: 3 }, "Lookup"],
      ["ok", "hangup", { prompt: { text: "Found it" } }, "Found"],
      ["failed", "hangup", { prompt: { text: "Sorry" } }, "Failed"],
    ],
    [
      ["hook", "http:2xx", "ok"],
      ["hook", "http:error", "failed"],
    ],
  );
  flowId = (await createFlow(db, org.id, { name: "Slow CRM", isCallStart: false, document })).id;
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await db.$disconnect();
});

describe("editor simulator and HTTP timeouts", () => {
  it("fails the request once the simulated clock passes the node's timeout", async () => {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await signInWithBrowser(page, admin.email, PASSWORD);
    await page.goto(`${WEB_URL}/flows/${flowId}`);
    await page.getByRole("button", { name: "Test call" }).click();
    const sim = page.getByRole("region", { name: "Simulator" });
    await sim.getByRole("button", { name: "Start test call" }).click();
    await sim.getByText("Fails after 3 s without an answer").waitFor();
    await sim.getByRole("button", { name: "+1 s" }).click();
    await sim.getByRole("button", { name: "+1 s" }).click();
    expect(await sim.getByText("HTTP GET https://crm.example.com/orders").count()).toBe(1); // 2 s: still waiting
    await sim.getByRole("button", { name: "Wait for timeout" }).click();
    await expect.poll(() => sim.getByRole("list", { name: "Path" }).textContent()).toContain("Lookup → http:error");
    expect(await sim.getByText("HTTP GET https://crm.example.com/orders").count()).toBe(0);
    await page.close();
  });
});
