// An agent in real Chromium (fake microphone) opens a contact's conversation, sees every earlier
// call and permission event as cards, and calls the contact: the panel rings (ringback from the
// gateway), the simulated WhatsApp user answers, audio flows both ways, the agent hangs up, and the
// new outgoing call joins the conversation. Permission states and Meta's refusals as the UI shows them.
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAccount, createOrg, createTeam, createUser } from "../../lib/seed/factories";
import { SimulatedCallee } from "../../tools/wa-sim/callee";
import type { Line } from "../../tools/wa-sim/payloads";
import { tonePackets } from "../../tools/wa-sim/tone";
import { audioPacketsReceived, launchBrowser, screenshot, signInWithBrowser, trackPeerConnections } from "../helpers/browser";
import { fakeGraph } from "../helpers/fake-graph";
import { GatewayProcess } from "../helpers/gateway-process";
import { WEB_URL } from "../helpers/http-session";
import { testDb as db } from "../helpers/test-db";

const root = path.resolve(import.meta.dirname, "../..");
const PASSWORD = "outgoing-pass-123";
const SECRET = "outgoing-app-secret";
const TOKEN = "EAAG-outgoing-token";
const line: Line = { phoneNumberId: "888000888000888", displayPhone: "15550008888" };
const ANA = { waId: "5511987650042", name: "Ana Souza" };

let gateway: GatewayProcess;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let orgId = "";
let agentId = "";
let accountId = "";
let teamId = "";
let ana = "";
let callee: SimulatedCallee | undefined;

async function deliver(raw: Buffer, signature: string) {
  const res = await fetch(`${WEB_URL}/api/webhooks/whatsapp`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-hub-signature-256": signature },
    body: new Uint8Array(raw),
  });
  if (!res.ok) throw new Error(`webhook refused: ${res.status} ${await res.text()}`);
  return res;
}

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);

/** Ana's history: calls both ways with different outcomes, and a permission request and its reply. */
async function seedHistory() {
  const base = { orgId, accountId, contactId: ana, callerPhone: ANA.waId };
  // Transferred to the team and taken by nobody: the caller heard the flow's goodbye.
  await db.call.create({
    data: {
      ...base,
      waCallId: "wacid.hist0",
      direction: "incoming",
      status: "completed",
      teamIds: [teamId],
      startedAt: minutesAgo(400),
      answeredAt: minutesAgo(400),
      endedAt: minutesAgo(398),
      durationSecs: 130,
      disconnectedBy: "system",
      transfers: { create: { teamId, status: "timed_out", endReason: "timeout", offeredTo: [agentId], createdAt: minutesAgo(400), endedAt: minutesAgo(398) } },
    },
  });
  const inbound = await db.call.create({
    data: {
      ...base,
      waCallId: "wacid.hist1",
      direction: "incoming",
      status: "completed",
      agentId,
      startedAt: minutesAgo(300),
      answeredAt: minutesAgo(299),
      endedAt: minutesAgo(295),
      durationSecs: 243,
      disconnectedBy: "client",
    },
  });
  await db.recording.create({
    data: { callId: inbound.id, status: "ready", storageKey: `recordings/${orgId}/${inbound.id}/r.ogg`, durationMs: 240_000, sizeBytes: 1000 },
  });
  // Transferred to the agent's team, so the agent may see it (agents see their teams' calls).
  await db.call.create({
    data: {
      ...base,
      waCallId: "wacid.hist2",
      direction: "incoming",
      status: "missed",
      startedAt: minutesAgo(200),
      endedAt: minutesAgo(199),
      durationSecs: 0,
      disconnectedBy: "client",
      error: "Caller hung up while waiting for an agent",
      transfers: {
        create: { teamId, status: "cancelled", endReason: "caller_hung_up", offeredTo: [agentId], createdAt: minutesAgo(200), endedAt: minutesAgo(199) },
      },
    },
  });
  await db.contactActivity.create({ data: { orgId, contactId: ana, kind: "permission_requested", userId: agentId, at: minutesAgo(150) } });
  await db.contactActivity.create({
    data: { orgId, contactId: ana, kind: "permission_granted", detail: "until 2026-12-04T10:00:00.000Z", at: minutesAgo(140) },
  });
  await db.call.create({
    data: {
      ...base,
      waCallId: "wacid.hist3",
      direction: "outgoing",
      status: "failed",
      agentId,
      startedAt: minutesAgo(100),
      endedAt: minutesAgo(100),
      durationSecs: 0,
      disconnectedBy: "system",
      error: "(#138012) Business initiated calls limit reached",
    },
  });
  await db.call.create({
    data: {
      ...base,
      waCallId: "wacid.hist4",
      direction: "outgoing",
      status: "rejected",
      agentId,
      startedAt: minutesAgo(60),
      endedAt: minutesAgo(60),
      durationSecs: 0,
      disconnectedBy: "client",
      error: "The contact declined the call",
    },
  });
}

