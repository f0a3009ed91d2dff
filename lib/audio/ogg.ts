// Reads Opus packets out of an OGG container (RFC 3533 pages, RFC 7845 Opus mapping) without
// re-encoding, so the gateway can send prompt audio packet by packet.
// Written here rather than pulled in: the format is small and fixed, and the maintained npm
// demuxers either wrap ffmpeg or expose streams we would have to adapt anyway.

export interface OpusFile {
  channels: number;
  preSkip: number;
  packets: Buffer[];
}

export class OggError extends Error {}

export function readOggOpus(data: Buffer): OpusFile {
  const packets: Buffer[] = [];
  let pos = 0;
  let partial: Buffer[] = [];
  while (pos < data.length) {
    if (data.toString("latin1", pos, pos + 4) !== "OggS") throw new OggError(`Not an OGG page at byte ${pos}`);
    if (pos + 27 > data.length) throw new OggError("Truncated OGG page header");
    const segments = data[pos + 26]!;
    const table = data.subarray(pos + 27, pos + 27 + segments);
    let body = pos + 27 + segments;
    for (const lacing of table) {
      if (body + lacing > data.length) throw new OggError("Truncated OGG page body");
      partial.push(data.subarray(body, body + lacing));
      body += lacing;
      if (lacing < 255) {
        packets.push(Buffer.concat(partial));
        partial = [];
      }
    }
    pos = body;
  }
  const head = packets[0];
  if (!head || head.toString("latin1", 0, 8) !== "OpusHead") throw new OggError("Not an Opus stream (no OpusHead)");
  if (packets[1]?.toString("latin1", 0, 8) !== "OpusTags") throw new OggError("Opus stream without OpusTags");
  return { channels: head[9]!, preSkip: head.readUInt16LE(10), packets: packets.slice(2) };
}

const FRAME_SAMPLES_48K = [
  480, 960, 1920, 2880, // SILK NB 10/20/40/60 ms
  480, 960, 1920, 2880, // SILK MB
  480, 960, 1920, 2880, // SILK WB
  480, 960, // Hybrid SWB 10/20
  480, 960, // Hybrid FB
  120, 240, 480, 960, // CELT NB 2.5/5/10/20
  120, 240, 480, 960, // CELT WB
  120, 240, 480, 960, // CELT SWB
  120, 240, 480, 960, // CELT FB
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
