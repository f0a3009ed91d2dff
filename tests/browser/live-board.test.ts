// The live board in Chromium against real calls: a real media gateway, simulated WhatsApp callers
// and script agents. Two calls in progress (one in the IVR menu, one waiting for Sales) and then
// an agent on a call show with the right phases, and the rows change as the calls move — through
// the organisation's realtime channel, without a reload. Then an admin ends a call from the board.
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "../../lib/seed/factories";
import type { ScriptAgent } from "../../tools/agent-sim/agent";
import type { SimulatedCaller } from "../../tools/wa-sim/caller";
import { AgentRig } from "../helpers/agent-rig";
import { launchBrowser, screenshot, signInWithBrowser } from "../helpers/browser";
import { WEB_URL } from "../helpers/http-session";
import { testDb as db } from "../helpers/test-db";

const rig = new AgentRig();
const PASSWORD = "board-admin-pass-1";
let browser: Browser;
let page: Page;
let ana: ScriptAgent;
let ben: ScriptAgent;
const callers: SimulatedCaller[] = [];

beforeAll(async () => {
  await rig.start({ agents: 2, gatewayId: "web-gw-board", teamName: "Sales" });
  // Menu waits (long timeout) until the caller presses 1, then the transfer to Sales.
  await rig.useFlow(
    [
      {
        id: "menu",
        type: "menu",
        label: "Main menu",
        config: { prompt: { text: "Press one for sales." }, options: [{ digit: "1" }], timeoutSecs: 120, maxRetries: 0 },
      },
      { id: "sales", type: "transfer", label: "Sales team", config: { teamId: rig.teamId } },
      { id: "bye", type: "hangup", label: "Goodbye", config: {} },
    ],
    [
      ["menu", "digit:1", "sales"],
      ["menu", "max_retries", "bye"],
    ],
  );
  const admin = await createUser(db, rig.orgId, { role: "admin", name: "Bia Boss", password: PASSWORD });
  [ana, ben] = await Promise.all([rig.signIn(0), rig.signIn(1)]);
  browser = await launchBrowser();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await signInWithBrowser(page, admin.email, PASSWORD);
}, 120_000);

afterAll(async () => {
  // Hung up, not just closed: the gateway would otherwise drain the call for seconds when it stops.
  for (const c of callers) await c.hangUp().catch(() => {});
  await Promise.all([ana?.close(), ben?.close()]);
  await browser?.close();
  await rig.stop("browser-live-board-gateway");
  await db.$disconnect();
});

const row = (waCallId: string) => page.locator(`[data-testid="board-call"][data-call-id="${waCallId}"]`);
const phaseOf = (r: Locator) => r.getByTestId("phase");

async function callId(caller: SimulatedCaller): Promise<string> {
  return (await rig.callRow(caller.callId)).id;
}

