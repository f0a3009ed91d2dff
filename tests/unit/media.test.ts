import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import type { RtpPacket } from "werift";
import { describe, expect, it } from "vitest";
import { MediaClock } from "../../media-gateway/media/clock";
import { DtmfDetector, encodeTelephoneEvent } from "../../lib/media/dtmf";
import { OggError, opusPacketSamples, readOggOpus } from "../../lib/audio/ogg";
import { REDACT_PATHS } from "../../lib/log";
import { LatencyHistogram } from "../../lib/media/latency-histogram";
import { OPUS_SILENCE } from "../../lib/media/opus";
import { writeToneFile } from "../../tools/wa-sim/tone";
import { Player } from "../../media-gateway/media/player";

function makeOgg(seconds: number): Buffer {
  return fs.readFileSync(writeToneFile(path.join(fs.mkdtempSync(path.join(os.tmpdir(), "ogg-")), "tone.ogg"), 440, seconds, "24k"));
}

describe("OGG/Opus reader", () => {
  it("returns every 20 ms packet of an ffmpeg-made file", () => {
    const ogg = readOggOpus(makeOgg(1));
    expect(ogg.channels).toBe(1);
    expect(ogg.packets.length).toBeGreaterThanOrEqual(50);
    expect(ogg.packets.length).toBeLessThanOrEqual(52);
    expect(new Set(ogg.packets.map(opusPacketSamples))).toEqual(new Set([960]));
  });

  it("rejects files that are not OGG/Opus with a clear error", () => {
    expect(() => readOggOpus(Buffer.from("RIFF....WAVEfmt "))).toThrow(OggError);
    expect(() => readOggOpus(makeOgg(1).subarray(0, 300))).toThrow(/Truncated/);
  });

  it("counts samples for multi-frame packets", () => {
    expect(opusPacketSamples(OPUS_SILENCE)).toBe(960);
    expect(opusPacketSamples(Buffer.from([0xfb, 0x03]))).toBe(2880); // code 3, 3 × 20 ms CELT FB
  });
});

describe("DTMF detector", () => {
  const ev = (event: number, end = false, duration = 160) => encodeTelephoneEvent({ event, end, volume: 10, duration });

  it("counts one digit per event despite repeated end packets", () => {
    const d = new DtmfDetector();
    const got = [d.push(1000, ev(1)), d.push(1000, ev(1, false, 320)), d.push(1000, ev(1, true)), d.push(1000, ev(1, true)), d.push(1000, ev(1, true))];
    expect(got.filter(Boolean)).toEqual(["1"]);
  });

  it("still gets the digit when the first packets are lost, and keeps repeated keys apart", () => {
    const d = new DtmfDetector();
    expect(d.push(5000, ev(11, true))).toBe("#");
    expect(d.push(6000, ev(11))).toBe("#");
    expect(d.push(7000, ev(10))).toBe("*");
    expect(d.push(7000, ev(10, true))).toBeNull();
  });

  it("ignores non-digit events and short payloads", () => {
    const d = new DtmfDetector();
    expect(d.push(1, ev(16))).toBeNull();
    expect(d.push(2, Buffer.from([1, 2]))).toBeNull();
  });
});

describe("player", () => {
  it("keeps sequence numbers and timestamps continuous across prompt, silence and a new prompt", async () => {
    const clock = new MediaClock(5);
    const sent: RtpPacket[] = [];
    const player = new Player((p) => sent.push(p), clock, { ssrc: 42 });
    const prompt = readOggOpus(makeOgg(0.2)).packets;
    let ended = 0;
    player.play(prompt, { onEnd: () => ended++ });
    await new Promise((r) => setTimeout(r, 5 * (prompt.length + 8)));
    player.play(prompt.slice(0, 3));
    await new Promise((r) => setTimeout(r, 60));
    player.close();
    expect(ended).toBe(1);
    expect(sent.slice(0, prompt.length).map((p) => p.payload)).toEqual(prompt);
    for (let i = 1; i < sent.length; i++) {
      expect(sent[i]!.header.sequenceNumber).toBe((sent[i - 1]!.header.sequenceNumber + 1) & 0xffff);
      expect(sent[i]!.header.timestamp).toBe((sent[i - 1]!.header.timestamp + 960) >>> 0);
    }
    expect(sent[prompt.length]!.payload).toEqual(OPUS_SILENCE);
    expect(sent.filter((p) => p.header.marker)).toHaveLength(2);
  });

  it("keeps ticking for every other player when one listener throws", async () => {
    const clock = new MediaClock(2);
    const errors: unknown[] = [];
    clock.onError = (err) => errors.push(err);
    const off = clock.subscribe(() => {
      throw new Error("broken player");
    });
    const sent: Buffer[] = [];
    const player = new Player((p) => sent.push(p.payload), clock);
    await new Promise((r) => setTimeout(r, 30));
    off();
    player.close();
    expect(sent.length).toBeGreaterThan(5);
    expect(errors.length).toBeGreaterThan(5);
  });

  it("switches to bridged audio: forwarded packets go out at once, numbered into the same stream", async () => {
    const clock = new MediaClock(5);
    const sent: RtpPacket[] = [];
    const player = new Player((p) => sent.push(p), clock, { ssrc: 7 });
    player.play([Buffer.from([0xf8, 1]), Buffer.from([0xf8, 2])], { loop: true });
    await new Promise((r) => setTimeout(r, 25));
    player.live();
    const before = sent.length;
    player.forward(Buffer.from([0xf8, 9]));
    expect(sent.length).toBe(before + 1);
    expect(sent.at(-1)!.payload).toEqual(Buffer.from([0xf8, 9]));
    player.stop();
    player.forward(Buffer.from([0xf8, 10]));
    await new Promise((r) => setTimeout(r, 20));
    player.close();
    expect(sent.some((p) => p.payload.equals(Buffer.from([0xf8, 10])))).toBe(false);
    for (let i = 1; i < sent.length; i++) {
      expect(sent[i]!.header.sequenceNumber).toBe((sent[i - 1]!.header.sequenceNumber + 1) & 0xffff);
      expect(sent[i]!.header.timestamp).toBe((sent[i - 1]!.header.timestamp + 960) >>> 0);
    }
  });

  it("loops hold music until stopped", async () => {
    const clock = new MediaClock(2);
    const sent: Buffer[] = [];
    const player = new Player((p) => sent.push(p.payload), clock);
    const loop = [Buffer.from([0xf8, 1]), Buffer.from([0xf8, 2])];
    player.play(loop, { loop: true });
    await new Promise((r) => setTimeout(r, 30));
    player.stop();
    await new Promise((r) => setTimeout(r, 10));
    player.close();
    const firstSilence = sent.findIndex((p) => p.equals(OPUS_SILENCE));
    expect(firstSilence).toBeGreaterThan(4);
    expect(sent.slice(0, 4).map((p) => p[1])).toEqual([1, 2, 1, 2]);
  });
});

