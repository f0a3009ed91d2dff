// The OGG/Opus reader on files made by ffmpeg and by opusenc (opus-tools), chained and multiplexed
// streams, and corrupt or truncated pages.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { OggError, oggCrc32, opusPacketSamples, readOggOpus } from "../../lib/audio/ogg";
import { oggOpusLength } from "../../lib/audio/ogg-duration";

const has = (tool: string) => {
  try {
    execFileSync("sh", ["-c", `command -v ${tool}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
};
// scripts/setup.sh installs both (Debian packages ffmpeg and opus-tools).
const tools = { ffmpeg: has("ffmpeg"), opusenc: has("opusenc") };

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rf-ogg-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const file = (name: string) => path.join(dir, name);
const ffmpeg = (...args: string[]) => execFileSync("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", ...args], { stdio: "ignore" });
const sine = (hz: number, secs: number) => ["-f", "lavfi", "-i", `sine=frequency=${hz}:duration=${secs}`];

function makeFfmpeg(name: string, secs: number) {
  ffmpeg(...sine(440, secs), "-c:a", "libopus", "-b:a", "24k", file(name));
  return fs.readFileSync(file(name));
}

function makeOpusenc(name: string, secs: number) {
  ffmpeg(...sine(660, secs), "-ac", "2", file(`${name}.wav`));
  execFileSync("opusenc", ["--quiet", file(`${name}.wav`), file(name)], { stdio: "ignore" });
  return fs.readFileSync(file(name));
}

const samples = (packets: Buffer[]) => packets.reduce((n, p) => n + opusPacketSamples(p), 0);

/** The file's playing length in samples from its granule positions (what a decoder would play). */
const playing = (bytes: Buffer) => oggOpusLength(bytes).samples;

describe("readOggOpus", () => {
  it.skipIf(!tools.ffmpeg)("reads every packet of a file made by ffmpeg, with its pre-skip", () => {
    const bytes = makeFfmpeg("ffmpeg.opus", 2);
    const ogg = readOggOpus(bytes);
    expect(ogg.channels).toBe(1);
    expect(ogg.preSkip).toBe(312); // libopus' encoder delay, shorter than one packet: nothing dropped
    // The packets cover the playing time plus the pre-skip (the last packet may be padded).
    expect(samples(ogg.packets) - ogg.preSkip).toBeGreaterThanOrEqual(playing(bytes));
    expect(samples(ogg.packets) - ogg.preSkip - playing(bytes)).toBeLessThan(960);
    expect(Math.round(playing(bytes) / 48)).toBe(2000);
  });

  it.skipIf(!tools.ffmpeg || !tools.opusenc)("reads a stereo file made by opusenc", () => {
    const bytes = makeOpusenc("opusenc.opus", 1);
    const ogg = readOggOpus(bytes);
    expect(ogg.channels).toBe(2);
    expect(ogg.preSkip).toBe(312);
    expect(samples(ogg.packets) - ogg.preSkip - playing(bytes)).toBeGreaterThanOrEqual(0);
    expect(samples(ogg.packets) - ogg.preSkip - playing(bytes)).toBeLessThan(960);
  });

  it.skipIf(!tools.ffmpeg)("follows chained streams and reads only the first Opus stream of a multiplexed file", () => {
    const a = makeFfmpeg("a.opus", 1);
    const b = makeFfmpeg("b.opus", 0.5);
    const chained = readOggOpus(Buffer.concat([a, b]));
    expect(chained.packets.length).toBe(readOggOpus(a).packets.length + readOggOpus(b).packets.length);
    expect(chained.packets.at(-1)).toEqual(readOggOpus(b).packets.at(-1));

    // Vorbis first, then a half-second Opus stream, interleaved page by page.
    ffmpeg(...sine(440, 1), ...sine(880, 0.5), "-map", "0", "-map", "1", "-c:a:0", "libvorbis", "-c:a:1", "libopus", file("mux.ogg"));
    const mux = readOggOpus(fs.readFileSync(file("mux.ogg")));
    // 0.5 s plus pre-skip and padding of the last packet, not the 1 s Vorbis stream.
    expect(samples(mux.packets) / 48).toBeGreaterThanOrEqual(500);
    expect(samples(mux.packets) / 48).toBeLessThan(540);
    expect(mux.packets.every((p) => opusPacketSamples(p) > 0)).toBe(true);
  });

  it.skipIf(!tools.ffmpeg)("rejects a page whose CRC does not match, and truncated pages", () => {
    const bytes = makeFfmpeg("corrupt.opus", 1);
    const third = bytes.indexOf("OggS", bytes.indexOf("OggS", bytes.indexOf("OggS") + 1) + 1);
    const corrupt = Buffer.from(bytes);
    corrupt[third + 100]! ^= 0x01; // one bit flipped inside the first audio page
    expect(() => readOggOpus(corrupt)).toThrow(OggError);
    expect(() => readOggOpus(corrupt)).toThrow(/page 2 at byte \d+ is corrupt \(CRC mismatch\)/);
    expect(() => readOggOpus(bytes.subarray(0, bytes.length - 10))).toThrow(/Truncated OGG page/);
    expect(() => readOggOpus(Buffer.from("RIFF....WAVEfmt "))).toThrow(/Not an OGG page at byte 0/);
  });

  it("computes the Ogg CRC-32 (polynomial 0x04C11DB7, not the zip CRC)", () => {
    // CRC-32/MPEG-2 without the init/xor: "123456789" → 0x89A1897F.
    expect(oggCrc32(Buffer.from("123456789")).toString(16)).toBe("89a1897f");
  });
});
