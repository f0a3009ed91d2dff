// Pairs of RTCPeerConnections of one werift on loopback, both ends talking: the full per-packet path
// that bench/srtp-packet-cost.ts and bench/packet-profile.ts measure. A caller-like ICE-lite offerer
// meets a gateway-like answerer (as in bench/gateway-capacity.ts), 10 pairs connecting at a time; then
// both ends write 50 packets/s of `payload` with track.writeRtp, as the gateway's Player does.
import { whenPeer } from "../tests/fixtures/werift/peer-state";

type W = typeof import("werift");
type Pc = InstanceType<W["RTCPeerConnection"]>;
type Transceiver = ReturnType<Pc["addTransceiver"]>;

/** DTLS-SRTP protection profile ids (RFC 5764, RFC 7714). */
export const AES_CM = 1;
export const AEAD_GCM = 7;

/** Makes a peer's sending function (and delivers what it receives to `onRtp`), e.g. the gateway's FastRtp. */
export type SendVia = (
  pc: Pc,
  transceiver: Transceiver,
  track: InstanceType<W["MediaStreamTrack"]>,
  onRtp: () => void,
) => (packet: InstanceType<W["RtpPacket"]>) => void;

/**
 * The gateway's short RTP path (lib/media/fast-rtp.ts) as a SendVia. Loaded only when asked
 * for: it imports the installed (patched) werift, which a run of the shipped one must not load too.
 */
export async function gatewayShortWay(): Promise<SendVia> {
  const { FastRtp } = await import("../lib/media/fast-rtp");
  return (pc, transceiver, track, onRtp) => new FastRtp(pc as never, transceiver as never, track as never, onRtp).send as never;
}

/**
 * `preferAesCm`: both ends of every pair negotiate AES_CM_128_HMAC_SHA1_80 instead of werift's first
 * choice (GCM). `sendVia`: each peer sends through it instead of track.writeRtp.
 */
export async function talkingPairs(w: W, pairs: number, payload: Buffer, opts: { preferAesCm?: boolean; sendVia?: SendVia } = {}) {
  const { MediaStreamTrack, RTCPeerConnection, RTCRtpCodecParameters, RtpHeader, RtpPacket } = w;
  const codecs = () => ({ audio: [new RTCRtpCodecParameters({ mimeType: "audio/opus", clockRate: 48000, channels: 2, payloadType: 111 })] });
  let sent = 0;
  let received = 0;
  const senders: { send: (packet: InstanceType<W["RtpPacket"]>) => void; seq: number; ts: number }[] = [];
  const heard = () => void received++;
  const sendVia = (pc: Pc, transceiver: Transceiver, track: InstanceType<W["MediaStreamTrack"]>) =>
    opts.sendVia ? opts.sendVia(pc, transceiver, track, heard) : (p: InstanceType<W["RtpPacket"]>) => track.writeRtp(p);
  const pcs: Pc[] = [];
  const pair = async () => {
    const a = new RTCPeerConnection({ iceLite: true, codecs: codecs(), iceUseIpv6: false, iceAdditionalHostAddresses: ["127.0.0.1"] });
    const b = new RTCPeerConnection({ codecs: codecs(), iceUseIpv6: false });
    pcs.push(a, b);
    for (const pc of [a, b]) pc.onTrack.subscribe((t) => t.onReceiveRtp.subscribe(heard));
    const trackA = new MediaStreamTrack({ kind: "audio" });
    const transceiver = a.addTransceiver(trackA, { direction: "sendrecv" });
    if (opts.preferAesCm) preferAesCm(transceiver);
    await a.setLocalDescription(await a.createOffer());
    await whenPeer(a, "gathered", 5_000);
    await b.setRemoteDescription({ type: "offer", sdp: a.localDescription!.sdp });
    const trackB = new MediaStreamTrack({ kind: "audio" });
    const t = b.getTransceivers()[0]!;
    t.sender.replaceTrack(trackB);
    t.setDirection("sendrecv");
    await b.setLocalDescription(await b.createAnswer());
    await whenPeer(b, "gathered", 5_000);
    await a.setRemoteDescription({ type: "answer", sdp: b.localDescription!.sdp });
    await Promise.all([whenPeer(a, "connected", 20_000), whenPeer(b, "connected", 20_000)]);
    senders.push({ send: sendVia(a, transceiver, trackA), seq: 1000, ts: 0 }, { send: sendVia(b, t, trackB), seq: 5000, ts: 0 });
  };
  for (let i = 0; i < pairs; i += 10) await Promise.all(Array.from({ length: Math.min(10, pairs - i) }, pair));
  const tick = setInterval(() => {
    for (const s of senders) {
      const header = new RtpHeader({ payloadType: 111, sequenceNumber: s.seq, timestamp: s.ts });
      s.seq = (s.seq + 1) & 0xffff;
      s.ts = (s.ts + 960) >>> 0;
      s.send(new RtpPacket(header, payload));
      sent++;
    }
  }, 20);
  return {
    pcs,
    connected: senders.length / 2,
    /** Packets written by the senders and heard by the tracks so far. */
    counts: (): [sent: number, received: number] => [sent, received],
    stop: async () => {
      clearInterval(tick);
      await Promise.all(pcs.map((pc) => pc.close().catch(() => {})));
    },
  };
}

/**
 * werift offers its SRTP profiles from one module-level list (GCM first) and has no option for it;
 * reorder that list in place so that both ends of every pair pick AES_CM_128_HMAC_SHA1_80.
 */
function preferAesCm(transceiver: Transceiver) {
  const list = (transceiver.sender.dtlsTransport as unknown as { srtpProfiles: number[] }).srtpProfiles;
  list.splice(0, list.length, AES_CM, AEAD_GCM);
}
