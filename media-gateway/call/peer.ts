// The WhatsApp-facing WebRTC peer: full ICE (controlling; WhatsApp is ICE-lite), DTLS client
// (a=setup:active), Opus 111 + telephone-event 126, every candidate inside the answer.
import dgram from "node:dgram";
import os from "node:os";
import { MediaStreamTrack, type RTCCertificate, RTCPeerConnection, type RTCRtpTransceiver, type RtpPacket } from "werift";
import type { Config } from "../../lib/config";
import { waitGathered, whatsappCodecs } from "../../lib/media/webrtc";
import { FastRtp } from "../../lib/media/fast-rtp";
import type { PortPool } from "./port-pool";

/** What the answering peers of one gateway process share: its UDP ports and its DTLS certificate. */
export interface PeerResources {
  ports?: PortPool;
  certificate?: () => RTCCertificate | undefined;
}

// One gateway process, one set: main.ts installs them at start. Without them (tools, tests that
// answer directly) werift picks ports from the configured range and makes its own certificate.
let shared: PeerResources = {};

export function sharePeerResources(resources: PeerResources) {
  shared = resources;
}

/** A TURN server adds a relay socket per peer, except with relay_only (then it is the only one). */
export function portsPerPeer(calling: Config["calling"]): number {
  const turn = calling.ice_servers.some((s) => [s.urls].flat().some((u) => /^turns?:/i.test(u)));
  return turn && !calling.relay_only ? 2 : 1;
}

const hostAddresses = new WeakMap<Config["calling"], Promise<string>>();

/**
 * The one local address a peer binds and advertises (one socket, one port per peer):
 * `bind_address` when set; with `public_ip`, the address this machine sends from towards it (the
 * public IP itself when it is on an interface, else the primary interface behind the 1:1 NAT);
 * otherwise 127.0.0.1, for dev and tests where callers and browsers share the machine.
 */
export function hostAddress(calling: Config["calling"]): Promise<string> {
  let address = hostAddresses.get(calling);
  if (!address) {
    address = calling.bind_address
      ? Promise.resolve(calling.bind_address)
      : calling.public_ip
        ? sourceAddressTowards(calling.public_ip)
        : Promise.resolve("127.0.0.1");
    hostAddresses.set(calling, address);
  }
  return address;
}

/** The kernel's choice of source address for packets to `ip` (a connected UDP socket sends nothing). */
function sourceAddressTowards(ip: string): Promise<string> {
  const fallback = () =>
    Object.values(os.networkInterfaces())
      .flat()
      .find((i) => i && i.family === "IPv4" && !i.internal)?.address ?? "127.0.0.1";
  return new Promise((resolve) => {
    const socket = dgram.createSocket("udp4");
    socket.once("error", () => {
      socket.close();
      resolve(fallback());
    });
    socket.connect(9, ip, () => {
      const { address } = socket.address();
      socket.close();
      resolve(address && address !== "0.0.0.0" ? address : fallback());
    });
  });
}

export function peerOptions(
  calling: Config["calling"],
  opts: { host: string; portRange?: [number, number]; codecs?: ReturnType<typeof whatsappCodecs>; certificate?: RTCCertificate },
) {
  return {
    codecs: opts.codecs ?? whatsappCodecs(),
    icePortRange: opts.portRange ?? ([calling.udp_port_min, calling.udp_port_max] as [number, number]),
    iceServers: calling.ice_servers.map((s) => ({ urls: Array.isArray(s.urls) ? s.urls[0]! : s.urls, username: s.username, credential: s.credential })),
    iceTransportPolicy: calling.relay_only ? ("relay" as const) : ("all" as const),
    // No interface scan: the one host address is added by hand and the socket bound to it, so a
    // peer holds one UDP port (werift otherwise opens one per interface address plus each extra).
    iceUseIpv4: false,
    iceUseIpv6: false,
    iceAdditionalHostAddresses: [opts.host],
    iceInterfaceAddresses: { udp4: opts.host },
    certificates: opts.certificate ? [opts.certificate] : undefined,
  };
}

/** A peer that gives its UDP port back to the gateway's pool once it is closed. */
class PooledPeerConnection extends RTCPeerConnection {
  constructor(
    options: ReturnType<typeof peerOptions>,
    private readonly released: () => void,
  ) {
    super(options);
  }

  override async close(): Promise<void> {
    try {
      await super.close();
    } finally {
      this.released();
    }
  }
}

export class NoFreePortError extends Error {
  constructor(pool: PortPool) {
    super(`This gateway has no free UDP port (${pool.inUse} of ${pool.size} in use)`);
    this.name = "NoFreePortError";
  }
}

/** werift answers even when it could bind nothing; without a candidate the caller would only hear silence. */
export class NoCandidateError extends Error {
  constructor(host: string) {
    super(`No ICE candidate could be gathered on ${host}`);
    this.name = "NoCandidateError";
  }
}

/** Rewrites host candidates to the configured public IP (for a gateway behind 1:1 NAT). */
export function advertisePublicIp(sdp: string, publicIp: string | undefined): string {
  if (!publicIp) return sdp;
  return sdp.replace(/^(a=candidate:\S+ \d+ udp \d+ )(\S+)( \d+ typ host)/gm, `$1${publicIp}$3`);
}