beforeAll(async () => {
  const org = await createOrg(db, { name: "Outgoing Org", callingEnabled: true });
  orgId = org.id;
  agentId = (await createUser(db, org.id, { role: "agent", name: "Olga Agent", email: `olga-${Date.now()}@example.test`, password: PASSWORD })).id;
  accountId = (await createAccount(db, org.id, { ...line, name: "Sales line", appSecret: SECRET, accessToken: TOKEN })).id;
  teamId = (await createTeam(db, org.id, "Sales", [agentId])).id;
  await fakeGraph.registerAccount(line.phoneNumberId, TOKEN);
  ana = (
    await db.contact.create({
      data: { orgId, waId: ANA.waId, name: ANA.name, callPermission: "granted", permissionExpiresAt: new Date("2026-12-04T10:00:00Z") },
    })
  ).id;
  await fakeGraph.setPermission(ANA.waId, "granted");
  await seedHistory();
  gateway = new GatewayProcess("web-outgoing-gw", {
    DATABASE_URL: process.env.DATABASE_URL!,
    REDIS_URL: "redis://127.0.0.1:6379/6",
    GRAPH_API_BASE: process.env.GRAPH_API_BASE!,
    CONFIG_FILE: path.join(root, "tests/helpers/test-config.toml"),
  });
  await gateway.start();
  browser = await launchBrowser(["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"]);
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, permissions: ["microphone"] });
  await trackPeerConnections(context);
  page = await context.newPage();
  const user = await db.user.findUniqueOrThrow({ where: { id: agentId } });
  await signInWithBrowser(page, user.email, PASSWORD);
}, 120_000);

afterAll(async () => {
  await callee?.close();
  await context?.close().catch(() => {});
  await browser?.close();
  await gateway?.kill();
  gateway?.saveLog("browser-outgoing-gateway");
  await db.$disconnect();
});

const received = () => audioPacketsReceived(page);
const panel = () => page.getByTestId("call-panel");
const phase = () => panel().getAttribute("data-phase");
const button = (scope: Locator | Page, name: string) => scope.getByRole("button", { name, exact: true });

