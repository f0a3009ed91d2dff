// What happens to a caller nobody takes: the transfer times out into the node's no_answer output
// (or the "no agent" goodbye), nobody available skips the wait, a caller hanging up while it rings
// withdraws every offer, a declined offer stays silent for that agent only — all seen through
// realtime events as the call panel sees them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScriptAgent } from "../../tools/agent-sim/agent";
import { AgentRig } from "../helpers/agent-rig";
import { testPusherApp } from "../helpers/realtime";
import { testDb as db } from "../helpers/test-db";

const rig = new AgentRig();
const TIMEOUT_SECS = 3;
const steps = async (waCallId: string) => (await rig.callRow(waCallId)).steps.map((s) => `${s.nodeId}:${s.handle ?? "end"}`);
let ana: ScriptAgent;
let ben: ScriptAgent;

const transferNodes = (withFallback: boolean) =>
  rig.useFlow(
    [
      { id: "sales", type: "transfer", label: "Sales team", config: { teamId: rig.teamId } },
      ...(withFallback ? [{ id: "later", type: "hangup", label: "Call back later", config: { prompt: { text: "Please call back later." } } }] : []),
    ],
    withFallback ? [["sales", "no_answer", "later"]] : [],
  );

beforeAll(async () => {
  await rig.start({ agents: 2, gatewayId: "web-gw-outcomes", calling: { transfer_timeout_secs: TIMEOUT_SECS } });
  const app = testPusherApp();
  [ana, ben] = await Promise.all([rig.signIn(0), rig.signIn(1)]);
  await ana.listen(rig.agents[0]!.id, { key: app.key, host: "127.0.0.1", port: app.port });
  await ben.listen(rig.agents[1]!.id, { key: app.key, host: "127.0.0.1", port: app.port });
}, 120_000);

afterAll(async () => {
  await Promise.all([ana?.close(), ben?.close()]);
  await rig.stop("web-gateway-outcomes");
  await db.$disconnect();
});

/** Signs out as the sidebar's button does: next-auth's sign-out POST with its CSRF token. */
async function signOut(agent: ScriptAgent): Promise<Response> {
  const csrf = await fetch(`${agent.baseUrl}/api/auth/csrf`, { headers: { cookie: agent.cookie } });
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const jar = [agent.cookie, ...csrf.headers.getSetCookie().map((c) => c.split(";")[0])].join("; ");
  return fetch(`${agent.baseUrl}/api/auth/signout`, {
    method: "POST",
    redirect: "manual",
    headers: { cookie: jar, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ csrfToken, json: "true" }),
  });
}

describe("a transfer nobody takes", () => {
  it("rings through realtime, then follows no_answer after transfer_timeout_secs and withdraws the offer", async () => {
    await transferNodes(true);
    await Promise.all([ana.setStatus("available"), ben.setStatus("available")]);
    const caller = rig.caller();
    await caller.dial();
    await expect.poll(() => ana.events.find((e) => e.event === "transfer.offered"), { timeout: 5_000 }).toBeTruthy();
    const offered = ana.events.find((e) => e.event === "transfer.offered")!.data as { transferId: string; team: { name: string } };
    expect(offered.team.name).toBe("Sales");
    // Each agent has its own realtime connection: Ben's offer may land a moment after Ana's.
    await expect.poll(() => ben.events.some((e) => e.event === "transfer.offered"), { timeout: 5_000 }).toBe(true);

    await expect.poll(() => steps(caller.callId), { timeout: (TIMEOUT_SECS + 10) * 1000 }).toEqual(["sales:end", "sales:no_answer", "later:end"]);
    expect(ana.events.find((e) => e.event === "transfer.withdrawn")?.data).toEqual({
      transferId: offered.transferId,
      callId: expect.any(String),
      reason: "timed_out",
    });
    expect(await ana.offers()).toEqual([]);
    await expect.poll(() => rig.actions(caller.callId), { timeout: 15_000 }).toContain("terminate");
    const call = await rig.callRow(caller.callId);
    expect(call.transfers[0]).toMatchObject({ status: "timed_out", endReason: "timeout" });
    expect(call.steps[1]?.variables).toEqual({ transfer_result: "timeout" });
    await caller.close();
  });

  it("says the flow's goodbye and ends the call when the transfer has no no_answer output", async () => {
    await transferNodes(false);
    await ana.setStatus("available");
    const caller = rig.caller();
    await caller.dial();
    await expect.poll(() => rig.actions(caller.callId), { timeout: (TIMEOUT_SECS + 20) * 1000 }).toContain("terminate");
    const call = await rig.callRow(caller.callId);
    expect(call).toMatchObject({ status: "completed", disconnectedBy: "system", error: "No agent accepted the transfer" });
    expect(caller.audio().length).toBeGreaterThan(TIMEOUT_SECS * 40);
    await caller.close();
  });

  it("takes no_answer at once when no agent of the team is available", async () => {
    await transferNodes(true);
    await Promise.all([ana.setStatus("away"), ben.setStatus("offline")]);
    const caller = rig.caller();
    const started = Date.now();
    await caller.dial();
    await expect.poll(() => steps(caller.callId), { timeout: 10_000 }).toEqual(["sales:end", "sales:no_answer", "later:end"]);
    expect(Date.now() - started).toBeLessThan(TIMEOUT_SECS * 1000);
    const call = await rig.callRow(caller.callId);
    expect(call.transfers[0]).toMatchObject({ status: "timed_out", endReason: "no_agents", offeredTo: [] });
    expect(call.steps[1]?.variables).toEqual({ transfer_result: "no_agents" });
    await caller.close();
  });
});