describe("live board", () => {
  it("shows calls in the IVR, waiting and with an agent, and follows them without a reload", async () => {
    await Promise.all([ana.setStatus("available"), ben.setStatus("available")]);
    await page.goto(`${WEB_URL}/board`);
    await page.getByRole("heading", { name: "Live board" }).waitFor();
    // A gateway runs (the rig's), so no "No media gateway is running" banner.
    expect(await page.getByTestId("no-gateway").count()).toBe(0);
    // Set on this document only: a reload would lose it.
    await page.evaluate(() => {
      (window as unknown as { __noReload: boolean }).__noReload = true;
    });

    // Caller 1 stays in the menu; caller 2 presses 1 and waits for Sales (both agents ring).
    const inIvr = rig.caller("5511900000001");
    const waiting = rig.caller("5511900000002");
    callers.push(inIvr, waiting);
    await inIvr.dial();
    await waiting.dial();
    const [ivrId, waitId] = [await callId(inIvr), await callId(waiting)];
    await expect
      .poll(
        async () =>
          (await phaseOf(row(ivrId))
            .textContent()
            .catch(() => null)) ?? "",
        { timeout: 15_000 },
      )
      .toBe("In IVR at Main menu");
    // The business number reads as a phone number, as the caller's does.
    expect(await row(ivrId).textContent()).toContain("+15550007777");
    // The call's own page shows where the caller is now, though no step has been stored yet.
    const callPage = await page.context().newPage();
    await callPage.goto(`${WEB_URL}/calls/${ivrId}`);
    const now = callPage.getByTestId("ivr-now");
    expect(await now.textContent()).toContain("Main menu");
    expect(await now.textContent()).toContain("the caller is here now");
    await callPage.close();
    await waiting.press("1");
    const pressedAt = Date.now();
    await expect
      .poll(
        async () =>
          (await phaseOf(row(waitId))
            .textContent()
            .catch(() => null)) ?? "",
        { timeout: 15_000 },
      )
      .toMatch(/^Waiting for Sales · \d+:\d\d · #1 in queue$/);
    expect(await phaseOf(row(ivrId)).textContent()).toBe("In IVR at Main menu");
    const sales = page.locator('[data-testid="board-team"][data-team="Sales"]');
    expect(await sales.getByTestId("team-waiting").textContent()).toBe("1");
    expect(await sales.getByTestId("team-available").textContent()).toBe("2");
    // Durations tick in the browser.
    const d1 = await row(ivrId).getByTestId("duration").textContent();
    await expect.poll(() => row(ivrId).getByTestId("duration").textContent(), { timeout: 5_000 }).not.toBe(d1);
    await screenshot(page, "live-board-light");
    await page.emulateMedia({ colorScheme: "dark" });
    await screenshot(page, "live-board-dark");
    await page.emulateMedia({ colorScheme: "light" });

    // Ana takes the waiting call: it is now with her, she shows on it, the queue empties.
    const offer = await ana.waitForOffer();
    await new Promise((r) => setTimeout(r, Math.max(0, 3_000 - (Date.now() - pressedAt))));
    expect((await ana.accept(offer.transferId)).status).toBe(200);
    await expect.poll(async () => (await phaseOf(row(waitId)).textContent()) ?? "", { timeout: 15_000 }).toBe("With Agent 1");
    const anaRow = page.locator('[data-testid="board-agent"][data-agent="Agent 1"]');
    await expect
      .poll(async () => (await anaRow.getByTestId("agent-call").textContent()) ?? "", { timeout: 10_000 })
      .toMatch(/^(Ana Souza|\+5511900000002) · \d+:\d\d$/);
    // Her time on the call counts from her accept, as her panel does; the call's duration includes
    // the queue (the caller waited at least 3 s, see above).
    const [withAna, whole] = await page.evaluate((id) => {
      const secs = (t: string | null | undefined) => {
        const [m, s] = (t ?? "").split(" · ").at(-1)!.split(":").map(Number);
        return m! * 60 + s!;
      };
      const agent = document.querySelector('[data-testid="board-agent"][data-agent="Agent 1"] [data-testid="agent-call"]');
      const call = document.querySelector(`[data-testid="board-call"][data-call-id="${id}"] [data-testid="duration"]`);
      return [secs(agent?.textContent), secs(call?.textContent)];
    }, waitId);
    expect(whole - withAna).toBeGreaterThanOrEqual(2);
    await expect.poll(() => sales.getByTestId("team-waiting").textContent(), { timeout: 10_000 }).toBe("0");
    await expect.poll(() => sales.getByTestId("team-available").textContent(), { timeout: 10_000 }).toBe("1");

    // Caller 1 leaves the menu for Sales: Ben rings, caller 1 waits first in the queue.
    await inIvr.press("1");
    await expect.poll(async () => (await phaseOf(row(ivrId)).textContent()) ?? "", { timeout: 15_000 }).toMatch(/^Waiting for Sales · .* · #1 in queue$/);

    // Ana puts her caller on hold.
    expect((await ana.control("hold")).status).toBe(200);
    await expect.poll(async () => (await phaseOf(row(waitId)).textContent()) ?? "", { timeout: 10_000 }).toBe("On hold (Agent 1)");

    await screenshot(page, "live-board-agent-hold");
    // Still the same page: nothing reloaded it.
    expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
  }, 120_000);

  it("lets an admin end a call from the board (logged as the system, naming the admin)", async () => {
    const target = callers[0]!;
    const id = await callId(target);
    page.once("dialog", (d) => void d.accept());
    await row(id).getByRole("button", { name: "End call" }).click();
    await expect.poll(() => row(id).count(), { timeout: 15_000 }).toBe(0);
    await expect.poll(() => rig.actions(target.callId), { timeout: 10_000 }).toContain("terminate");
    const call = await rig.callRow(target.callId);
    expect(call).toMatchObject({ disconnectedBy: "system", error: "Ended by Bia Boss (admin)" });
    expect(call.endedAt).not.toBeNull();
  }, 60_000);

  it("shows an agent whose browser went away as offline once the heartbeat is stale, without a reload or an event", async () => {
    await page.goto(`${WEB_URL}/board`);
    const agent = rig.agents[1]!;
    await ben.setStatus("available");
    const status = page.locator(`[data-testid="board-agent"][data-agent="${agent.name}"]`).getByTestId("agent-status");
    await expect.poll(() => status.textContent(), { timeout: 10_000 }).toBe("Available");
    // The tab closed: no more heartbeats and no sign-out, so nothing is published. Two minutes ago:
    await db.membership.update({ where: { orgId_userId: { orgId: rig.orgId, userId: agent.id } }, data: { lastSeenAt: new Date(Date.now() - 120_000) } });
    await expect.poll(() => status.textContent(), { timeout: 20_000 }).toBe("Offline");
  }, 60_000);

  it("is refused to agents who are not supervisors, and shown to supervisors", async () => {
    const res = await ana.fetch("/api/board");
    expect(res.status).toBe(403);
    await db.teamMember.updateMany({ where: { teamId: rig.teamId, userId: rig.agents[0]!.id }, data: { supervisor: true } });
    const ok = await ana.fetch("/api/board");
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as { calls: { id: string }[]; agents: { name: string }[] };
    expect(body.agents.map((a) => a.name)).toEqual(["Agent 1", "Agent 2"]);
  });
});
