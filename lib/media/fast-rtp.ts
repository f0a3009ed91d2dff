// RTP between a peer's UDP socket and its SRTP session, without werift's per-packet layers.
//
// werift passes each datagram up through ICE, the DTLS transport, the RTP router, the receiver and
// the remote track's event, and each packet written to a track down through the track, the sender
// (two copies of the packet, header extensions, bandwidth estimation) and the transport. Skipping
// them saves about a third of patched werift's CPU per packet sent and received on a loopback bench
// (76.8 → 52.6 µs with AES_CM, 99.2 → 70.8 µs with GCM: bench/srtp-packet-cost.ts, section 2).
// A gateway peer (and a simulated WhatsApp phone, tools/wa-sim) carries one audio stream each way,
// without header extensions, so once DTLS is up the packets of that stream take the short way: the
// same SrtpSession (its rollover and replay state stay werift's), the same socket, the same
// statistics werift keeps for its RTCP reports (packets and octets sent, the last RTP timestamp;
// the receiver's loss and jitter per SSRC).
//
// Everything else keeps werift's path: STUN, DTLS and RTCP datagrams; the first packet of each
// remote SSRC (werift routes it to the track and starts its statistics); payload types other than
// Opus and telephone-event; a TURN relay or a pair renominated to another socket; TWCC; header
// extensions; what a sender sends after its track was replaced mid-stream (werift renumbers it). Without
// the peer's ICE consent nothing is sent, as werift does.
import type { Socket } from "node:dgram";
import type { RTCPeerConnection, RTCRtpTransceiver } from "werift";
import { RtpPacket } from "werift";

type Addr = [string, number];

/** The parts of werift's objects the short way reads and updates (werift 0.25.2, patched). */
interface UdpTransport {
  type: string;
  socket: Socket;
  closed: boolean;
}
interface Pair {
  protocol: { type: string; transport?: UdpTransport };
  remoteAddr: Addr;
  packetsSent: number;
  bytesSent: number;
  packetsReceived: number;
  bytesReceived: number;
}
interface SrtpSession {
  encrypt(payload: Buffer, header: RtpPacket["header"]): Buffer;
  decryptPayloadWithHeader(data: Buffer): [Buffer, RtpPacket["header"] & { paddingSize: number }];
}
interface DtlsTransport {
  state: string;
  srtp?: SrtpSession;
  bytesSent: number;
  packetsSent: number;
  bytesReceived: number;
  packetsReceived: number;
  iceTransport: { connection: { nominated?: Pair; canSendApplicationData(): boolean } };
}
interface Sender {
  ssrc: number;
  stopped: boolean;
  codec?: { payloadType: number };
  headerExtensions: unknown[];
  rtcpRunning: boolean;
  runRtcp(): void;
  sequenceNumber?: number;
  timestamp?: number;
  rtpTimestamp: number;
  lastRtpSentAtMs?: number;
  octetCount: number;
  packetCount: number;
  headerBytesSent: number;
  /** A track replaced mid-stream: the next packet sets the offsets that keep sequence and timestamp continuous. */
  rtpContinuityPending: boolean;
  seqOffset: number;
  timestampOffset: number;
  /** The track the sender sends now (replaceTrack changes it). */
  track?: { writeRtp(packet: RtpPacket): void };
}
interface Receiver {
  stopped: boolean;
  codecs: Record<number, { mimeType: string } | undefined>;
  remoteStreams: Record<number, { add(packet: RtpPacket): void } | undefined>;
  trackBySSRC: Record<number, unknown>;
  receiverTWCC?: unknown;
  twccEnabled?: boolean;
}

/** RTP, not RTCP (RFC 5761 §4: RTCP packet types 192–223 in the second byte) nor STUN or DTLS (RFC 7983). */
function isRtp(data: Buffer): boolean {
  return data.length >= 12 && (data[0]! & 0xc0) === 0x80 && !(data[1]! >= 192 && data[1]! <= 223);
}

/** performance.timeOrigin, read once (its getter allocates a number per call). */
const TIME_ORIGIN = performance.timeOrigin;
const SHORT_WAY_CODECS = /^audio\/(opus|telephone-event)$/i;

export class FastRtp {
  /** The peer's DTLS transport, its sender's socket and the socket's pair, from the moment the peer connected. */
  private dtls: DtlsTransport | null = null;
  private udp: UdpTransport | null = null;
  private readonly sender: Sender;
  private readonly receiver: Receiver;
  /** The remote SSRC last received the short way, and its statistics (werift only ever adds them). */
  private lastSsrc = -1;
  private lastStats: { add(packet: RtpPacket): void } | undefined;
  /** The payload type's codec last looked at, and whether it takes the short way. */
  private lastCodec: object | undefined;
  private lastCodecShort = false;
  /** Packets that took the short way (for tests). */
  sent = 0;
  received = 0;

  constructor(
    pc: RTCPeerConnection,
    private readonly transceiver: RTCRtpTransceiver,
    /** werift's way for a packet the short way cannot take (the gateway's track, unless the sender has another now). */
    private readonly track: { writeRtp(packet: RtpPacket): void },
    private readonly onRemoteRtp: (packet: RtpPacket) => void,
  ) {
    this.sender = transceiver.sender as unknown as Sender;
    this.receiver = transceiver.receiver as unknown as Receiver;
    const sub = pc.connectionStateChange.subscribe((state) => {
      if (state === "connected") this.start();
      else if (state === "closed" || state === "failed") {
        this.udp = null;
        sub.unSubscribe();
      }
    });
    if (pc.connectionState === "connected") this.start();
  }