describe("SDP helpers", () => {
  it("finds the negotiated telephone-event payload type and advertises the public IP", async () => {
    const { advertisePublicIp } = await import("../../media-gateway/call/peer");
    const { telephoneEventPayloadType } = await import("../../lib/media/sdp-payload-types");
    const { sampleOffer } = await import("../../tools/wa-sim/payloads");
    expect(telephoneEventPayloadType(sampleOffer())).toBe(126);
    expect(telephoneEventPayloadType(sampleOffer().replace(/126/g, "101"))).toBe(101);
    expect(telephoneEventPayloadType("v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n")).toBeNull();
    const sdp = "a=candidate:1 1 udp 2122260223 10.0.0.5 10002 typ host\r\na=candidate:2 1 udp 1 10.0.0.6 10003 typ srflx raddr 0.0.0.0 rport 0\r\n";
    expect(advertisePublicIp(sdp, "203.0.113.7")).toBe(
      "a=candidate:1 1 udp 2122260223 203.0.113.7 10002 typ host\r\na=candidate:2 1 udp 1 10.0.0.6 10003 typ srflx raddr 0.0.0.0 rport 0\r\n",
    );
  });
});

describe("shipped default audio", () => {
  it("hold music and ringback are the OGG/Opus files the config points at, in 20 ms packets", async () => {
    const { parseConfig } = await import("../../lib/config");
    const c = parseConfig("");
    for (const [file, secs] of [
      [c.calling.hold_music_file, 16],
      [c.calling.ringback_file, 6],
    ] as const) {
      const ogg = readOggOpus(fs.readFileSync(path.resolve(import.meta.dirname, "../..", file)));
      expect(ogg.channels).toBe(1);
      expect(new Set(ogg.packets.map(opusPacketSamples))).toEqual(new Set([960]));
      expect(Math.abs(ogg.packets.length * 0.02 - secs)).toBeLessThanOrEqual(0.05);
    }
  });
});

describe("logs", () => {
  it("never write access tokens, app secrets, passwords, authorization headers or SDP", () => {
    const lines: string[] = [];
    const log = pino({ redact: { paths: REDACT_PATHS, censor: "[redacted]" } }, { write: (s: string) => lines.push(s) });
    log.info(
      { account: { accessToken: "EAAG-secret", appSecret: "s3cret" }, req: { headers: { authorization: "Bearer x" } }, cmd: { sdp: "v=0 a=ice-pwd:abc" } },
      "x",
    );
    log.info({ user: { password: "hunter2" } }, "y");
    const out = lines.join("");
    for (const secret of ["EAAG-secret", "s3cret", "Bearer x", "ice-pwd", "hunter2"]) expect(out).not.toContain(secret);
    expect(out).toContain("[redacted]");
  });
});

describe("latency histogram", () => {
  it("reports percentiles to 10 µs without keeping samples", () => {
    const h = new LatencyHistogram();
    for (let i = 0; i < 99; i++) h.record(0.123);
    h.record(7.5);
    expect(h.summary()).toEqual({ n: 100, p50: 0.13, p99: 0.13, max: 7.5 });
    h.record(50);
    expect(h.percentile(100)).toBe(50);
    expect(new LatencyHistogram().percentile(50)).toBeNull();
  });
});
