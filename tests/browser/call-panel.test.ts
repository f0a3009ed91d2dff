// Two agents in real Chromium (fake microphone) are rung for a WhatsApp call; the first accept wins,
// the other's card disappears at once, and the winner's audio reaches the simulated caller through a
// real media gateway, with hold music while on hold. Webhooks go to the running web app over HTTP.
import fs from "node:fs";
import path from "node:path";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { opusPacketSamples, readOggOpus } from "../../lib/audio/ogg";
import { config } from "../../lib/config";
import { createAccount, createFlow, createOrg, createTeam, createUser } from "../../lib/seed/factories";
import { OPUS_SILENCE } from "../../lib/media/opus";
import { SimulatedCaller } from "../../tools/wa-sim/caller";
import { FakeGraphApi } from "../../tools/wa-sim/fake-graph";
import type { Line } from "../../tools/wa-sim/payloads";
import { tonePackets } from "../../tools/wa-sim/tone";
import { audioPacketsReceived, launchBrowser, screenshot, signInWithBrowser, trackPeerConnections } from "../helpers/browser";
import { GatewayProcess } from "../helpers/gateway-process";
import { WEB_URL } from "../helpers/http-session";
import { testDb as db } from "../helpers/test-db";

const root = path.resolve(import.meta.dirname, "../..");
const PASSWORD = "panel-pass-123";
const SECRET = "panel-app-secret";
const TOKEN = "EAAG-panel-token";
const CALLER = { from: "5511987650001", name: "Ana Souza" };
const line: Line = { phoneNumberId: "777000777000777", displayPhone: "15550007777" };

const graph = new FakeGraphApi();
let gateway: GatewayProcess;
let browser: Browser;
const contexts: BrowserContext[] = [];
let agents: { id: string; email: string }[] = [];
let accountId: string;
let caller: SimulatedCaller | undefined;
/** Opus packets of the hold music the gateway loops to a waiting caller. */
let holdMusic: Set<string>;

// WhatsApp delivers to the public web app; so does the simulated caller here.
async function deliver(raw: Buffer, signature: string) {
  const res = await fetch(`${WEB_URL}/api/webhooks/whatsapp`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-hub-signature-256": signature },
    body: new Uint8Array(raw),
  });
  if (!res.ok) throw new Error(`webhook refused: ${res.status} ${await res.text()}`);
  return res;
}

beforeAll(async () => {
  const org = await createOrg(db, { name: "Panel Org", callingEnabled: true });
  agents = [
    await createUser(db, org.id, { role: "agent", name: "Alice Agent", password: PASSWORD }),
    await createUser(db, org.id, { role: "agent", name: "Bob Agent", password: PASSWORD }),
  ];
  const team = await createTeam(
    db,
    org.id,
    "Sales",
    agents.map((a) => a.id),
  );
  accountId = (await createAccount(db, org.id, { ...line, name: "Sales line", appSecret: SECRET, accessToken: TOKEN })).id;
  await createFlow(db, org.id, {
    accountId,
    name: "Straight to sales",
    document: {
      version: 1,
      entryNodeId: "to-sales",
      nodes: [{ id: "to-sales", type: "transfer", label: "To sales", position: { x: 0, y: 0 }, config: { teamId: team.id } }],
      edges: [],
    },
  });
  holdMusic = new Set(readOggOpus(fs.readFileSync(path.resolve(root, config().calling.hold_music_file))).packets.map((p) => p.toString("base64")));

  await graph.listen(0);
  graph.registerAccount(line.phoneNumberId, TOKEN);
  gateway = new GatewayProcess("web-panel-gw", {
    DATABASE_URL: process.env.DATABASE_URL!,
    REDIS_URL: "redis://127.0.0.1:6379/6",
    GRAPH_API_BASE: graph.url,
    CONFIG_FILE: path.join(root, "tests/helpers/test-config.toml"),
  });
  await gateway.start();
  browser = await launchBrowser(["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"]);
});

afterAll(async () => {
  await caller?.close();
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await gateway?.kill();
  gateway?.saveLog("browser-call-panel-gateway");
  await graph.close();
  await db.$disconnect();
});

async function agentPage(email: string): Promise<{ page: Page; panel: Locator }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, permissions: ["microphone"] });
  contexts.push(context);
  await trackPeerConnections(context);
  const page = await context.newPage();
  await signInWithBrowser(page, email, PASSWORD);
  const panel = page.getByTestId("call-panel");
  await panel.waitFor();
  // The select says what it is on screen, not only to screen readers.
  expect(await panel.locator("label", { hasText: "Availability" }).isVisible()).toBe(true);
  const saved = page.waitForResponse((r) => r.url() === `${WEB_URL}/api/agent/status` && r.request().method() === "POST");
  await panel.getByLabel("Availability").selectOption("available");
  expect(await (await saved).json()).toEqual({ status: "available" });
  return { page, panel };
}