  /** Sends one packet of this peer's stream: the short way when it can, else through the track. */
  send = (packet: RtpPacket): void => {
    const udp = this.udp;
    const dtls = this.dtls;
    const pair = dtls?.iceTransport.connection.nominated;
    const sender = this.sender;
    const codec = sender.codec;
    const srtp = dtls?.srtp;
    if (
      !udp ||
      !dtls ||
      udp.closed ||
      pair?.protocol.transport !== udp ||
      sender.stopped ||
      // A track replaced mid-stream: werift renumbers what follows (the gateway replaces its track before the first packet).
      sender.rtpContinuityPending ||
      sender.seqOffset !== 0 ||
      sender.timestampOffset !== 0 ||
      !codec ||
      !srtp ||
      sender.headerExtensions.length > 0 ||
      packet.header.extensions.length > 0
    ) {
      (sender.track ?? this.track).writeRtp(packet);
      return;
    }
    // No consent from the peer (RFC 7675: its ICE stopped answering): nothing is sent, as werift does.
    if (!dtls.iceTransport.connection.canSendApplicationData()) return;
    const header = packet.header;
    header.ssrc = sender.ssrc;
    header.payloadType = codec.payloadType;
    // What werift's sender records of each packet, for its sender reports and getStats().
    sender.sequenceNumber = header.sequenceNumber;
    sender.timestamp = header.timestamp;
    sender.rtpTimestamp = header.timestamp;
    sender.lastRtpSentAtMs = TIME_ORIGIN + performance.now();
    sender.octetCount += packet.payload.length;
    sender.headerBytesSent += header.serializeSize;
    sender.packetCount = (sender.packetCount + 1) >>> 0;
    const data = srtp.encrypt(packet.payload, header);
    try {
      udp.socket.send(data, pair.remoteAddr[1], pair.remoteAddr[0]);
    } catch {
      return; // the socket closed under us: werift drops such packets too
    }
    dtls.bytesSent += data.length;
    dtls.packetsSent++;
    pair.packetsSent++;
    pair.bytesSent += data.length;
    this.sent++;
  };

  private start() {
    const dtls = this.transceiver.dtlsTransport as unknown as DtlsTransport;
    const pair = dtls.iceTransport.connection.nominated;
    // A host or server-reflexive pair: its socket talks to the peer itself (a TURN relay's does not).
    const udp = pair?.protocol.type === "stun" ? pair.protocol.transport : undefined;
    if (udp?.type !== "udp" || this.udp === udp) return;
    this.dtls = dtls;
    this.udp = udp;
    // The socket's own listeners (werift's ICE transport) hear what the short way does not take:
    // this listener replaces them rather than wrapping their onData, one call less per packet.
    const socket = udp.socket;
    const werift = socket.listeners("message") as ((data: Buffer, info: unknown) => void)[];
    socket.removeAllListeners("message");
    socket.on("message", (data, info) => {
      if (this.udp === udp && isRtp(data) && this.receive(data)) return;
      for (const listener of werift) listener.call(socket, data, info);
    });
    // werift starts its sender reports with the first packet sent its own way.
    if (!this.sender.rtcpRunning && !this.sender.stopped) this.sender.runRtcp();
  }

  /** True when the datagram was handled (delivered, or dropped as werift drops it); false: werift's turn. */
  private receive(data: Buffer): boolean {
    const receiver = this.receiver;
    const ssrc = data.readUInt32BE(8);
    let stats = this.lastStats;
    if (ssrc !== this.lastSsrc) {
      // werift adds a remote SSRC's statistics and track with its first packet and never removes them.
      stats = receiver.trackBySSRC[ssrc] ? receiver.remoteStreams[ssrc] : undefined;
      if (!stats) return false;
      this.lastSsrc = ssrc;
      this.lastStats = stats;
    }
    const codec = receiver.codecs[data[1]! & 0x7f];
    if (codec !== this.lastCodec) {
      this.lastCodec = codec;
      this.lastCodecShort = codec !== undefined && SHORT_WAY_CODECS.test(codec.mimeType);
    }
    const dtls = this.dtls;
    const srtp = dtls?.srtp;
    if (!dtls || !stats || !this.lastCodecShort || receiver.stopped || receiver.receiverTWCC || receiver.twccEnabled || !srtp) return false;
    let payload: Buffer;
    let header: RtpPacket["header"] & { paddingSize: number };
    try {
      [payload, header] = srtp.decryptPayloadWithHeader(data);
    } catch {
      return true; // forged, replayed or malformed: dropped, as werift drops it
    }
    const packet = new RtpPacket(header, header.paddingSize === 0 ? payload : payload.subarray(0, payload.length - header.paddingSize));
    stats.add(packet);
    dtls.bytesReceived += data.length;
    dtls.packetsReceived++;
    const pair = dtls.iceTransport.connection.nominated;
    if (pair?.protocol.transport === this.udp) {
      pair.packetsReceived++;
      pair.bytesReceived += data.length;
    }
    this.received++;
    this.onRemoteRtp(packet);
    return true;
  }
}
