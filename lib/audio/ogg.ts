// Reads Opus packets out of an OGG container (RFC 3533 pages, RFC 7845 Opus mapping) without
// re-encoding, so the gateway can send prompt audio packet by packet.
//
// Our own small demuxer rather than a package: the pure-JS parsers (codec-parser, prism-media's
// OggDemuxer) would work too, but we need only this much, and it checks what we rely on: every
// page's CRC-32, the first Opus logical stream by serial (other multiplexed streams are skipped),
// chained streams (one Opus stream after another, as `cat a.opus b.opus` makes) and pre-skip.

export interface OpusFile {
  channels: number;
  /** The first stream's OpusHead pre-skip (48 kHz samples), after dropping whole packets inside it. */
  preSkip: number;
  packets: Buffer[];
}

export class OggError extends Error {}

const CAPTURE = "OggS";
const HEADER_BYTES = 27;
const FLAG_CONTINUED = 0x01;
const FLAG_BOS = 0x02;
const FLAG_EOS = 0x04;

// CRC-32 with the Ogg polynomial 0x04C11DB7: MSB-first, initial value 0, no final XOR (RFC 3533 §6).
const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let r = i << 24;
    for (let j = 0; j < 8; j++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
    table[i] = r >>> 0;
  }
  return table;
})();

export function oggCrc32(bytes: Uint8Array): number {
  let crc = 0;
  for (const b of bytes) crc = ((crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ b) & 0xff]!) >>> 0;
  return crc;
}

interface Page {
  flags: number;
  granule: bigint;
  serial: number;
  /** Packet pieces in order; `complete` is false for a last piece that continues on the next page. */
  pieces: { data: Buffer; complete: boolean }[];
  offset: number;
}

function* pages(data: Buffer): Generator<Page> {
  let pos = 0;
  let index = 0;
  while (pos < data.length) {
    if (data.toString("latin1", pos, pos + 4) !== CAPTURE) throw new OggError(`Not an OGG page at byte ${pos}`);
    if (pos + HEADER_BYTES > data.length) throw new OggError(`Truncated OGG page header at byte ${pos}`);
    if (data[pos + 4] !== 0) throw new OggError(`Unsupported OGG version ${data[pos + 4]} at byte ${pos}`);
    const segments = data[pos + 26]!;
    const table = data.subarray(pos + HEADER_BYTES, pos + HEADER_BYTES + segments);
    const bodySize = table.reduce((n, l) => n + l, 0);
    const end = pos + HEADER_BYTES + segments + bodySize;
    if (table.length < segments || end > data.length) throw new OggError(`Truncated OGG page ${index} at byte ${pos}`);
    const page = Buffer.from(data.subarray(pos, end));
    const stored = page.readUInt32LE(22);
    page.writeUInt32LE(0, 22);
    if (oggCrc32(page) !== stored) throw new OggError(`OGG page ${index} at byte ${pos} is corrupt (CRC mismatch)`);
    const pieces: Page["pieces"] = [];
    let body = pos + HEADER_BYTES + segments;
    let start = body;
    for (const lacing of table) {
      body += lacing;
      if (lacing < 255) {
        pieces.push({ data: data.subarray(start, body), complete: true });
        start = body;
      }
    }
    if (start < body || table.at(-1) === 255) pieces.push({ data: data.subarray(start, body), complete: false });
    yield { flags: data[pos + 5]!, granule: data.readBigInt64LE(pos + 6), serial: data.readUInt32LE(pos + 14), pieces, offset: pos };
    pos = end;
    index += 1;
  }
}

const isOpusHead = (p: Buffer) => p.length >= 19 && p.toString("latin1", 0, 8) === "OpusHead";

/**
 * The Opus packets of the first Opus stream and of any Opus streams chained after it. Throws
 * OggError on a corrupt or truncated page, or when there is no Opus stream.
 */
export function readOggOpus(data: Buffer): OpusFile {
  const packets: Buffer[] = [];
  let serial: number | null = null;
  let channels = 0;
  let preSkip = 0;
  let headersLeft = 0;
  let partial: Buffer[] = [];
  let ended = false;

  for (const page of pages(data)) {
    if (page.flags & FLAG_BOS && (serial === null || ended)) {
      // A new logical stream may start: the first one, or the next link of a chain.
      const first = page.pieces[0]?.data;
      if (first && isOpusHead(first)) {
        const ch = first[9]!;
        if (serial !== null && ch !== channels) throw new OggError(`Chained Opus stream changes from ${channels} to ${ch} channels`);
        if (serial === null) preSkip = first.readUInt16LE(10);
        serial = page.serial;
        channels = ch;
        headersLeft = 2; // OpusHead, OpusTags
        partial = [];
        ended = false;
      }
    }
    if (page.serial !== serial || ended) continue; // another multiplexed stream, or data after EOS
    if (!(page.flags & FLAG_CONTINUED)) partial = [];
    for (const piece of page.pieces) {
      partial.push(piece.data);
      if (!piece.complete) continue;
      const packet = partial.length === 1 ? partial[0]! : Buffer.concat(partial);
      partial = [];
      if (headersLeft > 0) {
        if (headersLeft === 1 && packet.toString("latin1", 0, 8) !== "OpusTags") throw new OggError("Opus stream without OpusTags");
        headersLeft -= 1;
        continue;
      }
      if (packet.length > 0) packets.push(packet);
    }
    if (page.flags & FLAG_EOS) ended = true;
  }
  if (serial === null) throw new OggError("Not an Opus stream (no OpusHead)");
  if (headersLeft > 0) throw new OggError("Opus stream without OpusTags");

  // Pre-skip: whole packets that only hold encoder warm-up are not worth sending; a remainder
  // shorter than a packet cannot be cut without decoding and stays (a few ms of near-silence).
  let skip = preSkip;
  while (packets.length > 0 && opusPacketSamples(packets[0]!) <= skip) skip -= opusPacketSamples(packets.shift()!);
  return { channels, preSkip: skip, packets };
}

const FRAME_SAMPLES_48K = [
  480,
  960,
  1920,
  2880, // SILK NB 10/20/40/60 ms
  480,
  960,
  1920,
  2880, // SILK MB
  480,
  960,
  1920,
  2880, // SILK WB
  480,
  960, // Hybrid SWB 10/20
  480,
  960, // Hybrid FB
  120,
  240,
  480,
  960, // CELT NB 2.5/5/10/20
  120,
  240,
  480,
  960, // CELT WB
  120,
  240,
  480,
  960, // CELT SWB
  120,
  240,
  480,
  960, // CELT FB
];

/** Samples at 48 kHz one Opus packet holds (RFC 6716 §3.1), for RTP timestamps. */
export function opusPacketSamples(packet: Buffer): number {
  if (packet.length === 0) return 0;
  const toc = packet[0]!;
  const perFrame = FRAME_SAMPLES_48K[toc >> 3]!;
  const code = toc & 3;
  const frames = code === 0 ? 1 : code === 3 ? (packet[1] ?? 0) & 0x3f : 2;
  return perFrame * frames;
}
