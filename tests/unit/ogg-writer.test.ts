// The OGG/Opus writer and the per-direction recorder that places packets on the bridge timeline.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readOggOpus } from "../../lib/audio/ogg";
import { oggOpusLength } from "../../lib/audio/ogg-duration";
import { OggOpusWriter } from "../../lib/audio/ogg-writer";
import { FileSink } from "../../media-gateway/media/file-sink";
import { TrackRecorder } from "../../media-gateway/media/track-recorder";
import { tonePackets } from "../../tools/wa-sim/tone";
import { decodeChannel, dominantFrequency, probe, rms } from "../helpers/recording-audio";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ogg-writer-"));

function writeFile(name: string, fill: (w: OggOpusWriter) => void, opts = {}): { file: string; bytes: Buffer; pages: number } {
  const pages: Buffer[] = [];
  const w = new OggOpusWriter((p) => pages.push(p), opts);
  fill(w);
  w.end();
  const bytes = Buffer.concat(pages);
  const file = path.join(dir, name);
  fs.writeFileSync(file, bytes);
  return { file, bytes, pages: pages.length };
}

/** ffmpeg decodes the whole file and complains about nothing (bad CRC, bad granules, bad headers). */
function decodeErrors(file: string): string {
  return execFileSync("ffmpeg", ["-v", "warning", "-i", file, "-f", "null", "-"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
}

/** A sender: one 20 ms packet of `packets` per step, RTP timestamps advancing by 960. */
function talk(rec: TrackRecorder, packets: Buffer[], opts: { from: number; ts: number; startMs: number }) {
  let ts = opts.ts;
  for (let i = 0; i < packets.length; i++) {
    rec.packet(packets[i]!, ts >>> 0, opts.startMs + (i + 1) * 20 + 3);
    ts += 960;
  }
  return ts;
}

describe("OggOpusWriter", () => {
  it("round-trips packets through the reader, with valid pages ffmpeg decodes to the right length", () => {
    const tone = tonePackets(440, 1);
    const { file, bytes, pages } = writeFile("tone.ogg", (w) => {
      for (const p of tone) w.write(p);
    });
    const back = readOggOpus(bytes);
    expect(back.channels).toBe(1);
    expect(back.preSkip).toBe(0);
    expect(back.packets).toEqual(tone);
    expect(pages).toBe(2 + 1 + 1); // OpusHead, OpusTags, one page per 50 packets, the end-of-stream page
    expect(decodeErrors(file)).toBe("");
    expect(probe(file)).toMatchObject({ codec: "opus", channels: 1 });
    // Every packet's 960 samples count (the encoder's own pre-skip packet included).
    expect(Math.abs(probe(file).durationMs - tone.length * 20)).toBeLessThanOrEqual(5);
    expect(dominantFrequency(decodeChannel(file), 0.1, 0.9)).toBeCloseTo(440, -1);
  });

  it("puts a page on disk every few packets and can flush early, so a crash loses at most a page", () => {
    const pages: Buffer[] = [];
    const w = new OggOpusWriter((p) => pages.push(p), { packetsPerPage: 10 });
    const tone = tonePackets(440, 1);
    for (const p of tone.slice(0, 25)) w.write(p);
    expect(pages.length).toBe(2 + 2);
    w.flush();
    expect(pages.length).toBe(2 + 3);
    expect(oggOpusLength(Buffer.concat(pages)).durationMs).toBe(500);
    // A torn last page (crash mid-write) leaves the complete ones readable.
    const torn = Buffer.concat([...pages, pages[2]!.subarray(0, 40)]);
    expect(oggOpusLength(torn)).toMatchObject({ durationMs: 500, trailingBytes: 40 });
  });
});

describe("TrackRecorder: one direction on the bridge's timeline", () => {
  const tone = tonePackets(440, 1);

  it("advances granules over a silence gap: 1 s tone, 2 s of nothing, 1 s tone lasts 4 s", () => {
    const { file, bytes } = writeFile("gap.ogg", (w) => {
      const rec = new TrackRecorder(w, 0);
      let ts = talk(rec, tone, { from: 0, ts: 1_000, startMs: 0 });
      // The sender went quiet for 2 s (DTX): its timestamps moved on, nothing arrived.
      for (let t = 1_000; t < 3_000; t += 1_000) rec.catchUp(t);
      ts += 2 * 48_000;
      talk(rec, tone, { from: 0, ts, startMs: 3_000 });
      rec.finish(4_003);
    });
    expect(oggOpusLength(bytes).durationMs).toBeCloseTo(4_000, -2);
    expect(Math.abs(probe(file).durationMs - 4_000)).toBeLessThanOrEqual(25);
    const audio = decodeChannel(file);
    expect(dominantFrequency(audio, 0.2, 0.9)).toBeCloseTo(440, -1);
    expect(rms(audio, 1.2, 2.8)).toBeLessThan(0.001);
    expect(dominantFrequency(audio, 3.2, 3.9)).toBeCloseTo(440, -1);
    expect(rms(audio, 3.2, 3.9)).toBeGreaterThan(0.05);
  });

  it("keeps late packets in place: a 250 ms stall and a burst do not stretch the file", () => {
    const { bytes } = writeFile("burst.ogg", (w) => {
      const rec = new TrackRecorder(w, 0);
      let ts = 5_000;
      for (let i = 0; i < 100; i++) {
        // Packets 40..52 arrive together at 1070 ms (a busy event loop), the rest on time.
        const at = i >= 40 && i <= 52 ? 1_070 : (i + 1) * 20 + 2;
        rec.packet(tone[i % tone.length]!, ts, at);
        ts += 960;
      }
      rec.finish(2_005);
    });
    expect(Math.abs(oggOpusLength(bytes).durationMs - 2_000)).toBeLessThanOrEqual(20);
  });

  it("stays on real time with a sender whose clock runs fast (1%): 10 s of packets make a 10 s file", () => {
    let dropped = 0;
    const { bytes } = writeFile("fast.ogg", (w) => {
      const rec = new TrackRecorder(w, 0);
      let ts = 99;
      for (let i = 0; i < 505; i++) {
        rec.packet(tone[i % tone.length]!, ts >>> 0, (i + 1) * 19.8 + 2);
        ts += 960;
      }
      rec.finish(10_001);
      dropped = rec.stats.dropped;
    });
    expect(Math.abs(oggOpusLength(bytes).durationMs - 10_000)).toBeLessThanOrEqual(80);
    expect(dropped).toBeGreaterThan(0);
    expect(dropped).toBeLessThan(10);
  });

  it("re-anchors on the wall clock when a sender restarts its timestamps or pauses without a gap in them", () => {
    const { file, bytes } = writeFile("restart.ogg", (w) => {
      const rec = new TrackRecorder(w, 0);
      const ts = talk(rec, tone, { from: 0, ts: 7, startMs: 0 });
      rec.catchUp(1_500);
      // 1 s later the same timestamps simply continue (a script that stopped and started talking).
      talk(rec, tone, { from: 0, ts, startMs: 2_000 });
      // Then a new random timestamp base, 500 ms later.
      talk(rec, tone.slice(0, 25), { from: 0, ts: 3_000_000_000, startMs: 3_500 });
      rec.finish(4_000);
    });
    expect(Math.abs(oggOpusLength(bytes).durationMs - 4_000)).toBeLessThanOrEqual(20);
    const audio = decodeChannel(file);
    expect(rms(audio, 1.1, 1.9)).toBeLessThan(0.001);
    expect(rms(audio, 2.1, 2.9)).toBeGreaterThan(0.05);
    expect(rms(audio, 3.05, 3.45)).toBeLessThan(0.001);
    expect(rms(audio, 3.55, 3.95)).toBeGreaterThan(0.05);
  });
});

describe("FileSink: a recording's file on disk", () => {
  it("writes pages in order, and reports a disk error once instead of throwing into the call", async () => {
    const errors: Error[] = [];
    const good = new FileSink(path.join(dir, "sink.ogg"), (e) => errors.push(e));
    const { bytes } = writeFile("sink-source.ogg", (w) => {
      for (const p of tonePackets(440, 1)) w.write(p);
    });
    good.append(bytes.subarray(0, 100));
    good.append(bytes.subarray(100));
    await good.close();
    expect(fs.readFileSync(path.join(dir, "sink.ogg")).equals(bytes)).toBe(true);

    const bad = new FileSink(path.join(dir, "no-such-dir", "x.ogg"), (e) => errors.push(e));
    bad.append(bytes);
    bad.append(bytes);
    await bad.close();
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(/ENOENT/);
    // A file that already exists is never overwritten (another recording's).
    const clash = new FileSink(path.join(dir, "sink.ogg"), (e) => errors.push(e));
    await clash.close();
    expect(errors[1]?.message).toMatch(/EEXIST/);
  });
});
