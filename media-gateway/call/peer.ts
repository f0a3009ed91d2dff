// The WhatsApp-facing WebRTC peer: full ICE (controlling; WhatsApp is ICE-lite), DTLS client
// (a=setup:active), Opus 111 + telephone-event 126, every candidate inside the answer.
import { MediaStreamTrack, RTCPeerConnection, RTCRtpCodecParameters, type RtpPacket } from "werift";
import type { Config } from "../../lib/config";

export function whatsappCodecs() {
  return {
    audio: [
      new RTCRtpCodecParameters({ mimeType: "audio/opus", clockRate: 48000, channels: 2, payloadType: 111, parameters: "minptime=20;useinbandfec=1" }),
      new RTCRtpCodecParameters({ mimeType: "audio/telephone-event", clockRate: 8000, payloadType: 126 }),
    ],
  };
}

/** Browser agent legs: Opus, plus telephone-event at 48 kHz (Chromium pairs DTMF with Opus's clock). */
export function agentCodecs() {
  return {
    audio: [
      new RTCRtpCodecParameters({ mimeType: "audio/opus", clockRate: 48000, channels: 2, payloadType: 111, parameters: "minptime=10;useinbandfec=1" }),
      new RTCRtpCodecParameters({ mimeType: "audio/telephone-event", clockRate: 48000, payloadType: 110 }),
      new RTCRtpCodecParameters({ mimeType: "audio/telephone-event", clockRate: 8000, payloadType: 126 }),
    ],
  };
}

export function peerOptions(calling: Config["calling"], portRange?: [number, number], codecs = whatsappCodecs()) {
  return {
    codecs,
    icePortRange: portRange ?? ([calling.udp_port_min, calling.udp_port_max] as [number, number]),
    iceServers: calling.ice_servers.map((s) => ({ urls: Array.isArray(s.urls) ? s.urls[0]! : s.urls, username: s.username, credential: s.credential })),
    iceTransportPolicy: calling.relay_only ? ("relay" as const) : ("all" as const),
    iceUseIpv6: false,
    iceAdditionalHostAddresses: calling.public_ip ? undefined : ["127.0.0.1"],
  };
}

/** Waits until werift has gathered every candidate, so the answer needs no trickle. */
export async function waitGathered(pc: RTCPeerConnection, timeoutMs: number) {
  if (pc.iceGatheringState === "complete") return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    pc.iceGatheringStateChange.subscribe((s) => {
      if (s === "complete") {
        clearTimeout(timer);
        resolve();
      }
    });
  });
}

/** The payload type an SDP uses for Opus (111 for WhatsApp and Chromium). */
export function opusPayloadType(sdp: string): number | null {
  const m = sdp.match(/^a=rtpmap:(\d+) opus\/48000/im);
  return m ? Number(m[1]) : null;
}

/** The payload type the offer uses for telephone-event/8000 (WhatsApp uses 126). */
export function telephoneEventPayloadType(sdp: string): number | null {
  const m = sdp.match(/^a=rtpmap:(\d+) telephone-event\/8000/im);
  return m ? Number(m[1]) : null;
}

/** Rewrites host candidates to the configured public IP (for a gateway behind 1:1 NAT). */
export function advertisePublicIp(sdp: string, publicIp: string | undefined): string {
  if (!publicIp) return sdp;
  return sdp.replace(/^(a=candidate:\S+ \d+ udp \d+ )(\S+)( \d+ typ host)/gm, `$1${publicIp}$3`);
}

export async function answerOffer(
  offerSdp: string,
  calling: Config["calling"],
  onRemoteRtp: (packet: RtpPacket) => void,
  portRange?: [number, number],
  codecs = whatsappCodecs(),
) {
  const pc = new RTCPeerConnection(peerOptions(calling, portRange, codecs));
  const track = new MediaStreamTrack({ kind: "audio" });
  // Subscribe before the offer is applied: werift announces the remote track while applying it.
  pc.onTrack.subscribe((remote) => remote.onReceiveRtp.subscribe((p) => onRemoteRtp(p)));
  await pc.setRemoteDescription({ type: "offer", sdp: offerSdp });
  const transceiver = pc.getTransceivers().find((t) => t.kind === "audio");
  if (!transceiver) {
    await pc.close();
    throw new Error("The offer has no audio stream");
  }
  transceiver.sender.replaceTrack(track);
  transceiver.setDirection("sendrecv");
  await pc.setLocalDescription(await pc.createAnswer());
  await waitGathered(pc, 3_000);
  const answer = advertisePublicIp(pc.localDescription!.sdp, calling.public_ip);
  return { pc, track, transceiver, answer };
}

export function waitConnected(pc: RTCPeerConnection, timeoutMs: number): Promise<void> {
  if (pc.connectionState === "connected") return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`ICE/DTLS did not connect within ${timeoutMs} ms`)), timeoutMs);
    pc.connectionStateChange.subscribe((s) => {
      if (s === "connected") {
        clearTimeout(timer);
        resolve();
      } else if (s === "failed" || s === "closed") {
        clearTimeout(timer);
        reject(new Error(`Peer connection ${s} before media started`));
      }
    });
  });
}