/** A peer on this gateway's ports and certificate (or werift's own choice of both without them). */
async function newPeer(calling: Config["calling"], codecs: ReturnType<typeof whatsappCodecs>, portRange?: [number, number]): Promise<RTCPeerConnection> {
  const host = await hostAddress(calling);
  const certificate = shared.certificate?.();
  const pool = portRange ? undefined : shared.ports;
  if (!pool) return new RTCPeerConnection(peerOptions(calling, { host, portRange, codecs, certificate }));
  const port = pool.take();
  if (port === null) throw new NoFreePortError(pool);
  return new PooledPeerConnection(peerOptions(calling, { host, portRange: pool.rangeFor(port), codecs, certificate }), () => pool.release(port));
}

/**
 * The WhatsApp side of a business-initiated call: our offer (Opus 111 + telephone-event 126, every
 * candidate inside it), to be sent with `connect`; WhatsApp's answer arrives later by webhook.
 * `rtp.send` writes the peer's outgoing RTP (see FastRtp); `onRemoteRtp` hears the other side's.
 */
export async function createOffer(calling: Config["calling"], onRemoteRtp: (packet: RtpPacket) => void) {
  const pc = await newPeer(calling, whatsappCodecs());
  try {
    const track = new MediaStreamTrack({ kind: "audio" });
    const transceiver = pc.addTransceiver(track, { direction: "sendrecv" });
    applySrtpProfiles(transceiver, calling);
    pc.onTrack.subscribe((remote) => remote.onReceiveRtp.subscribe((p) => onRemoteRtp(p)));
    await pc.setLocalDescription(await pc.createOffer());
    await waitGathered(pc, 3_000);
    const sdp = pc.localDescription!.sdp;
    if (!/^a=candidate:/m.test(sdp)) throw new NoCandidateError(await hostAddress(calling));
    const rtp = new FastRtp(pc, transceiver, track, onRemoteRtp);
    return { pc, track, transceiver, rtp, offer: advertisePublicIp(sdp, calling.public_ip) };
  } catch (err) {
    await pc.close().catch(() => {});
    throw err;
  }
}

/** DTLS-SRTP protection profile ids (RFC 5764 §4.1.2, RFC 7714 §14.2). */
const SRTP_PROFILE_IDS = { AES_CM_128_HMAC_SHA1_80: 0x0001, AEAD_AES_128_GCM: 0x0007 } as const;

/**
 * [calling] srtp_profiles for this transceiver's DTLS handshake, before it starts: werift offers one
 * list for the whole process (AEAD_AES_128_GCM first) and has no option for it, but each transport
 * reads its own copy when the handshake starts.
 */
function applySrtpProfiles(transceiver: RTCRtpTransceiver, calling: Config["calling"]) {
  (transceiver.dtlsTransport as unknown as { srtpProfiles: number[] }).srtpProfiles = calling.srtp_profiles.map((p) => SRTP_PROFILE_IDS[p]);
}

/** Pooled ports tried for one answer before giving up. */
const BIND_ATTEMPTS = 3;

export async function answerOffer(
  offerSdp: string,
  calling: Config["calling"],
  onRemoteRtp: (packet: RtpPacket) => void,
  portRange?: [number, number],
  codecs = whatsappCodecs(),
  /**
   * "active" (DTLS client) is what WhatsApp requires. Browser legs answer "passive": the
   * browser, as DTLS client, starts the handshake the moment its own ICE is up.
   */
  setup: "active" | "passive" = "active",
) {
  // A pooled port that another process holds (an ephemeral socket inside the range) binds nothing:
  // the peer gives it back and the answer is made again on the pool's next free port.
  for (let attempt = 1; ; attempt++) {
    try {
      return await answerOnce(offerSdp, calling, onRemoteRtp, portRange, codecs, setup);
    } catch (err) {
      if (!(err instanceof NoCandidateError) || portRange || !shared.ports || attempt >= BIND_ATTEMPTS) throw err;
    }
  }
}

async function answerOnce(
  offerSdp: string,
  calling: Config["calling"],
  onRemoteRtp: (packet: RtpPacket) => void,
  portRange: [number, number] | undefined,
  codecs: ReturnType<typeof whatsappCodecs>,
  setup: "active" | "passive",
) {
  const pc = await newPeer(calling, codecs, portRange);
  try {
    const track = new MediaStreamTrack({ kind: "audio" });
    // Subscribe before the offer is applied: werift announces the remote track while applying it.
    pc.onTrack.subscribe((remote) => remote.onReceiveRtp.subscribe((p) => onRemoteRtp(p)));
    await pc.setRemoteDescription({ type: "offer", sdp: offerSdp });
    const transceiver = pc.getTransceivers().find((t) => t.kind === "audio");
    if (!transceiver) throw new Error("The offer has no audio stream");
    transceiver.sender.replaceTrack(track);
    transceiver.setDirection("sendrecv");
    if (setup === "passive") transceiver.dtlsTransport.role = "server";
    applySrtpProfiles(transceiver, calling);
    await pc.setLocalDescription(await pc.createAnswer());
    await waitGathered(pc, 3_000);
    const sdp = pc.localDescription!.sdp;
    if (!/^a=candidate:/m.test(sdp)) throw new NoCandidateError(await hostAddress(calling));
    const answer = advertisePublicIp(sdp, calling.public_ip);
    const rtp = new FastRtp(pc, transceiver, track, onRemoteRtp);
    return { pc, track, transceiver, rtp, answer };
  } catch (err) {
    await pc.close().catch(() => {});
    throw err;
  }
}