const browserReceived = audioPacketsReceived;

/** Whether the page would ask before unloading (a beforeunload listener cancels the event). */
function leaveIsQuestioned(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const e = new Event("beforeunload", { cancelable: true });
    window.dispatchEvent(e);
    return e.defaultPrevented;
  });
}

/** Sequence and timestamp jumps in what the caller heard (one stream from first packet to last). */
function streamGaps() {
  const heard = caller!.heard;
  let seq = 0;
  let ts = 0;
  for (let i = 1; i < heard.length; i++) {
    const [a, b] = [heard[i - 1]!, heard[i]!];
    if ((b.header.sequenceNumber - a.header.sequenceNumber + 0x10000) % 0x10000 !== 1) seq++;
    if ((b.header.timestamp - a.header.timestamp + 2 ** 32) % 2 ** 32 !== (opusPacketSamples(a.payload) || 960)) ts++;
  }
  return { seq, ts, ssrcs: new Set(heard.map((p) => p.header.ssrc)).size, packets: heard.length };
}

const button = (scope: Locator, name: string) => scope.getByRole("button", { name, exact: true });
const phase = (panel: Locator) => panel.getAttribute("data-phase");
/** Height of the docked call card (0 when there is none) and the room below the page's content. */
const dockRoom = (page: Page) =>
  page.evaluate(() => ({
    card: document.querySelector('aside[aria-label="Calls"]')?.getBoundingClientRect().height ?? 0,
    room: Number.parseFloat(getComputedStyle(document.getElementById("content")!).paddingBottom),
  }));
const statusText = (panel: Locator) => panel.getByTestId("call-status").textContent();

/** Audio packets the caller heard from index `from` on, split into hold music and everything else (the agent). */
function heardSince(from: number) {
  const audio = caller!.heard.slice(from).filter((p) => p.header.payloadType === 111 && !p.payload.equals(OPUS_SILENCE));
  const hold = audio.filter((p) => holdMusic.has(p.payload.toString("base64"))).length;
  return { hold, agent: audio.length - hold };
}

