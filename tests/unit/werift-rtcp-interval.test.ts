// patches/werift+0.25.2.patch (patches/werift-edits/rtcp-interval.py): an audio stream's RTCP reports go
// out every 2.5–7.5 s (5 s on average, randomised, as libwebrtc sends audio reports and RFC 3550 §6.2
// recommends), not every 0.5–1.5 s as werift 0.25.2 sends them for every stream. Side by side over
// loopback: the gateway-like peer sends 50 packets/s of audio to a WhatsApp-like one for 8 s; the
// sender reports (SR, from the sender) and receiver reports (RR, from the receiver) that arrive are
// counted and timed.
import { describe, expect, it } from "vitest";
import { gatewayCallerPair } from "../fixtures/werift/gateway-caller-pair";
import { whenPeer } from "../fixtures/werift/peer-state";
import { loadShippedAndPatched } from "../fixtures/werift/side-by-side";

type W = typeof import("werift");
const SR = 200;
const RR = 201;
const SECONDS = 8;

/** Seconds after the first RTP packet at which each sender report and receiver report arrived. */
async function reportTimes(w: W): Promise<{ sr: number[]; rr: number[] }> {
  const { server, client, close, connect } = await gatewayCallerPair(w);
  try {
    await connect();
    await Promise.all([whenPeer(server, "connected", 10_000), whenPeer(client, "connected", 10_000)]);
    const track = new w.MediaStreamTrack({ kind: "audio" });
    const sender = client.getTransceivers()[0]!;
    sender.sender.replaceTrack(track);
    const times = { sr: [] as number[], rr: [] as number[] };
    const t0 = performance.now();
    const at = () => (performance.now() - t0) / 1000;
    server.dtlsTransports[0]!.onRtcp.subscribe((p) => p.type === SR && times.sr.push(at()));
    client.dtlsTransports[0]!.onRtcp.subscribe((p) => p.type === RR && times.rr.push(at()));
    let seq = 0;
    const tick = setInterval(() => {
      const header = new w.RtpHeader({ payloadType: 111, sequenceNumber: seq++ & 0xffff, timestamp: (seq * 960) >>> 0 });
      track.writeRtp(new w.RtpPacket(header, Buffer.alloc(60, 0xf8)));
    }, 20);
    await new Promise((r) => setTimeout(r, SECONDS * 1000));
    clearInterval(tick);
    return times;
  } finally {
    await close();
  }
}

describe("werift RTCP report interval for audio, patched vs 0.25.2 as shipped", () => {
  let shipped: W;
  let patched: W;
  loadShippedAndPatched<W>((s, p) => {
    [shipped, patched] = [s, p];
  });

  it("reports about every 5 s (2.5–7.5 s apart) patched, every 0.5–1.5 s as shipped", async () => {
    const [before, after] = await Promise.all([reportTimes(shipped), reportTimes(patched)]);
    // As shipped: a report of each kind at least every 1.5 s, so at least 5 in 8 s.
    expect(before.sr.length).toBeGreaterThanOrEqual(5);
    expect(before.rr.length).toBeGreaterThanOrEqual(5);
    for (const times of [after.sr, after.rr]) {
      // Patched: the first report after 2.5–7.5 s, then none closer than 2.5 s: 1 to 3 in 8 s.
      expect(times.length).toBeGreaterThanOrEqual(1);
      expect(times.length).toBeLessThanOrEqual(3);
      expect(times[0]!).toBeGreaterThan(2.3);
      for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThan(2.3);
    }
  }, 30_000);
});
