// patches/werift+0.25.2.patch also cuts werift's per-packet plumbing (a synchronous RTP send, no
// promise per event, cheaper packet copies). Here werift 0.25.2 as shipped and the patched werift run
// side by side: the same peer-connection pair on loopback in each, the same fixed SRTP keys, the same
// packets written as the gateway writes them. A peer must see the same datagrams byte for byte, and
// the remote track must deliver the same packets, for both SRTP profiles; RTCP must still flow.
import dgram from "node:dgram";
import type * as WeriftModule from "werift";
import { describe, expect, it } from "vitest";
import { whenPeer } from "../fixtures/werift/peer-state";
import { loadShippedAndPatched } from "../fixtures/werift/side-by-side";
import { AEAD_GCM, AES_CM } from "../fixtures/werift/srtp-corpus";

type W = typeof WeriftModule;
type Sender = InstanceType<W["RTCRtpSender"]>;

const SSRC_A = 0x1a2b3c4d;
const SSRC_B = 0x5e6f7081;
const OPUS = 111;
const DTMF = 101;

interface Delivered {
  payloadType: number;
  sequenceNumber: number;
  timestamp: number;
  ssrc: number;
  marker: boolean;
  extensions: string[];
  payload: string;
}
interface Run {
  /** SRTP datagrams A put on its socket, hex. */
  wire: string[];
  /** RTP packets B's remote track delivered. */
  delivered: Delivered[];
  /** RTCP packet types A's sender and B's receiver handled. */
  rtcp: () => { senderGot: number[]; receiverGot: number[] };
  /** Puts a datagram on A's socket to B, as A's last SRTP packet went. */
  inject: (datagram: Buffer) => void;
  /** B's receive statistics of A's stream. */
  receiverStats: () => Record<string, unknown>;
  close: () => Promise<void>;
}

/** Caller-like ICE-lite A ↔ gateway-like B, connected, with both ends' SRTP keys replaced by fixed ones. */
async function connectedPair(w: W, profile: number, extensions: boolean, fixSsrcs = true): Promise<Run> {
  const codecs = () => ({
    audio: [
      new w.RTCRtpCodecParameters({ mimeType: "audio/opus", clockRate: 48000, channels: 2, payloadType: OPUS }),
      new w.RTCRtpCodecParameters({ mimeType: "audio/telephone-event", clockRate: 48000, payloadType: DTMF }),
    ],
  });
  // MID and transport-wide sequence numbers are the extensions a sender writes that do not depend on the clock.
  const { useSdesMid: sdesMid, useTransportWideCC: transportWideCC } = w; // werift's names, not React hooks
  const headerExtensions = extensions ? { audio: [sdesMid(), transportWideCC()] } : undefined;
  const a = new w.RTCPeerConnection({ iceLite: true, codecs: codecs(), headerExtensions, iceUseIpv6: false, iceAdditionalHostAddresses: ["127.0.0.1"] });
  const b = new w.RTCPeerConnection({ codecs: codecs(), headerExtensions, iceUseIpv6: false });
  const delivered: Delivered[] = [];
  b.onTrack.subscribe((track) =>
    track.onReceiveRtp.subscribe((p) =>
      delivered.push({
        payloadType: p.header.payloadType,
        sequenceNumber: p.header.sequenceNumber,
        timestamp: p.header.timestamp,
        ssrc: p.header.ssrc,
        marker: p.header.marker,
        extensions: p.header.extensions.map((e) => `${e.id}:${e.payload.toString("hex")}`),
        payload: p.payload.toString("hex"),
      }),
    ),
  );
  const trackA = new w.MediaStreamTrack({ kind: "audio" });
  const transceiverA = a.addTransceiver(trackA, { direction: "sendrecv" });
  // Before the offer, which announces it (the router keeps the first one for RTCP, hence fixSsrcs).
  if (fixSsrcs) (transceiverA.sender as { ssrc: number }).ssrc = SSRC_A;
  await a.setLocalDescription(await a.createOffer());
  await whenPeer(a, "gathered", 5_000);
  await b.setRemoteDescription({ type: "offer", sdp: a.localDescription!.sdp });
  const transceiverB = b.getTransceivers()[0]!;
  if (fixSsrcs) (transceiverB.sender as { ssrc: number }).ssrc = SSRC_B;
  await transceiverB.sender.replaceTrack(new w.MediaStreamTrack({ kind: "audio" }));
  transceiverB.setDirection("sendrecv");
  await b.setLocalDescription(await b.createAnswer());
  await whenPeer(b, "gathered", 5_000);
  await a.setRemoteDescription({ type: "answer", sdp: b.localDescription!.sdp });
  await Promise.all([a, b].map((pc) => whenPeer(pc, "connected", 20_000)));

  const salt = Buffer.alloc(profile === AES_CM ? 14 : 12, 0x3c);
  const keys = { localMasterKey: Buffer.alloc(16, 0xa5), localMasterSalt: salt, remoteMasterKey: Buffer.alloc(16, 0xa5), remoteMasterSalt: salt };
  const wire: string[] = [];
  let inject: (datagram: Buffer) => void = () => {
    throw new Error("nothing sent yet");
  };
  for (const [pc, capture] of [
    [a, true],
    [b, false],
  ] as const) {
    const dtls = pc.getTransceivers()[0]!.sender.dtlsTransport;
    dtls.srtp = new w.SrtpSession({ keys, profile });
    dtls.srtcp = new w.SrtcpSession({ keys, profile });
    if (!capture) continue;
    const socket = (dtls.iceTransport.connection.nominated as unknown as { protocol: { transport: { socket: import("node:dgram").Socket } } }).protocol
      .transport.socket;
    const send = socket.send.bind(socket) as (...args: unknown[]) => void;
    socket.send = ((data: Buffer, ...rest: unknown[]) => {
      if (w.isMedia(data) && !w.isRtcp(data)) {
        wire.push(Buffer.from(data).toString("hex"));
        inject = (datagram) => send(datagram, ...rest);
      }
      send(data, ...rest);
    }) as typeof socket.send;
  }
  const senderGot: number[] = [];
  const receiverGot: number[] = [];
  transceiverA.sender.onRtcp.subscribe((p) => senderGot.push(p.type));
  transceiverB.receiver.onRtcp.subscribe((p) => receiverGot.push(p.type));
  return {
    wire,
    delivered,
    rtcp: () => ({ senderGot, receiverGot }),
    inject: (datagram) => inject(datagram),
    receiverStats: () => {
      const streams = (transceiverB.receiver as unknown as { remoteStreams: Record<number, Record<string, unknown>> }).remoteStreams;
      const { lastPacketReceivedTimestamp: _time, last_arrival: _arrival, jitter_q4: _jitter, ...stats } = streams[SSRC_A] ?? {};
      return stats;
    },
    close: async () => {
      await Promise.all([a.close(), b.close()]);
    },
    ...{ trackA, sender: transceiverA.sender, receiver: transceiverB.receiver },
  } as Run & { trackA: InstanceType<W["MediaStreamTrack"]>; sender: Sender };
}

