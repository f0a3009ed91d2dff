// The gateway peer's short RTP path (lib/media/fast-rtp.ts) against an unmodified werift
// caller over loopback UDP: every packet arrives both ways, in order and byte for byte, with both SRTP
// profiles; forged and replayed datagrams are dropped; nothing is sent without ICE consent; the RTCP
// reports count what went the short way.
import dgram from "node:dgram";
import { afterEach, describe, expect, it } from "vitest";
import { MediaStreamTrack, RTCPeerConnection, RtcpRrPacket, RtcpSrPacket, RtpHeader, RtpPacket } from "werift";
import { parseConfig } from "../../lib/config";
import { waitConnected, waitGathered, whatsappCodecs } from "../../lib/media/webrtc";
import { answerOffer } from "../../media-gateway/call/peer";

const range = "udp_port_min = 10630\nudp_port_max = 10639\n";
const gcmFirst = parseConfig(`[calling]\n${range}`).calling;
const cmOnly = parseConfig(`[calling]\n${range}srtp_profiles = ["AES_CM_128_HMAC_SHA1_80"]\n`).calling;
const open: RTCPeerConnection[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

afterEach(async () => {
  await Promise.all(open.splice(0).map((pc) => pc.close()));
});

interface Heard {
  seq: number;
  ts: number;
  pt: number;
  ssrc: number;
  marker: boolean;
  payload: string;
}
const heardOf = (p: RtpPacket): Heard => ({
  seq: p.header.sequenceNumber,
  ts: p.header.timestamp,
  pt: p.header.payloadType,
  ssrc: p.header.ssrc,
  marker: p.header.marker,
  payload: p.payload.toString("hex"),
});

/** A WhatsApp-like caller (plain werift, ICE-lite) connected to the gateway's answering peer. */
async function call(calling: typeof gcmFirst) {
  const caller = new RTCPeerConnection({ iceLite: true, codecs: whatsappCodecs(), iceUseIpv6: false, iceAdditionalHostAddresses: ["127.0.0.1"] });
  open.push(caller);
  const callerTrack = new MediaStreamTrack({ kind: "audio" });
  caller.addTransceiver(callerTrack, { direction: "sendrecv" });
  const atCaller: Heard[] = [];
  caller.onTrack.subscribe((t) => t.onReceiveRtp.subscribe((p) => atCaller.push(heardOf(p))));
  await caller.setLocalDescription(await caller.createOffer());
  await waitGathered(caller, 3_000);
  const atGateway: Heard[] = [];
  const gateway = await answerOffer(caller.localDescription!.sdp, calling, (p) => atGateway.push(heardOf(p)));
  open.push(gateway.pc);
  await caller.setRemoteDescription({ type: "answer", sdp: gateway.answer });
  await Promise.all([waitConnected(gateway.pc, 10_000), waitConnected(caller, 10_000)]);
  return { caller, callerTrack, atCaller, gateway, atGateway };
}

/** `n` Opus-like packets of a stream, each payload its own bytes. */
function stream(n: number, seq0: number, ts0: number, tag: number): RtpPacket[] {
  return Array.from({ length: n }, (_, i) => {
    const payload = Buffer.alloc(60 + (i % 40), (tag + i) & 0xff).fill(0xf8, 0, 1);
    payload.writeUInt16BE(i, 1);
    const header = new RtpHeader({ payloadType: 111, sequenceNumber: (seq0 + i) & 0xffff, timestamp: (ts0 + i * 960) >>> 0, ssrc: 0, marker: i === 0 });
    return new RtpPacket(header, payload);
  });
}

async function until(what: () => boolean, ms: number) {
  const end = Date.now() + ms;
  while (!what() && Date.now() < end) await sleep(20);
}

describe("the gateway peer's short RTP path", () => {
  for (const [profile, calling, id] of [
    ["AEAD_AES_128_GCM", gcmFirst, 7],
    ["AES_CM_128_HMAC_SHA1_80", cmOnly, 1],
  ] as const) {
    it(`carries both directions byte for byte, in order, with ${profile}`, async () => {
      const { caller, callerTrack, atCaller, gateway, atGateway } = await call(calling);
      expect((gateway.transceiver.dtlsTransport as unknown as { srtp: { config: { profile: number } } }).srtp.config.profile).toBe(id);
      const out = stream(200, 65500, 0xffffe000, 3); // both wrap around mid-stream
      const inbound = stream(200, 40000, 12345, 101);
      for (let i = 0; i < out.length; i++) {
        gateway.rtp.send(out[i]!);
        callerTrack.writeRtp(inbound[i]!);
        if (i % 20 === 19) await sleep(20);
      }
      await until(() => atCaller.length >= out.length && atGateway.length >= inbound.length, 5_000);
      const ssrc = gateway.transceiver.sender.ssrc;
      expect(atCaller).toEqual(out.map((p) => ({ ...heardOf(p), ssrc })));
      const callerSsrc = caller.getTransceivers()[0]!.sender.ssrc;
      expect(atGateway).toEqual(inbound.map((p) => ({ ...heardOf(p), ssrc: callerSsrc })));
      // All but the caller's first packet (werift routes it and starts the SSRC's statistics) went the short way.
      expect([gateway.rtp.sent, gateway.rtp.received]).toEqual([out.length, inbound.length - 1]);
    });
  }

  it("drops a replayed or altered datagram and keeps delivering the stream", async () => {
    const { callerTrack, atGateway, caller, gateway } = await call(cmOnly);
    // The caller's datagrams as they leave its socket (the test listens; the gateway is not touched).
    const pair = (
      caller.getTransceivers()[0]!.dtlsTransport as unknown as {
        iceTransport: { connection: { nominated: { protocol: { transport: { socket: dgram.Socket } }; remoteAddr: [string, number] } } };
      }
    ).iceTransport.connection.nominated;
    const wire: Buffer[] = [];
    const socket = pair.protocol.transport.socket;
    const send = socket.send.bind(socket) as (...args: unknown[]) => void;
    socket.send = ((data: Buffer, ...rest: unknown[]) => {
      if ((data[0]! & 0xc0) === 0x80 && !(data[1]! >= 192 && data[1]! <= 223)) wire.push(Buffer.from(data)); // RTP, not RTCP
      send(data, ...rest);
    }) as typeof socket.send;
    const packets = stream(12, 100, 0, 7);
    for (const p of packets.slice(0, 10)) callerTrack.writeRtp(p);
    await until(() => atGateway.length >= 10, 3_000);
    expect(atGateway).toHaveLength(10);
    const [port, address] = [pair.remoteAddr[1], pair.remoteAddr[0]];
    const attacker = dgram.createSocket("udp4");
    const altered = Buffer.from(wire[9]!);
    altered[20]! ^= 0x01;
    const forged = Buffer.from(wire[9]!);
    forged.writeUInt16BE(110, 2); // a sequence number not yet seen, with packet 9's authentication tag
    for (const d of [wire[4]!, wire[9]!, altered, forged]) await new Promise<void>((r) => attacker.send(d, port, address, () => r()));
    await sleep(200);
    attacker.close();
    expect(atGateway).toHaveLength(10);
    for (const p of packets.slice(10)) callerTrack.writeRtp(p);
    await until(() => atGateway.length >= 12, 3_000);
    expect(atGateway.map((h) => h.seq)).toEqual(packets.map((p) => p.header.sequenceNumber));
    expect(gateway.rtp.received).toBe(11);
  });

  it("keeps the stream continuous when the gateway's track is replaced mid-stream (werift renumbers it)", async () => {
    const { atCaller, gateway } = await call(cmOnly);
    const first = stream(30, 1000, 0, 5);
    for (const p of first) gateway.rtp.send(p);
    await until(() => atCaller.length >= first.length, 3_000);
    // A new source starts its own numbering; the caller must still hear one stream, 1030 on.
    await gateway.transceiver.sender.replaceTrack(new MediaStreamTrack({ kind: "audio" }));
    const second = stream(30, 50_000, 777_000, 9);
    for (const p of second) gateway.rtp.send(p);
    await until(() => atCaller.length >= first.length + second.length, 3_000);
    expect(atCaller.map((h) => h.seq)).toEqual(Array.from({ length: 60 }, (_, i) => 1000 + i));
    expect(atCaller[30]!.ts).toBe(atCaller[29]!.ts + 1);
    expect(atCaller.slice(30).map((h) => h.payload)).toEqual(second.map((p) => p.payload.toString("hex")));
  });

  it("sends nothing while the caller's ICE consent is not fresh (RFC 7675), and again once it is", async () => {
    const { atCaller, gateway } = await call(cmOnly);
    const connection = (gateway.transceiver.dtlsTransport as unknown as { iceTransport: { connection: { consentFresh: boolean } } }).iceTransport.connection;
    const packets = stream(30, 500, 0, 5);
    connection.consentFresh = false; // as werift sets it when consent checks go unanswered
    for (const p of packets.slice(0, 10)) gateway.rtp.send(p);
    await sleep(300);
    expect(atCaller).toHaveLength(0);
    connection.consentFresh = true;
    for (const p of packets.slice(10)) gateway.rtp.send(p);
    await until(() => atCaller.length >= 20, 3_000);
    expect(atCaller.map((h) => h.seq)).toEqual(packets.slice(10).map((p) => p.header.sequenceNumber));
  });

  it("counts what went the short way in its RTCP: the sender report's packets and the receiver report's highest sequence", async () => {
    const { caller, callerTrack, gateway } = await call(cmOnly);
    const out = stream(500, 1000, 0, 9);
    const inbound = stream(500, 20000, 0, 77);
    const callerSsrc = caller.getTransceivers()[0]!.sender.ssrc;
    let sr: { packetCount: number; sentThen: number } | undefined;
    let rr: { highest: number; sentThen: number } | undefined;
    let sent = 0;
    const dtls = caller.getTransceivers()[0]!.dtlsTransport as unknown as { onRtcp: { subscribe(f: (p: unknown) => void): void } };
    dtls.onRtcp.subscribe((p) => {
      if (p instanceof RtcpSrPacket && p.ssrc === gateway.transceiver.sender.ssrc) sr ??= { packetCount: p.senderInfo.packetCount, sentThen: sent };
      const reports = p instanceof RtcpRrPacket || p instanceof RtcpSrPacket ? p.reports : [];
      const block = reports.find((r) => r.ssrc === callerSsrc);
      if (block) rr ??= { highest: block.highestSequence & 0xffff, sentThen: sent };
    });
    // 50 packets/s each way until both reports arrived (werift sends audio reports every 2.5–7.5 s).
    for (let i = 0; i < out.length && (!sr || !rr); i++) {
      gateway.rtp.send(out[i]!);
      callerTrack.writeRtp(inbound[i]!);
      sent++;
      await sleep(20);
    }
    expect(sr, "a sender report from the gateway").toBeDefined();
    expect(rr, "a receiver report about the caller's stream").toBeDefined();
    expect(gateway.rtp.sent).toBeGreaterThan(100);
    // Each report was made after at most the packets sent by then (and lost none on loopback).
    expect(sr!.packetCount).toBeGreaterThan(sr!.sentThen - 5);
    expect(sr!.packetCount).toBeLessThanOrEqual(sr!.sentThen);
    expect(rr!.highest).toBeGreaterThan(20000 + rr!.sentThen - 6);
    expect(rr!.highest).toBeLessThanOrEqual(20000 + rr!.sentThen - 1);
  }, 20_000);
});
