// Usage: npx tsx bench/recv-path-cost.ts [packets=20000] [rounds=5] [another werift dir]
//
// CPU per RTP packet RECEIVED by werift, from the ICE connection's data event to the remote track's
// onReceiveRtp (SRTP check and decryption, RTP parse, routing, receiver statistics, delivery), for
// werift 0.25.2 as shipped and the patched one in this process, both SRTP profiles. One connected
// loopback pair per werift; the packets are encrypted beforehand by the sending end's own SRTP session
// and handed to the receiving end's ICE connection in a loop (no UDP, no timers): the part of
// bench/srtp-packet-cost.ts's full path that the receive side's JavaScript owns. GC included.
// Median of alternating rounds (the first warms up), µs CPU per packet. A third werift (e.g. another
// worktree's node_modules/werift) is measured alongside when named.
import path from "node:path";
import { pathToFileURL } from "node:url";
import { whenPeer } from "../tests/fixtures/werift/peer-state";
import { INSTALLED_WERIFT, pristineWerift } from "../tests/fixtures/werift/pristine-werift";

const N = Number(process.argv[2] ?? 20_000);
const ROUNDS = Number(process.argv[3] ?? 5);
const OTHER = process.argv[4];
const AES_CM = 1;
const AEAD_GCM = 7;
const PAYLOAD = Buffer.alloc(80, 0x5a).fill(0xf8, 0, 1);
const out = (s: string) => process.stdout.write(`${s}\n`);

interface Loop {
  run(): number;
}

async function receiver(dir: string, profile: number): Promise<Loop> {
  const w = (await import(pathToFileURL(path.join(dir, "lib/index.mjs")).href)) as typeof import("werift");
  const { MediaStreamTrack, RTCPeerConnection, RTCRtpCodecParameters, RtpHeader } = w;
  const codecs = () => ({ audio: [new RTCRtpCodecParameters({ mimeType: "audio/opus", clockRate: 48000, channels: 2, payloadType: 111 })] });
  const a = new RTCPeerConnection({ iceLite: true, codecs: codecs(), iceUseIpv6: false, iceAdditionalHostAddresses: ["127.0.0.1"] });
  const b = new RTCPeerConnection({ codecs: codecs(), iceUseIpv6: false });
  let received = 0;
  b.onTrack.subscribe((t) => t.onReceiveRtp.subscribe(() => void received++));
  const ta = a.addTransceiver(new MediaStreamTrack({ kind: "audio" }), { direction: "sendrecv" });
  const list = (ta.sender.dtlsTransport as unknown as { srtpProfiles: number[] }).srtpProfiles;
  list.splice(0, list.length, profile, profile === AES_CM ? AEAD_GCM : AES_CM);
  await a.setLocalDescription(await a.createOffer());
  await whenPeer(a, "gathered", 5_000);
  await b.setRemoteDescription({ type: "offer", sdp: a.localDescription!.sdp });
  const tb = b.getTransceivers()[0]!;
  tb.sender.replaceTrack(new MediaStreamTrack({ kind: "audio" }));
  tb.setDirection("sendrecv");
  await b.setLocalDescription(await b.createAnswer());
  await whenPeer(b, "gathered", 5_000);
  await a.setRemoteDescription({ type: "answer", sdp: b.localDescription!.sdp });
  await Promise.all([whenPeer(a, "connected", 20_000), whenPeer(b, "connected", 20_000)]);
  type Srtp = { srtp: { encrypt(p: Buffer, h: unknown): Buffer; config: { profile: number } } };
  const sending = ta.sender.dtlsTransport as unknown as Srtp;
  if (sending.srtp.config.profile !== profile) throw new Error(`negotiated SRTP profile ${sending.srtp.config.profile}, not ${profile}`);
  const connection = (tb.receiver.dtlsTransport as unknown as { iceTransport: { connection: { onData: { execute(d: Buffer): void } } } }).iceTransport
    .connection;
  let seq = 1000;
  let ts = 0;
  return {
    run() {
      const packets: Buffer[] = [];
      for (let i = 0; i < N; i++) {
        const header = new RtpHeader({ payloadType: 111, sequenceNumber: seq, timestamp: ts, ssrc: ta.sender.ssrc });
        seq = (seq + 1) & 0xffff;
        ts = (ts + 960) >>> 0;
        packets.push(sending.srtp.encrypt(PAYLOAD, header));
      }
      const before = received;
      const t0 = process.cpuUsage();
      for (const p of packets) connection.onData.execute(p);
      const t = process.cpuUsage(t0);
      if (received - before !== N) throw new Error(`delivered ${received - before} of ${N} packets`);
      return (t.user + t.system) / N;
    },
  };
}

const pristine = pristineWerift();
try {
  out(`# werift receive path, µs CPU per packet received (median of ${ROUNDS} alternating rounds of ${N} packets)`);
  out("");
  const dirs = [pristine.dir, ...(OTHER ? [path.resolve(OTHER)] : []), INSTALLED_WERIFT];
  const names = ["0.25.2 as shipped", ...(OTHER ? [OTHER] : []), "patched (this worktree)"];
  out(`| SRTP profile | ${names.join(" | ")} | shipped ÷ patched | rounds (${names.join(" / ")}) |`);
  out(`|---|${names.map(() => "---|").join("")}---|---|`);
  for (const [label, profile] of [
    ["AES_CM_128_HMAC_SHA1_80", AES_CM],
    ["AEAD_AES_128_GCM", AEAD_GCM],
  ] as const) {
    const loops: Loop[] = [];
    for (const dir of dirs) loops.push(await receiver(dir, profile));
    const samples: number[][] = loops.map(() => []);
    for (let r = 0; r <= ROUNDS; r++) {
      loops.forEach((loop, i) => {
        const us = loop.run();
        if (r > 0) samples[i]!.push(us);
      });
    }
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[xs.length >> 1]!;
    const medians = samples.map(median);
    const cells = samples.map((xs) => xs.map((x) => x.toFixed(2)).join(" ")).join(" / ");
    out(`| ${label} | ${medians.map((m) => m.toFixed(2)).join(" | ")} | ${(medians[0]! / medians.at(-1)!).toFixed(2)}× | ${cells} |`);
  }
} finally {
  pristine.cleanup();
}
process.exit(0);
