// Answering an incoming call on the gateway (CallSession.start) up to pre_accept, with a stand-in
// Graph API client: the client is looked up once per call even when several steps ask at the
// same time, the lookup runs alongside the session's PostgreSQL reads, and a lookup that fails
// never leaves the caller ringing: the call is rejected through a fresh lookup and logged as failed.
// A call still not pre-accepted at 80% of `[gateway] setup_deadline_ms` is rejected then, whatever step
// it waits on (here ICE gathering, held up by a STUN server that never answers). A call that stopped
// ringing is not answered, and the peer built alongside the flow read is closed.
import dgram from "node:dgram";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MediaStreamTrack, RTCPeerConnection } from "werift";
import { parseConfig } from "../../lib/config";
import { waitGathered, whatsappCodecs } from "../../lib/media/webrtc";
import { createAccount, createFlow, createOrg } from "../../lib/seed/factories";
import type { GraphClient } from "../../lib/whatsapp/graph-client";
import { CallSession } from "../../media-gateway/call/session";
import { MediaClock } from "../../media-gateway/media/clock";
import { testDb as db } from "../helpers/test-db";
import { heldUdpPorts } from "../helpers/free-port";

const config = parseConfig(`[calling]\nudp_port_min = 10640\nudp_port_max = 10649\n[gateway]\nanswer_timeout_secs = 2\n`);
const clock = new MediaClock(20);
const peers: RTCPeerConnection[] = [];
let orgId: string;
let accountId: string;
let flowId: string;

beforeAll(async () => {
  orgId = (await createOrg(db, { name: "Session setup", callingEnabled: true })).id;
  accountId = (await createAccount(db, orgId)).id;
  const hangup = { id: "bye", type: "hangup", label: "Bye", position: { x: 0, y: 0 }, config: {} };
  flowId = (await createFlow(db, orgId, { accountId, document: { version: 1, entryNodeId: "bye", nodes: [hangup], edges: [] } })).id;
});

afterAll(async () => {
  clock.stop();
  await Promise.all(peers.map((pc) => pc.close()));
  await db.$disconnect();
});

/** A ringing call with a WhatsApp-like offer (ICE-lite, host candidates) that nobody will connect. */
async function ringingCall() {
  const pc = new RTCPeerConnection({ iceLite: true, codecs: whatsappCodecs(), iceUseIpv6: false, iceAdditionalHostAddresses: ["127.0.0.1"] });
  peers.push(pc);
  pc.addTransceiver(new MediaStreamTrack({ kind: "audio" }), { direction: "sendrecv" });
  await pc.setLocalDescription(await pc.createOffer());
  await waitGathered(pc, 3_000);
  const waCallId = `wacid.session-${Math.random().toString(36).slice(2)}`;
  const call = await db.call.create({ data: { orgId, accountId, waCallId, direction: "incoming", status: "ringing", callerPhone: "5511999990000" } });
  return {
    callId: call.id,
    cmd: {
      type: "call.assign" as const,
      callId: call.id,
      waCallId,
      orgId,
      accountId,
      phoneNumberId: "1",
      flowId,
      callerPhone: "5511999990000",
      sdpOffer: pc.localDescription!.sdp,
      receivedAt: Date.now(),
    },
  };
}

/** A Graph API client that records the call actions sent through it. */
function standInGraph() {
  const sent: string[] = [];
  const record = (action: string) => async () => {
    sent.push(action);
  };
  const client = { preAccept: record("pre_accept"), accept: record("accept"), reject: record("reject"), terminate: record("terminate") };
  return { sent, client: client as unknown as GraphClient };
}

function session(cmd: Awaited<ReturnType<typeof ringingCall>>["cmd"], graph: (accountId: string) => Promise<GraphClient>, withConfig = config) {
  let closed: () => void = () => {};
  const ended = new Promise<void>((r) => (closed = r));
  const s = new CallSession(cmd, { gatewayId: "session-test-gw", config: withConfig, clock, log: pino({ level: "silent" }), graph, onClosed: () => closed() });
  return { s, ended };
}

