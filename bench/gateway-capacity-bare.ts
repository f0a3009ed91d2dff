// The child process of bench/gateway-capacity.ts: `<pairs> <windowSecs> <tone.ogg>` connects that many
// bare werift pairs, each shaped like a gateway leg, measures one window and prints BARE_RESULT {json}.
import fs from "node:fs";
import { MediaStreamTrack, RTCPeerConnection, RtpHeader } from "werift";
import { readOggOpus } from "../lib/audio/ogg";
import { OPUS_SILENCE } from "../lib/media/opus";
import { waitConnected, waitGathered, whatsappCodecs } from "../lib/media/webrtc";
import { MediaClock } from "../media-gateway/media/clock";
import { Arrivals, type BareResult, machinePct, machineTicks, pooled, SETTLE_MS, SETUP_CONCURRENCY } from "./gateway-capacity-measure";
import { pool, sleep } from "./harness";

await bareChild(Number(process.argv[2]), Number(process.argv[3]), process.argv[4]!);

async function bareChild(pairs: number, windowSecs: number, toneFile: string) {
  const tone = readOggOpus(fs.readFileSync(toneFile)).packets;
  let recording = false;

  /** One side of a pair: sends `payloads` in a loop on the shared clock, records what it hears. */
  class Side {
    readonly arrivals = new Arrivals();
    private seq = Math.floor(Math.random() * 0xffff);
    private ts = Math.floor(Math.random() * 0x7fffffff);
    private i = 0;
    constructor(
      readonly pc: RTCPeerConnection,
      private readonly payloads: Buffer[],
    ) {
      pc.onTrack.subscribe((track) =>
        track.onReceiveRtp.subscribe((p) => {
          if (recording) this.arrivals.record(performance.now(), p.header.sequenceNumber);
        }),
      );
    }
    tick() {
      const sender = this.pc.getTransceivers()[0]?.sender;
      if (!sender || this.pc.connectionState !== "connected") return;
      const header = new RtpHeader({ payloadType: 111, sequenceNumber: this.seq, timestamp: this.ts, ssrc: sender.ssrc });
      this.seq = (this.seq + 1) & 0xffff;
      this.ts = (this.ts + 960) >>> 0;
      void sender.dtlsTransport.sendRtp(this.payloads[this.i++ % this.payloads.length]!, header).catch(() => {});
    }
  }

  const clock = new MediaClock(20);
  const sides: { caller: Side; gateway: Side }[] = [];
  const errors: string[] = [];
  await pool(pairs, SETUP_CONCURRENCY, async () => {
    // Caller-like ICE-lite offerer (talks silence) ↔ gateway-like answerer (plays the tone), as the gateway leg.
    const a = new RTCPeerConnection({ iceLite: true, codecs: whatsappCodecs(), iceUseIpv6: false, iceAdditionalHostAddresses: ["127.0.0.1"] });
    const b = new RTCPeerConnection({ codecs: whatsappCodecs(), iceUseIpv6: false });
    try {
      a.addTransceiver(new MediaStreamTrack({ kind: "audio" }), { direction: "sendrecv" });
      const caller = new Side(a, [OPUS_SILENCE]);
      const gateway = new Side(b, tone);
      await a.setLocalDescription(await a.createOffer());
      await waitGathered(a, 3_000);
      await b.setRemoteDescription({ type: "offer", sdp: a.localDescription!.sdp });
      const t = b.getTransceivers()[0]!;
      t.sender.replaceTrack(new MediaStreamTrack({ kind: "audio" }));
      t.setDirection("sendrecv");
      await b.setLocalDescription(await b.createAnswer());
      await waitGathered(b, 3_000);
      await a.setRemoteDescription({ type: "answer", sdp: b.localDescription!.sdp });
      await Promise.all([waitConnected(a, 15_000), waitConnected(b, 15_000)]);
      sides.push({ caller, gateway });
      clock.subscribe(() => {
        caller.tick();
        gateway.tick();
      });
    } catch (err) {
      errors.push((err as Error).message);
    }
  });
  await sleep(SETTLE_MS);
  const cpu0 = process.cpuUsage();
  const m0 = machineTicks();
  const t0 = performance.now();
  recording = true;
  await sleep(windowSecs * 1000);
  recording = false;
  const cpu = process.cpuUsage(cpu0);
  const m1 = machineTicks();
  const elapsed = (performance.now() - t0) / 1000;
  // At the caller-like side: what a caller would hear from the gateway.
  const s = pooled(sides.map((x) => x.caller.arrivals));
  const result: BareResult = {
    pairs,
    connected: sides.length,
    cpuPct: ((cpu.user + cpu.system) / 1e6 / elapsed) * 100,
    machinePct: machinePct(m0, m1),
    p50: s.p50,
    p99: s.p99,
    max: s.max,
    lost: s.lost,
    received: s.received,
    errors: [...new Set(errors)].slice(0, 3),
  };
  clock.stop();
  process.stdout.write(`BARE_RESULT ${JSON.stringify(result)}\n`);
  await Promise.all(sides.flatMap((x) => [x.caller.pc.close().catch(() => {}), x.gateway.pc.close().catch(() => {})]));
  process.exit(0);
}