describe("the agent call panel", () => {
  it("rings both agents, lets the first accept win, and bridges, holds, resumes and hangs up the call", { timeout: 120_000 }, async () => {
    const [alice, bob] = [await agentPage(agents[0]!.email), await agentPage(agents[1]!.email)];
    expect(await phase(alice.panel)).toBe("idle");
    // Alice also has a second window open: it rings too, and stops once she answers in the first.
    const second = await alice.page.context().newPage();
    await second.goto(`${WEB_URL}/calls`);
    const secondPanel = second.getByTestId("call-panel");
    await secondPanel.waitFor();

    caller = new SimulatedCaller({ line, appSecret: SECRET, ...CALLER, deliver, graphRequests: async (id) => graph.requests.filter((r) => r.callId === id) });
    await caller.dial();

    // Both agents ring, with who is calling and for which team; the caller hears hold music meanwhile.
    for (const { panel } of [alice, bob, { panel: secondPanel }]) {
      await button(panel, "Accept").waitFor({ timeout: 15_000 });
      const card = panel.getByTestId("ringing-card");
      expect(await card.textContent()).toContain(CALLER.name);
      expect(await card.textContent()).toContain(CALLER.from);
      expect(await card.textContent()).toContain("Sales");
      expect(await button(panel, "Decline").count()).toBe(1);
      expect(await phase(panel)).toBe("ringing");
    }
    await expect.poll(() => heardSince(0).hold, { timeout: 10_000 }).toBeGreaterThan(25);
    await screenshot(alice.page, "call-panel-ringing");

    // Alice accepts; Bob's offer is withdrawn within a second of the claim.
    const answered = alice.page.waitForResponse((r) => /\/api\/transfers\/[^/]+\/accept$/.test(r.url()) && r.request().method() === "POST");
    const bridgedFrom = caller.heard.length;
    await button(alice.panel, "Accept").click();
    const reply = await answered;
    const claimedAt = Date.now();
    expect(reply.status()).toBe(200);
    await bob.panel.getByTestId("ringing-card").waitFor({ state: "detached", timeout: 5_000 });
    const withdrawnMs = Date.now() - claimedAt;
    console.log(`agent 2's ringing card disappeared ${withdrawnMs} ms after agent 1's accept was answered`);
    expect(withdrawnMs).toBeLessThan(1_000);
    expect(await phase(bob.panel)).toBe("idle");
    // Alice's other window stops ringing as quickly, and says where the call is.
    await secondPanel.getByTestId("ringing-card").waitFor({ state: "detached", timeout: 1_000 });
    expect(await secondPanel.getByTestId("call-elsewhere").textContent()).toContain(`Your call with ${CALLER.name} is connected in another window.`);

    await expect.poll(() => phase(alice.panel), { timeout: 10_000 }).toBe("in_call");
    expect(await statusText(alice.panel)).toBe("In call");
    // Alice's microphone (Chromium's fake device) now reaches the caller: packets that are not hold music.
    await expect.poll(() => heardSince(bridgedFrom).agent, { timeout: 10_000 }).toBeGreaterThan(50);
    // And the caller's voice (a tone) reaches Alice's browser.
    caller.talk(tonePackets(440, 1));
    const before = await browserReceived(alice.page);
    await expect.poll(async () => (await browserReceived(alice.page)) - before, { timeout: 10_000 }).toBeGreaterThan(50);
    const call = await db.call.findUniqueOrThrow({ where: { accountId_waCallId: { accountId, waCallId: caller.callId } }, include: { transfers: true } });
    expect(call.agentId).toBe(agents[0]!.id);
    expect(call.transfers[0]).toMatchObject({ status: "accepted", acceptedById: agents[0]!.id });
    await screenshot(alice.page, "call-panel-in-call");
    // Keyboard focus went from the Accept button (gone) to the call card, not to the page's start.
    expect(await alice.page.evaluate(() => document.activeElement?.closest('[data-testid="active-call"]') != null)).toBe(true);
    // Reloading or leaving the page now would drop the call: the browser asks first.
    expect(await leaveIsQuestioned(alice.page)).toBe(true);
    // The docked card leaves as much room below the page as it is tall, so nothing stays hidden under it.
    const withCard = await dockRoom(alice.page);
    expect(withCard.card).toBeGreaterThan(100);
    expect(withCard.room).toBeGreaterThanOrEqual(withCard.card);
    // Folded into one line, the card frees the page's corner and still says who and how long.
    await alice.panel.getByRole("button", { name: "Fold the call card" }).click();
    const folded = alice.panel.getByTestId("call-folded");
    expect(await folded.textContent()).toMatch(new RegExp(`^${CALLER.name} · In call · \\d\\d:\\d\\d$`));
    const foldedRoom = await dockRoom(alice.page);
    expect(foldedRoom.card).toBeLessThan(60);
    expect(foldedRoom.room).toBeGreaterThanOrEqual(foldedRoom.card);
    await screenshot(alice.page, "call-panel-folded");
    await button(alice.panel, "Show call").click();
    await alice.panel.getByTestId("active-call").waitFor();

    await button(alice.panel, "Mute").click();
    await button(alice.panel, "Unmute").waitFor();
    await button(alice.panel, "Unmute").click();
    await button(alice.panel, "Mute").waitFor();

    // Hold: the card turns amber, the caller hears hold music and nothing from the agent.
    await button(alice.panel, "Hold").click();
    await expect.poll(() => statusText(alice.panel), { timeout: 10_000 }).toBe("On hold");
    expect(await phase(alice.panel)).toBe("on_hold");
    const heldFrom = caller.heard.length;
    await expect.poll(() => heardSince(heldFrom).hold, { timeout: 10_000 }).toBeGreaterThan(25);
    expect(heardSince(heldFrom + 10).agent).toBe(0);
    await screenshot(alice.page, "call-panel-on-hold");

    await button(alice.panel, "Resume").click();
    await expect.poll(() => statusText(alice.panel), { timeout: 10_000 }).toBe("In call");
    const resumedFrom = caller.heard.length;
    await expect.poll(() => heardSince(resumedFrom).agent, { timeout: 10_000 }).toBeGreaterThan(25);
    // Hold music → bridge → hold → bridge reached the caller as one continuous stream.
    expect(streamGaps()).toMatchObject({ seq: 0, ts: 0, ssrcs: 1 });

    // A reload (confirmed in the browser's leave dialog) rejoins the call: the new page reconnects,
    // muted as it was, the timer goes on from the bridge, and the caller hears the agent again on the same stream.
    await button(alice.panel, "Mute").click();
    alice.page.once("dialog", (d) => void d.accept());
    await alice.page.reload();
    await expect.poll(() => phase(alice.panel), { timeout: 15_000 }).toBe("in_call");
    expect(await statusText(alice.panel)).toBe("In call");
    await button(alice.panel, "Unmute").click();
    expect(await alice.panel.getByRole("timer").textContent()).not.toBe("00:00");
    const rejoinedFrom = caller.heard.length;
    await expect.poll(() => heardSince(rejoinedFrom).agent, { timeout: 10_000 }).toBeGreaterThan(25);
    const rejoined = await browserReceived(alice.page);
    await expect.poll(async () => (await browserReceived(alice.page)) - rejoined, { timeout: 10_000 }).toBeGreaterThan(25);
    expect(streamGaps()).toMatchObject({ seq: 0, ts: 0, ssrcs: 1 });

    // A window opened now does not take the call from the first either; it offers to move it.
    await second.reload();
    const elsewhere = second.getByTestId("call-elsewhere");
    await elsewhere.waitFor({ timeout: 10_000 });
    expect(await elsewhere.textContent()).toContain(`Your call with ${CALLER.name} is connected in another window.`);
    expect(await phase(second.getByTestId("call-panel"))).toBe("idle");
    await screenshot(second, "call-panel-elsewhere");
    await button(elsewhere, "Move the call here").click();
    await expect.poll(() => phase(secondPanel), { timeout: 15_000 }).toBe("in_call");
    const movedFrom = caller.heard.length;
    await expect.poll(() => heardSince(movedFrom).agent, { timeout: 10_000 }).toBeGreaterThan(25);
    // The first window lets the call go and offers to move it back, rather than showing it as ended.
    const left = alice.page.getByTestId("call-elsewhere");
    await left.waitFor({ timeout: 10_000 });
    expect(await phase(alice.panel)).toBe("idle");
    expect(await left.textContent()).toContain("is connected in another window.");
    // Closing the window that has the call does not drop the caller: the agent's other window says so
    // and takes the call over by itself.
    await second.close();
    await expect.poll(async () => (await left.textContent().catch(() => "")) ?? "", { timeout: 2_000 }).toContain("closed. Moving the call here");
    await expect.poll(() => phase(alice.panel), { timeout: 10_000 }).toBe("in_call");
    const tookOverFrom = caller.heard.length;
    await expect.poll(() => heardSince(tookOverFrom).agent, { timeout: 10_000 }).toBeGreaterThan(25);
    expect(streamGaps()).toMatchObject({ seq: 0, ts: 0, ssrcs: 1 });
    expect((await db.call.findUniqueOrThrow({ where: { id: call.id } })).endedAt).toBeNull();

    // Hang up: WhatsApp is told to terminate, the log says the agent ended it, and wrap-up opens.
    await button(alice.panel, "Hang up").click();
    await expect.poll(() => phase(alice.panel), { timeout: 10_000 }).toBe("wrap_up");
    expect(await statusText(alice.panel)).toBe("You hung up");
    // Focus is in the notes, and the one button says what it will do.
    expect(await alice.page.evaluate(() => document.activeElement?.getAttribute("placeholder"))).toBe("What was the call about? Any follow-up?");
    expect(await button(alice.panel, "Done").count()).toBe(1);
    // Notes typed in the wrap-up survive a reload (the page asks first, as closing the tab would lose them).
    await alice.panel.getByLabel("Notes").fill("Asked about order 1234;");
    expect(await leaveIsQuestioned(alice.page)).toBe(true);
    alice.page.once("dialog", (d) => void d.accept());
    await alice.page.reload();
    await expect.poll(() => phase(alice.panel), { timeout: 10_000 }).toBe("wrap_up");
    expect(await statusText(alice.panel)).toBe("You hung up");
    expect(await alice.panel.getByLabel("Notes").inputValue()).toBe("Asked about order 1234;");
    await expect.poll(() => graph.requests.some((r) => r.callId === caller!.callId && r.action === "terminate"), { timeout: 10_000 }).toBe(true);
    await expect.poll(async () => (await db.call.findUniqueOrThrow({ where: { id: call.id } })).disconnectedBy, { timeout: 10_000 }).toBe("agent");

    await alice.panel.getByLabel("Notes").fill("Asked about order 1234; call back tomorrow.");
    await button(alice.panel, "Save notes").click();
    await expect.poll(() => phase(alice.panel), { timeout: 10_000 }).toBe("idle");
    expect((await db.call.findUniqueOrThrow({ where: { id: call.id } })).notes).toBe("Asked about order 1234; call back tomorrow.");
    // The agent is told so, with the way to the call's page.
    const notice = alice.page.getByTestId("call-panel-notice");
    await expect.poll(() => notice.textContent()).toMatch(/^Notes saved to the call with .+\. Open the call/);
    expect(await notice.getByRole("link", { name: "Open the call" }).getAttribute("href")).toBe(`/calls/${call.id}`);
    await screenshot(alice.page, "call-panel-notes-saved");
    expect(await leaveIsQuestioned(alice.page)).toBe(false);
    // The card is gone, and so is the room it took.
    expect((await dockRoom(alice.page)).room).toBeLessThan(64);
  });
});