describe("while it rings", () => {
  it("withdraws every offer when the caller hangs up, and records the transfer as cancelled", async () => {
    await transferNodes(true);
    await Promise.all([ana.setStatus("available"), ben.setStatus("available")]);
    const before = ana.events.length;
    const caller = rig.caller();
    await caller.dial();
    const offer = await ana.waitForOffer();
    await caller.hangUp();
    await expect
      .poll(() => ana.events.slice(before).find((e) => e.event === "transfer.withdrawn")?.data, { timeout: 5_000 })
      .toEqual({
        transferId: offer.transferId,
        callId: offer.callId,
        reason: "cancelled",
      });
    expect(ben.events.some((e) => e.event === "transfer.withdrawn" && (e.data as { transferId: string }).transferId === offer.transferId)).toBe(true);
    expect(await ana.offers()).toEqual([]);
    const res = await ana.accept(offer.transferId);
    expect(res.status).toBe(409);
    const call = await rig.callRow(caller.callId);
    expect(call).toMatchObject({ disconnectedBy: "client" });
    expect(call.transfers[0]).toMatchObject({ status: "cancelled", endReason: "caller_hung_up" });
  });

  it("silences a declined offer for that agent only", async () => {
    await transferNodes(true);
    await Promise.all([ana.setStatus("available"), ben.setStatus("available")]);
    const caller = rig.caller();
    await caller.dial();
    const offer = await ana.waitForOffer();
    const declined = await ana.fetch(`/api/transfers/${offer.transferId}/decline`, { method: "POST" });
    expect(declined.status).toBe(204);
    expect(await ana.offers()).toEqual([]);
    expect((await ben.offers()).map((o) => o.transferId)).toEqual([offer.transferId]);
    // Away or offline, nothing rings for Ben; available again, the waiting call does.
    await ben.setStatus("away");
    expect(await ben.offers()).toEqual([]);
    await ben.setStatus("offline");
    expect(await ben.offers()).toEqual([]);
    await ben.setStatus("available");
    expect((await ben.offers()).map((o) => o.transferId)).toEqual([offer.transferId]);
    await caller.hangUp();
    const call = await rig.callRow(caller.callId);
    expect(call.transfers[0]?.declinedBy).toEqual([rig.agents[0]!.id]);
  });

  it("puts the caller back in the queue when the gateway cannot take the agent's offer", async () => {
    await transferNodes(true);
    await Promise.all([ana.setStatus("available"), ben.setStatus("offline")]);
    const caller = rig.caller();
    await caller.dial();
    const offer = await ana.waitForOffer();
    // An offer without Opus is refused before anything is claimed.
    const noOpus = await ana.accept(
      offer.transferId,
      "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=rtpmap:0 PCMU/8000\r\n",
    );
    expect(noOpus.status).toBe(422);
    expect(((await noOpus.json()) as { error: { message: string } }).error.message).toMatch(/no Opus audio/);
    expect((await rig.callRow(caller.callId)).transfers[0]).toMatchObject({ status: "waiting", acceptedById: null });
    // Opus, but no audio stream for the gateway to answer: claimed, refused by the gateway, reopened.
    const res = await ana.accept(
      offer.transferId,
      "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=video 9 UDP/TLS/RTP/SAVPF 111\r\na=rtpmap:111 opus/48000/2\r\n",
    );
    expect(res.status).toBe(502);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/no audio stream/);
    // Still waiting, and still ringing for the agent, who can try again with a proper offer.
    expect((await ana.offers()).map((o) => o.transferId)).toEqual([offer.transferId]);
    const call = await rig.callRow(caller.callId);
    expect(call.transfers[0]).toMatchObject({ status: "waiting", acceptedById: null });
    expect(call.agentId).toBeNull();
    expect((await ana.accept(offer.transferId)).status).toBe(200);
    await caller.hangUp();
    await ana.closeMedia();
  });

  it("tells the agent on the call when the caller hangs up", async () => {
    await transferNodes(true);
    await ana.setStatus("available");
    const caller = rig.caller();
    await caller.dial();
    const offer = await ana.waitForOffer();
    expect((await ana.accept(offer.transferId)).status).toBe(200);
    await expect
      .poll(
        () =>
          ana.events.some(
            (e) =>
              e.event === "call.updated" &&
              (e.data as { callId: string; status: string }).status === "in_call" &&
              (e.data as { callId: string }).callId === offer.callId,
          ),
        { timeout: 5_000 },
      )
      .toBe(true);
    await caller.hangUp();
    await expect
      .poll(
        () =>
          ana.events.find(
            (e) =>
              e.event === "call.updated" &&
              (e.data as { status: string; callId: string }).status === "ended" &&
              (e.data as { callId: string }).callId === offer.callId,
          )?.data,
        { timeout: 5_000 },
      )
      .toEqual({ callId: offer.callId, status: "ended", endedBy: "client" });
    expect((await rig.callRow(caller.callId)).disconnectedBy).toBe("client");
    await ana.closeMedia();
  });

  it("stops ringing an agent who signs out: offline at once, so the next caller skips the wait", async () => {
    await transferNodes(true);
    await Promise.all([ana.setStatus("away"), ben.setStatus("offline")]);
    const leaving = await rig.signIn(1);
    await leaving.setStatus("available");
    expect((await signOut(leaving)).status).toBeLessThan(400);
    const membership = await db.membership.findFirstOrThrow({ where: { userId: rig.agents[1]!.id } });
    expect(membership.agentStatus).toBe("offline");
    const caller = rig.caller();
    await caller.dial();
    await expect.poll(() => steps(caller.callId), { timeout: 15_000 }).toEqual(["sales:end", "sales:no_answer", "later:end"]);
    expect((await rig.callRow(caller.callId)).transfers[0]).toMatchObject({ endReason: "no_agents" });
    await caller.close();
  });

  it("ends the call as the agent's own hang-up when they sign out mid-call, instead of 10 s of silence", async () => {
    await transferNodes(true);
    await Promise.all([ana.setStatus("away"), ben.setStatus("offline")]);
    const leaving = await rig.signIn(1);
    await leaving.setStatus("available");
    const caller = rig.caller();
    await caller.dial();
    const offer = await leaving.waitForOffer();
    expect((await leaving.accept(offer.transferId)).status).toBe(200);
    await expect.poll(async () => (await rig.callRow(caller.callId)).agentId, { timeout: 5_000 }).toBe(rig.agents[1]!.id);
    const signedOutAt = Date.now();
    expect((await signOut(leaving)).status).toBeLessThan(400);
    await expect.poll(() => rig.actions(caller.callId), { timeout: 5_000 }).toContain("terminate");
    expect(Date.now() - signedOutAt).toBeLessThan(5_000);
    expect(await rig.callRow(caller.callId)).toMatchObject({ status: "completed", disconnectedBy: "agent" });
    await caller.close();
    await leaving.close();
  });

  it("refuses bad input with clear errors", async () => {
    const bad = await ana.fetch("/api/agent/status", { json: { status: "napping" } });
    expect(bad.status).toBe(422);
    const opusOffer = "v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=rtpmap:111 opus/48000/2\r\n";
    const missing = await ana.fetch("/api/transfers/nope/accept", { json: { sdp: opusOffer } });
    expect(missing.status).toBe(404);
    const notAnOffer = await ana.fetch("/api/transfers/nope/accept", { json: { sdp: "v=0 something long enough" } });
    expect(notAnOffer.status).toBe(422);
    expect(((await notAnOffer.json()) as { error: { message: string } }).error.message).toMatch(/sdp: The offer has no Opus audio/);
    const noSdp = await ana.fetch("/api/transfers/nope/accept", { json: {} });
    expect(noSdp.status).toBe(422);
    const anon = await fetch(`${ana.baseUrl}/api/agent/offers`);
    expect(anon.status).toBe(401);
  });
});
