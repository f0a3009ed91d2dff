// Writes Opus packets into an OGG container (RFC 3533 pages, RFC 7845 mapping) as they arrive:
// OpusHead and OpusTags first, then a page every few packets handed to a sink, so a recording is
// streamed to disk page by page instead of being held in memory.
import { randomInt } from "node:crypto";
import { oggCrc32, opusPacketSamples } from "./ogg";

const FLAG_BOS = 0x02;
const FLAG_EOS = 0x04;

/** One page holding whole packets (our packets never span pages). */
export function oggPage(opts: { packets: Buffer[]; granule: bigint; serial: number; sequence: number; flags?: number }): Buffer {
  const lacing: number[] = [];
  for (const p of opts.packets) {
    for (let left = p.length; ; left -= 255) {
      lacing.push(Math.min(left, 255));
      if (left < 255) break;
    }
  }
  if (lacing.length > 255) throw new Error("Too many packets for one OGG page");
  const header = Buffer.alloc(27 + lacing.length);
  header.write("OggS", 0, "latin1");
  header[4] = 0; // stream structure version
  header[5] = opts.flags ?? 0;
  header.writeBigInt64LE(opts.granule, 6);
  header.writeUInt32LE(opts.serial >>> 0, 14);
  header.writeUInt32LE(opts.sequence >>> 0, 18);
  header[26] = lacing.length;
  Buffer.from(lacing).copy(header, 27);
  const page = Buffer.concat([header, ...opts.packets]);
  page.writeUInt32LE(oggCrc32(page), 22);
  return page;
}

function opusHead(channels: number, preSkip: number): Buffer {
  const head = Buffer.alloc(19);
  head.write("OpusHead", 0, "latin1");
  head[8] = 1; // version
  head[9] = channels;
  head.writeUInt16LE(preSkip, 10);
  head.writeUInt32LE(48_000, 12); // input sample rate (informational)
  head.writeInt16LE(0, 16); // output gain
  head[18] = 0; // channel mapping family 0: mono or stereo
  return head;
}

function opusTags(vendor: string): Buffer {
  const v = Buffer.from(vendor, "utf8");
  const tags = Buffer.alloc(8 + 4 + v.length + 4);
  tags.write("OpusTags", 0, "latin1");
  tags.writeUInt32LE(v.length, 8);
  v.copy(tags, 12);
  tags.writeUInt32LE(0, 12 + v.length); // no user comments
  return tags;
}

export interface OggOpusWriterOptions {
  channels?: number;
  /** Samples the decoder drops at the start; packets passed through from RTP need none. */
  preSkip?: number;
  /** A page is emitted once this many packets are waiting (50 × 20 ms = 1 s). */
  packetsPerPage?: number;
  vendor?: string;
  serial?: number;
}

export class OggOpusWriter {
  private readonly serial: number;
  private sequence = 0;
  private pending: Buffer[] = [];
  private pendingSegments = 0;
  private samples = 0;
  private ended = false;
  private readonly packetsPerPage: number;
  private readonly preSkip: number;

  constructor(
    private readonly sink: (page: Buffer) => void,
    opts: OggOpusWriterOptions = {},
  ) {
    this.serial = opts.serial ?? randomInt(1, 0x7fffffff);
    this.packetsPerPage = opts.packetsPerPage ?? 50;
    this.preSkip = opts.preSkip ?? 0;
    // Header pages carry granule 0 (RFC 7845 §3).
    this.emit([opusHead(opts.channels ?? 1, this.preSkip)], FLAG_BOS, 0n);
    this.emit([opusTags(opts.vendor ?? "ringflow")], 0, 0n);
  }

  /** 48 kHz samples written so far (pre-skip excluded): the stream's length on the timeline. */
  get writtenSamples(): number {
    return this.samples;
  }

  private get granule(): bigint {
    return BigInt(this.samples + this.preSkip);
  }

  private emit(packets: Buffer[], flags = 0, granule = this.granule) {
    this.sink(oggPage({ packets, granule, serial: this.serial, sequence: this.sequence++, flags }));
  }

  /** Appends one Opus packet; its samples advance the granule position. */
  write(packet: Buffer, samples = opusPacketSamples(packet) || 960) {
    if (this.ended) throw new Error("The OGG stream has ended");
    const segments = Math.floor(packet.length / 255) + 1;
    if (this.pendingSegments + segments > 255) this.flush();
    this.pending.push(packet);
    this.pendingSegments += segments;
    this.samples += samples;
    if (this.pending.length >= this.packetsPerPage) this.flush();
  }

  /** Emits the waiting packets as a page now (a crash then loses nothing written before). */
  flush() {
    if (this.pending.length === 0 || this.ended) return;
    const packets = this.pending;
    this.pending = [];
    this.pendingSegments = 0;
    this.emit(packets);
  }

  /** Emits the last page with the end-of-stream flag. Idempotent. */
  end() {
    if (this.ended) return;
    const packets = this.pending;
    this.pending = [];
    this.pendingSegments = 0;
    this.emit(packets, FLAG_EOS);
    this.ended = true;
  }
}