describe("call session setup", () => {
  it("looks the Graph API client up once, while it reads the call and its flow, and pre-accepts with it", async () => {
    const { cmd } = await ringingCall();
    const graph = standInGraph();
    let lookups = 0;
    let peerWhenAsked: unknown;
    const { s, ended } = session(cmd, async () => {
      lookups += 1;
      // Asked at the start, not after the answer is built: no peer exists yet.
      peerWhenAsked = (s as unknown as { pc: RTCPeerConnection | null }).pc;
      await new Promise((r) => setTimeout(r, 50));
      return graph.client;
    });
    const started = s.start();
    // The caller never connects: after pre_accept the session gives up (answer_timeout_secs) and rejects.
    await started;
    await ended;
    expect(graph.sent).toEqual(["pre_accept", "reject"]);
    expect(lookups).toBe(1);
    expect(peerWhenAsked).toBeNull();
  });

  it("rejects the call through a fresh lookup when the first one fails, instead of leaving it ringing", async () => {
    const { cmd, callId } = await ringingCall();
    const graph = standInGraph();
    let lookups = 0;
    const { s, ended } = session(cmd, async () => {
      lookups += 1;
      if (lookups === 1) throw new Error("PostgreSQL went away for a moment");
      return graph.client;
    });
    await s.start();
    await ended;
    expect(lookups).toBe(2);
    expect(graph.sent).toEqual(["reject"]);
    const row = await db.call.findUniqueOrThrow({ where: { id: callId }, select: { status: true, error: true, endedAt: true } });
    expect(row.endedAt).not.toBeNull();
    expect(row.error).toMatch(/PostgreSQL went away/);
  });

  it("does not answer a call that stopped ringing, and the peer made meanwhile gives its UDP port back", async () => {
    const { cmd, callId } = await ringingCall();
    // The caller hung up while the call was on its way to this gateway.
    await db.call.update({ where: { id: callId }, data: { status: "missed", endedAt: new Date() } });
    const graph = standInGraph();
    const { s, ended } = session(cmd, async () => graph.client);
    await s.start();
    await ended;
    expect(graph.sent).toEqual([]);
    // The answer was being built alongside the flow read; once made it is closed, so every port of the range binds again.
    const deadline = Date.now() + 3_000;
    let busy = await heldUdpPorts(10640, 10649);
    while (busy.length > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      busy = await heldUdpPorts(10640, 10649);
    }
    expect(busy).toEqual([]);
  });

  it("rejects at 80% of the setup deadline a call whose answer is still being built, not when it is ready", async () => {
    // A STUN server that never answers: werift waits for it while gathering, up to the 3 s gathering limit.
    const silent = dgram.createSocket("udp4");
    await new Promise<void>((r) => silent.bind(0, "127.0.0.1", r));
    const slowGathering = parseConfig(
      `[calling]\nudp_port_min = 10640\nudp_port_max = 10649\n[[calling.ice_servers]]\nurls = "stun:127.0.0.1:${silent.address().port}"\n[gateway]\nsetup_deadline_ms = 1000\n`,
    );
    try {
      const { cmd, callId } = await ringingCall();
      const sentAt: Record<string, number> = {};
      const stamp = (action: string) => async () => {
        sentAt[action] = Date.now();
      };
      const client = { preAccept: stamp("pre_accept"), reject: stamp("reject") };
      const receivedAt = Date.now();
      const { s, ended } = session({ ...cmd, receivedAt }, async () => client as unknown as GraphClient, slowGathering);
      await s.start();
      await ended;
      expect(sentAt.pre_accept).toBeUndefined();
      // Decided at 800 ms; the reject itself went out before the log write.
      expect(sentAt.reject! - receivedAt).toBeGreaterThanOrEqual(790);
      expect(sentAt.reject! - receivedAt).toBeLessThan(1000);
      const row = await db.call.findUniqueOrThrow({ where: { id: callId }, select: { status: true, error: true, endedAt: true } });
      expect(row.status).toBe("rejected");
      expect(row.endedAt).not.toBeNull();
      expect(row.error).toMatch(/^The media gateway could not answer within 1000 ms of the call \(\d+ ms had passed; it is overloaded\)$/);
    } finally {
      silent.close();
    }
  });
});
