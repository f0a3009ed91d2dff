// A gateway's first call must not pay for cold code: werift's SDP, ICE, DTLS and SRTP paths run
// unoptimised once (about 100 ms more for the first call in a fresh process), and the first
// database statement opens a connection. With a 1 s setup deadline that first call was rejected on
// a busy machine, so the process runs one loopback call with its own certificate before it
// registers for calls.
import { MediaStreamTrack, RTCPeerConnection, RtpHeader, RtpPacket } from "werift";
import type { Config } from "../../lib/config";
import { db } from "../../lib/db";
import { waitGathered, whatsappCodecs } from "../../lib/media/webrtc";
import { peerOptions } from "./peer";

const PACKETS = 5;

/** Runs a loopback call (offer, answer, ICE, DTLS, a few SRTP packets) and one statement; never throws. */
export async function warmUp(
  calling: Config["calling"],
  certificate: Parameters<typeof peerOptions>[1]["certificate"],
  timeoutMs = 5_000,
): Promise<{ ms: number; error?: string }> {
  const started = performance.now();
  const peers: RTCPeerConnection[] = [];
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      Promise.all([db.$queryRaw`SELECT 1`, loopbackCall(calling, certificate, peers)]),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`the warm-up call did not finish within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { ms: performance.now() - started };
  } catch (err) {
    return { ms: performance.now() - started, error: (err as Error).message };
  } finally {
    clearTimeout(timer);
    await Promise.all(peers.map((pc) => pc.close().catch(() => {})));
  }
}

async function loopbackCall(calling: Config["calling"], certificate: Parameters<typeof warmUp>[1], peers: RTCPeerConnection[]) {
  // Loopback only, on a port the kernel picks: the pool's ports stay untouched.
  const options = () => ({ ...peerOptions(calling, { host: "127.0.0.1", codecs: whatsappCodecs(), certificate }), icePortRange: undefined, iceServers: [] });
  const caller = new RTCPeerConnection(options());
  const gateway = new RTCPeerConnection(options());
  peers.push(caller, gateway);
  const sent = new MediaStreamTrack({ kind: "audio" });
  caller.addTransceiver(sent, { direction: "sendrecv" });
  const received = new Promise<void>((resolve) => {
    let n = 0;
    gateway.onTrack.subscribe((t) => t.onReceiveRtp.subscribe(() => ++n === PACKETS && resolve()));
  });
  await caller.setLocalDescription(await caller.createOffer());
  await waitGathered(caller, 2_000);
  await gateway.setRemoteDescription(caller.localDescription!);
  gateway.getTransceivers()[0]?.sender.replaceTrack(new MediaStreamTrack({ kind: "audio" }));
  await gateway.setLocalDescription(await gateway.createAnswer());
  await waitGathered(gateway, 2_000);
  await caller.setRemoteDescription(gateway.localDescription!);
  await new Promise<void>((resolve) => {
    caller.connectionStateChange.subscribe((s) => s === "connected" && resolve());
    if (caller.connectionState === "connected") resolve();
  });
  for (let seq = 0; seq < PACKETS; seq++) {
    sent.writeRtp(new RtpPacket(new RtpHeader({ payloadType: 111, sequenceNumber: seq, timestamp: seq * 960, ssrc: 1, marker: false }), Buffer.alloc(80)));
  }
  await received;
}