/** What the gateway sends: Opus through track.writeRtp (sizes, markers, a sequence wrap) and RFC 4733 events through dtlsTransport.sendRtp. */
async function sendCall(w: W, run: Run & { trackA: InstanceType<W["MediaStreamTrack"]>; sender: Sender }) {
  let seq = 65_530;
  let ts = 4_294_960_000;
  for (let i = 0; i < 24; i++) {
    const payload = Buffer.alloc(20 + ((i * 37) % 140), (i * 13 + 1) & 0xff);
    payload[0] = 0xf8;
    const header = new w.RtpHeader({ payloadType: 96, sequenceNumber: seq, timestamp: ts, marker: i === 0 || i === 12 });
    run.trackA.writeRtp(new w.RtpPacket(header, payload));
    seq = (seq + 1) & 0xffff;
    ts = (ts + 960) >>> 0;
  }
  // A DTMF digit as tools/wa-sim/phone.ts sends it: the same timestamp, growing duration, end bit thrice.
  for (let i = 0; i < 5; i++) {
    const end = i >= 2;
    const event = Buffer.from([5, (end ? 0x80 : 0) | 10, 0, 0]);
    event.writeUInt16BE(160 * (i + 1), 2);
    const header = new w.RtpHeader({ payloadType: DTMF, sequenceNumber: seq, timestamp: ts, ssrc: run.sender.ssrc, marker: i === 0 });
    await run.sender.dtlsTransport.sendRtp(event, header);
    seq = (seq + 1) & 0xffff;
  }
  const deadline = Date.now() + 5_000;
  while (run.delivered.length < 29 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
}

describe("patched werift against werift 0.25.2 as shipped, over loopback with fixed SRTP keys", () => {
  let shipped: W;
  let patched: W;
  loadShippedAndPatched<W>((s, p) => {
    [shipped, patched] = [s, p];
  });

  it("runs the patched send path in one and the shipped one in the other", () => {
    expect(typeof (patched.RTCRtpSender.prototype as unknown as Record<string, unknown>).dispatchRtpNow).toBe("function");
    expect((shipped.RTCRtpSender.prototype as unknown as Record<string, unknown>).dispatchRtpNow).toBeUndefined();
  });

  it("copies RTP packets like 0.25.2 (every header field, in order; CSRCs, extensions and payload shared)", () => {
    const raw = (w: W, seq: number) => {
      const header = new w.RtpHeader({ payloadType: 111, sequenceNumber: seq, timestamp: 7, ssrc: 9, marker: true, csrc: [1, 2], csrcLength: 2 });
      header.extensions = [{ id: 1, payload: Buffer.from([0x30]) }];
      header.extension = true;
      return w.RtpPacket.deSerialize(new w.RtpPacket(header, Buffer.from("payload")).serialize());
    };
    for (const seq of [0, 65_535]) {
      const [before, after] = [shipped, patched].map((w) => {
        const packet = raw(w, seq);
        const copy = packet.clone();
        expect(copy.header).not.toBe(packet.header);
        expect(copy.header.extensions).toBe(packet.header.extensions);
        expect(copy.payload).toBe(packet.payload);
        return Object.entries(copy.header);
      });
      expect(after).toEqual(before);
    }
    // A header with a property of its own is copied with it, as the object spread did.
    const odd = Object.assign(new patched.RtpHeader({ sequenceNumber: 3 }), { note: "kept" });
    expect((new patched.RtpPacket(odd, Buffer.alloc(0)).clone().header as unknown as { note: string }).note).toBe("kept");
  });

  it("sends each datagram to its own peer when one socket alternates between IP addresses and a host name", async () => {
    // send.py: the socket's lookup answers the IP it answered last without matching it again.
    const receivers = await Promise.all(
      ["127.0.0.1", "127.0.0.2"].map(async (address) => {
        const socket = dgram.createSocket("udp4");
        const got: string[] = [];
        socket.on("message", (m) => got.push(m.toString()));
        await new Promise<void>((r) => socket.bind(0, address, r));
        return { socket, got, address, port: socket.address().port };
      }),
    );
    type Udp = {
      sendNow(data: Buffer, addr: [string, number]): boolean;
      send(data: Buffer, addr: [string, number]): Promise<void>;
      close(): Promise<void>;
    };
    const transport = (await (patched.UdpTransport as unknown as { init(type: string): Promise<Udp> }).init("udp4")) as Udp;
    const [one, two] = receivers as [(typeof receivers)[0], (typeof receivers)[0]];
    try {
      for (let i = 0; i < 6; i++) {
        const to = i % 2 === 0 ? one : two;
        expect(transport.sendNow(Buffer.from(`now ${i}`), [to.address, to.port])).toBe(true);
        await transport.send(Buffer.from(`send ${i}`), [to.address, to.port]);
      }
      expect(transport.sendNow(Buffer.from("not sent"), ["localhost", one.port])).toBe(false);
      await transport.send(Buffer.from("by name"), ["localhost", one.port]);
      transport.sendNow(Buffer.from("last"), [two.address, two.port]);
      const deadline = Date.now() + 3_000;
      while (one.got.length + two.got.length < 14 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      expect(one.got).toEqual(["now 0", "send 0", "now 2", "send 2", "now 4", "send 4", "by name"]);
      expect(two.got).toEqual(["now 1", "send 1", "now 3", "send 3", "now 5", "send 5", "last"]);
    } finally {
      await transport.close();
      for (const r of receivers) r.socket.close();
    }
  });

  for (const [name, profile] of [
    ["AES_CM_128_HMAC_SHA1_80", AES_CM],
    ["AEAD_AES_128_GCM", AEAD_GCM],
  ] as const) {
    for (const extensions of [false, true]) {
      it(`puts the same SRTP bytes on the wire and delivers the same packets (${name}${extensions ? ", MID + transport-cc extensions" : ""})`, async () => {
        const results: { wire: string[]; delivered: Delivered[] }[] = [];
        for (const w of [shipped, patched]) {
          const run = (await connectedPair(w, profile, extensions)) as Run & { trackA: InstanceType<W["MediaStreamTrack"]>; sender: Sender };
          try {
            await sendCall(w, run);
            results.push({ wire: [...run.wire], delivered: [...run.delivered] });
          } finally {
            await run.close();
          }
        }
        const [before, after] = results as [(typeof results)[0], (typeof results)[0]];
        expect(before.wire).toHaveLength(29);
        expect(before.delivered).toHaveLength(29);
        expect(after.wire).toEqual(before.wire);
        expect(after.delivered).toEqual(before.delivered);
        expect(after.delivered.map((p) => p.payloadType)).toEqual([...Array(24).fill(OPUS), ...Array(5).fill(DTMF)]);
        expect(after.delivered.map((p) => p.ssrc)).toEqual(Array(29).fill(SSRC_A));
        expect(after.delivered.slice(0, 3).map((p) => p.sequenceNumber)).toEqual([65_530, 65_531, 65_532]);
        expect(after.delivered.some((p) => p.extensions.length > 0)).toBe(extensions);
      }, 60_000);
    }
  }

  for (const [name, profile, tagLength] of [
    ["AES_CM_128_HMAC_SHA1_80", AES_CM, 10],
    ["AEAD_AES_128_GCM", AEAD_GCM, 16],
  ] as const) {
    it(`receives tampered, replayed, truncated and padded SRTP packets like 0.25.2 (${name})`, async () => {
      const results: { delivered: Delivered[]; stats: Record<string, unknown> }[] = [];
      for (const w of [shipped, patched]) {
        const run = (await connectedPair(w, profile, true)) as Run & { trackA: InstanceType<W["MediaStreamTrack"]>; sender: Sender };
        try {
          await sendCall(w, run);
          const sent = run.wire.map((hex) => Buffer.from(hex, "hex"));
          const payloadFlipped = Buffer.from(sent[5]!);
          payloadFlipped[payloadFlipped.length - tagLength - 1]! ^= 0x01;
          const tagFlipped = Buffer.from(sent[6]!);
          tagFlipped[tagFlipped.length - 1]! ^= 0x80;
          // A forged packet far ahead must not move the rollover state the next real packets use.
          const seqAhead = Buffer.from(sent[7]!);
          seqAhead.writeUInt16BE((seqAhead.readUInt16BE(2) + 30_000) & 0xffff, 2);
          // A padded packet (3 padding bytes) encrypted with A's keys, at the rollover count B is at.
          const salt = Buffer.alloc(profile === AES_CM ? 14 : 12, 0x3c);
          const keys = { localMasterKey: Buffer.alloc(16, 0xa5), localMasterSalt: salt, remoteMasterKey: Buffer.alloc(16, 0xa5), remoteMasterSalt: salt };
          const srtp = new w.SrtpSession({ keys, profile });
          const rtpHeader = (sequenceNumber: number) => new w.RtpHeader({ payloadType: OPUS, sequenceNumber, timestamp: 2_000, ssrc: SSRC_A, padding: true });
          srtp.encrypt(Buffer.from([1, 0, 0, 2]), rtpHeader(65_534));
          const padded = srtp.encrypt(Buffer.concat([Buffer.from("f8padded", "latin1"), Buffer.from([0, 0, 3])]), rtpHeader(40));
          for (const datagram of [payloadFlipped, tagFlipped, seqAhead, sent[0]!.subarray(0, 14), sent[3]!, padded]) run.inject(datagram);
          // Then a packet with padding asked for, and an ordinary one, through the track.
          const header = new w.RtpHeader({ payloadType: 96, sequenceNumber: 30, timestamp: 1_000, padding: true, paddingSize: 3 });
          run.trackA.writeRtp(new w.RtpPacket(header, Buffer.from("f8asked", "latin1")));
          run.trackA.writeRtp(new w.RtpPacket(new w.RtpHeader({ payloadType: 96, sequenceNumber: 31, timestamp: 1_960 }), Buffer.from("f8after")));
          const deadline = Date.now() + 5_000;
          while (!run.delivered.some((p) => p.sequenceNumber === 31) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
          await new Promise((r) => setTimeout(r, 100));
          results.push({ delivered: [...run.delivered], stats: run.receiverStats() });
        } finally {
          await run.close();
        }
      }
      const [before, after] = results as [(typeof results)[0], (typeof results)[0]];
      const seqs = (d: Delivered[]) => d.slice(29).map((p) => p.sequenceNumber);
      // 0.25.2 has no SRTP replay protection: it delivers the replayed packet (65 533) again. The patched
      // werift keeps RFC 3711's replay list and drops it; neither delivers the tampered and truncated
      // ones. (The packet written with padding, 30, is compared only.)
      expect(seqs(before.delivered).filter((n) => n !== 30)).toEqual([65_533, 40, 31]);
      const replayedAt = 29 + seqs(before.delivered).indexOf(65_533);
      expect(after.delivered).toEqual(before.delivered.filter((_, i) => i !== replayedAt));
      expect(after.delivered.find((p) => p.sequenceNumber === 40)!.payload).toBe(Buffer.from("f8padded", "latin1").toString("hex"));
      expect(after.stats.packets_received).toBe(after.delivered.length);
      expect(before.stats.packets_received).toBe(before.delivered.length);
    }, 60_000);
  }

  it("still exchanges RTCP like 0.25.2: the receiver gets sender reports and the sender receiver reports", async () => {
    for (const w of [shipped, patched]) {
      const run = (await connectedPair(w, AES_CM, false, false)) as Run & { trackA: InstanceType<W["MediaStreamTrack"]>; sender: Sender };
      try {
        await sendCall(w, run);
        // Patched, audio reports come 2.5–7.5 s apart (0.25.2: 0.5–1.5 s), the first one included.
        const deadline = Date.now() + 12_000;
        const got = () => run.rtcp();
        while (!(got().senderGot.includes(201) && got().receiverGot.includes(200)) && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 50));
        }
        expect(got().receiverGot).toContain(200);
        expect(got().senderGot).toContain(201);
      } finally {
        await run.close();
      }
    }
  }, 40_000);

  it("keeps sent audio for NACK retransmission only where NACK was negotiated (0.25.2 keeps 128 packets always)", async () => {
    const kept: number[] = [];
    for (const w of [shipped, patched]) {
      const run = (await connectedPair(w, AES_CM, false)) as Run & { trackA: InstanceType<W["MediaStreamTrack"]>; sender: Sender };
      try {
        await sendCall(w, run);
        kept.push((run.sender as unknown as { rtpCache: unknown[] }).rtpCache.filter(Boolean).length);
      } finally {
        await run.close();
      }
    }
    expect(kept).toEqual([24, 0]);
    const rule = (kind: "audio" | "video", rtcpFeedback: { type: string }[]) => {
      const sender = new patched.RTCRtpSender(kind) as unknown as { keepsRtpHistory: (codec: object) => boolean };
      return sender.keepsRtpHistory({ rtcpFeedback });
    };
    expect(rule("audio", [{ type: "nack" }])).toBe(true);
    expect(rule("audio", [{ type: "transport-cc" }])).toBe(false);
    expect(rule("video", [])).toBe(true);
  }, 40_000);

  it("stamps sender reports with the time of the last packet sent, as 0.25.2", async () => {
    const ntpSecondsNow = () => Math.floor((Date.now() - Date.UTC(1900, 0, 1)) / 1000);
    for (const w of [shipped, patched]) {
      const run = (await connectedPair(w, AES_CM, false, false)) as Run & { trackA: InstanceType<W["MediaStreamTrack"]>; sender: Sender };
      try {
        const before = ntpSecondsNow();
        await sendCall(w, run);
        const stamp = (run.sender as unknown as { ntpTimestamp: bigint }).ntpTimestamp;
        expect(typeof stamp).toBe("bigint");
        expect(Number(stamp >> 32n)).toBeGreaterThanOrEqual(before);
        expect(Number(stamp >> 32n)).toBeLessThanOrEqual(ntpSecondsNow());
        // Unchanged while nothing is sent; what is assigned is read back until the next packet.
        await new Promise((r) => setTimeout(r, 30));
        expect((run.sender as unknown as { ntpTimestamp: bigint }).ntpTimestamp).toBe(stamp);
        (run.sender as unknown as { ntpTimestamp: bigint }).ntpTimestamp = 5n;
        expect((run.sender as unknown as { ntpTimestamp: bigint }).ntpTimestamp).toBe(5n);
      } finally {
        await run.close();
      }
    }
  }, 40_000);

  it("finds a receiver's first codec again when its codecs change", async () => {
    const run = (await connectedPair(patched, AES_CM, false)) as Run & { receiver: InstanceType<W["RTCRtpReceiver"]> };
    try {
      const receiver = run.receiver as unknown as {
        firstCodec: { payloadType: number };
        codecs: Record<number, unknown>;
        resyncCodecs: (params: object, ssrc?: number) => void;
      };
      expect(receiver.firstCodec.payloadType).toBe(DTMF);
      const opus = new patched.RTCRtpCodecParameters({ mimeType: "audio/opus", clockRate: 48000, channels: 2, payloadType: OPUS });
      receiver.resyncCodecs({ codecs: [opus], encodings: [], headerExtensions: [] });
      expect(receiver.firstCodec.payloadType).toBe(OPUS);
      const pcmu = new patched.RTCRtpCodecParameters({ mimeType: "audio/PCMU", clockRate: 8000, payloadType: 0 });
      receiver.codecs = { 0: pcmu };
      expect(receiver.firstCodec.payloadType).toBe(0);
    } finally {
      await run.close();
    }
  }, 40_000);
});