describe("calling a contact from the conversation view", () => {
  it("shows the contact's calls and permission events, then places the call with ringback, bridges it and logs it", { timeout: 120_000 }, async () => {
    await page.getByRole("link", { name: "Contacts", exact: true }).click();
    await page.waitForURL(/\/contacts$/);
    await page.getByRole("link", { name: ANA.name }).waitFor();
    await page.getByLabel("Search contacts").fill("ana s");
    await button(page, "Search").click();
    await page.waitForURL(/q=ana/);
    await screenshot(page, "contacts-list");
    await page.getByRole("link", { name: ANA.name }).click();
    await page.waitForURL(/\/contacts\/[^/]+$/);

    const cards = page.getByTestId("thread-call");
    expect(await cards.count()).toBe(5);
    expect(await cards.evaluateAll((els) => els.map((e) => `${e.getAttribute("data-direction")}:${e.getAttribute("data-status")}`))).toEqual([
      "incoming:completed",
      "incoming:completed",
      "incoming:missed",
      "outgoing:failed",
      "outgoing:rejected",
    ]);
    // The call nobody took says so, as the call log does.
    expect(await cards.first().textContent()).toContain("AgentNo agent answered");
    expect(await cards.nth(1).textContent()).not.toContain("No agent answered");
    expect(await cards.nth(1).getByRole("link", { name: "Recording" }).count()).toBe(1);
    expect(await cards.nth(3).textContent()).toContain("(#138012) Business initiated calls limit reached");
    expect(await page.getByTestId("thread-activity").evaluateAll((els) => els.map((e) => e.getAttribute("data-kind")))).toEqual([
      "permission_requested",
      "permission_granted",
    ]);
    expect(await page.getByTestId("permission-state").first().getAttribute("data-state")).toBe("granted");
    await screenshot(page, "contact-conversation");

    callee = new SimulatedCallee({ line, appSecret: SECRET, waId: ANA.waId, deliver, connects: (to) => fakeGraph.find({ action: "connect", to }) });
    await button(page, "Call").click();
    await expect.poll(phase, { timeout: 15_000 }).toBe("dialing");
    expect(await panel().getByTestId("call-status").textContent()).toBe("Calling…");
    // No clock before anyone answers.
    expect(await panel().getByRole("timer").count()).toBe(0);
    expect(await panel().textContent()).toContain("Your outgoing call");
    await callee.waitForCall();
    // Ringback from the gateway reaches the browser while the phone rings.
    await expect.poll(received, { timeout: 10_000 }).toBeGreaterThan(25);
    expect(await phase()).toBe("dialing");
    await screenshot(page, "outgoing-call-ringing");

    await callee.answer();
    callee.talk(tonePackets(440, 1));
    await expect.poll(phase, { timeout: 10_000 }).toBe("in_call");
    expect(await panel().getByTestId("call-status").textContent()).toBe("In call");
    // The agent's fake microphone reaches the contact.
    await expect.poll(() => callee!.audio().length, { timeout: 10_000 }).toBeGreaterThan(50);
    await screenshot(page, "outgoing-call-in-call");

    await button(panel(), "Hang up").click();
    await expect.poll(phase, { timeout: 10_000 }).toBe("wrap_up");
    expect(await panel().getByTestId("call-status").textContent()).toBe("You hung up");
    const call = await db.call.findFirstOrThrow({ where: { waCallId: callee.callId } });
    await expect.poll(async () => (await db.call.findUniqueOrThrow({ where: { id: call.id } })).disconnectedBy, { timeout: 10_000 }).toBe("agent");
    expect(await db.call.findUniqueOrThrow({ where: { id: call.id } })).toMatchObject({ direction: "outgoing", status: "completed", agentId });
    await button(panel(), "Done").click();
    await expect.poll(phase, { timeout: 5_000 }).toBe("idle");
    await page.reload();
    await expect.poll(() => page.getByTestId("thread-call").count(), { timeout: 10_000 }).toBe(6);
    expect(await page.getByTestId("thread-call").last().getAttribute("data-status")).toBe("completed");
    await screenshot(page, "contact-conversation-after-call");
    await callee.close();
  });

  it("shows pending, denied and Meta's refusals in plain words", { timeout: 60_000 }, async () => {
    const carla = await db.contact.create({ data: { orgId, waId: "5511987650077", name: "Carla Dias" } });
    // The page's first authorisation of the organisation's realtime channel fails (a loaded server):
    // the page must subscribe again, or Carla's reply below never shows without a reload. Its second
    // is held until after that reply was published (below): the event is lost to the page, which must
    // re-read what it shows once subscribed.
    await page.goto("about:blank"); // the page before (the call log) subscribes too: only this page's requests count
    let orgAuths = 0;
    let releaseAuth = () => {};
    const secondAuthHeld = new Promise<void>((resolve) => {
      releaseAuth = resolve;
    });
    await page.route("**/api/pusher/auth", async (route) => {
      if (!/channel_name=private-org-/.test(route.request().postData() ?? "")) return route.continue();
      orgAuths++;
      if (orgAuths === 1) return route.abort("failed");
      if (orgAuths === 2) await secondAuthHeld;
      return route.continue();
    });
    await page.goto(`${WEB_URL}/contacts/${carla.id}`);
    expect(await page.getByTestId("permission-state").getAttribute("data-state")).toBe("unknown");
    // Calling without permission: the call controls say why, next to the Call button, instead of ringing.
    const controls = page.getByRole("region", { name: "Call controls" });
    await button(page, "Call").click();
    await controls.getByRole("alert").waitFor({ timeout: 15_000 });
    expect(await controls.getByRole("alert").textContent()).toContain("Carla Dias has not given permission to be called. Ask for permission first.");
    expect(await panel().getByRole("alert").count()).toBe(0);
    expect(await phase()).toBe("idle");
    await screenshot(page, "permission-none-call-refused");

    await button(page, "Ask for permission").click();
    await expect.poll(() => page.getByTestId("permission-state").getAttribute("data-state"), { timeout: 10_000 }).toBe("requested");
    expect(await page.getByTestId("thread-activity").first().getAttribute("data-kind")).toBe("permission_requested");
    await screenshot(page, "permission-requested");

    await fakeGraph.exhaust("permission_requests_per_day");
    await button(page, "Ask for permission").click();
    const alert = page.getByRole("alert").filter({ hasText: "#138009" });
    await alert.waitFor({ timeout: 10_000 });
    expect(await alert.textContent()).toBe("The daily limit of call-permission requests to this contact is reached; try again tomorrow (#138009)");
    await screenshot(page, "permission-meta-limit");

    // Carla accepts on WhatsApp: the page shows it without a reload.
    const carlaPhone = new SimulatedCallee({
      line,
      appSecret: SECRET,
      waId: carla.waId,
      deliver,
      connects: (to) => fakeGraph.find({ action: "connect", to }),
      setPermission: (to, status) => fakeGraph.setPermission(to, status),
    });
    await expect.poll(() => orgAuths, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    await carlaPhone.replyToPermissionRequest(true, { permanent: true });
    await expect.poll(() => db.contactActivity.count({ where: { contactId: carla.id, kind: "permission_granted" } }), { timeout: 10_000 }).toBe(1);
    await sleep(500); // the contact's change event is published right after that row is written
    expect(await page.getByTestId("permission-state").getAttribute("data-state")).toBe("requested");
    releaseAuth();
    await expect.poll(() => page.getByTestId("permission-state").getAttribute("data-state"), { timeout: 10_000 }).toBe("granted");
    await carlaPhone.close();

    const dora = await db.contact.create({ data: { orgId, waId: "5511987650099", name: "Dora Denied", callPermission: "denied" } });
    await db.contactActivity.create({ data: { orgId, contactId: dora.id, kind: "permission_denied" } });
    await page.goto(`${WEB_URL}/contacts/${dora.id}`);
    expect(await page.getByTestId("permission-state").getAttribute("data-state")).toBe("denied");
    await screenshot(page, "permission-denied");

    // Stored as granted, but Meta no longer says so: the refusal and the badge agree at once.
    const elsa = await db.contact.create({
      data: { orgId, waId: "5511987650055", name: "Elsa Expired", callPermission: "granted", permissionExpiresAt: new Date(Date.now() + 7 * 86_400_000) },
    });
    await page.goto(`${WEB_URL}/contacts/${elsa.id}`);
    expect(await page.getByTestId("permission-state").getAttribute("data-state")).toBe("granted");
    const elsaControls = page.getByRole("region", { name: "Call controls" });
    await button(page, "Call").click();
    await elsaControls.getByRole("alert").waitFor({ timeout: 15_000 });
    expect(await elsaControls.getByRole("alert").textContent()).toContain("Elsa Expired has not given permission to be called");
    await expect.poll(() => page.getByTestId("permission-state").getAttribute("data-state"), { timeout: 10_000 }).toBe("unknown");
  });

  it("lists missed calls to call back, and calling back from the list closes the task once the call connects", async () => {
    const missed = await db.call.findFirstOrThrow({ where: { waCallId: "wacid.hist2" } });
    await db.callbackTask.create({ data: { orgId, contactId: ana, accountId, missedCallId: missed.id, reason: "caller_hung_up" } });
    await page.getByRole("link", { name: "Callbacks", exact: true }).click();
    await page.waitForURL(/\/callbacks$/);
    const task = page.getByTestId("callback-task");
    expect(await task.count()).toBe(1);
    expect(await task.textContent()).toContain("Hung up while waiting for an agent");
    expect(await button(task, "Call back").count()).toBe(1);
    await screenshot(page, "callbacks-list");

    callee = new SimulatedCallee({ line, appSecret: SECRET, waId: ANA.waId, deliver, connects: (to) => fakeGraph.find({ action: "connect", to }) });
    await callee.ignoreEarlierCalls();
    await button(task, "Call back").click();
    await expect.poll(phase, { timeout: 15_000 }).toBe("dialing");
    await callee.pickUp({ answer: true });
    await expect.poll(phase, { timeout: 10_000 }).toBe("in_call");
    const callback = await db.callbackTask.findFirstOrThrow({ where: { missedCallId: missed.id }, include: { attempts: true } });
    expect(callback.attempts).toHaveLength(1);
    expect(callback.attempts[0]).toMatchObject({ direction: "outgoing", agentId });
    await expect.poll(async () => (await db.callbackTask.findUniqueOrThrow({ where: { id: callback.id } })).status, { timeout: 10_000 }).toBe("done");
    await button(panel(), "Hang up").click();
    await expect.poll(phase, { timeout: 10_000 }).toBe("wrap_up");
    await button(panel(), "Done").click();
    await page.reload();
    expect(await page.getByTestId("callback-task").count()).toBe(0);
    await callee.close();

    // Calling back someone who has not allowed calls: the refusal shows on their row, with the way to ask.
    // Dora as the test above leaves her (made here when it did not get that far).
    const dora = await db.contact.upsert({
      where: { orgId_waId: { orgId, waId: "5511987650099" } },
      create: { orgId, waId: "5511987650099", name: "Dora Denied", callPermission: "denied" },
      update: {},
    });
    const doraMissed = await db.call.create({
      data: {
        orgId,
        accountId,
        waCallId: "wacid.dora",
        direction: "incoming",
        status: "missed",
        callerPhone: dora.waId,
        contactId: dora.id,
        endedAt: new Date(),
        // Transferred to the agent's team, so the agent may see it and its callback.
        transfers: { create: { teamId, status: "timed_out", endReason: "no_agents", offeredTo: [agentId] } },
      },
    });
    await db.callbackTask.create({ data: { orgId, contactId: dora.id, accountId, missedCallId: doraMissed.id, reason: "no_agents" } });
    await page.reload();
    const doraTask = page.getByTestId("callback-task");
    await button(doraTask, "Call back").click();
    const refused = doraTask.getByTestId("call-refused");
    await refused.waitFor({ timeout: 15_000 });
    expect(await refused.textContent()).toContain("Ask for permission first.");
    expect(await refused.getByRole("link", { name: "Open the contact to ask" }).getAttribute("href")).toBe(`/contacts/${dora.id}`);
    expect(await panel().getByRole("alert").count()).toBe(0);
    expect(await phase()).toBe("idle");
    await screenshot(page, "callbacks-call-refused");
  }, 60_000);
});
