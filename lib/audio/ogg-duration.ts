// The playing time of an OGG/Opus file from its granule positions, without decoding. Tolerates a
// cut-off last page (a recording whose process crashed mid-write): the last complete page counts.

export interface OggOpusLength {
  /** 48 kHz samples on the timeline (last complete page's granule minus pre-skip). */
  samples: number;
  durationMs: number;
  /** Complete pages read. */
  pages: number;
  /** Bytes after the last complete page (a torn write). */
  trailingBytes: number;
}

export function oggOpusLength(data: Buffer): OggOpusLength {
  let pos = 0;
  let pages = 0;
  let granule = 0n;
  let preSkip = 0;
  while (pos + 27 <= data.length && data.toString("latin1", pos, pos + 4) === "OggS") {
    const segments = data[pos + 26]!;
    if (pos + 27 + segments > data.length) break;
    let size = 0;
    for (let i = 0; i < segments; i++) size += data[pos + 27 + i]!;
    const end = pos + 27 + segments + size;
    if (end > data.length) break;
    if (pages === 0 && data.toString("latin1", pos + 27 + segments, pos + 27 + segments + 8) === "OpusHead") {
      preSkip = data.readUInt16LE(pos + 27 + segments + 10);
    }
    const g = data.readBigInt64LE(pos + 6);
    // -1 marks a page on which no packet ends.
    if (g >= 0n) granule = g;
    pages += 1;
    pos = end;
  }
  const samples = Math.max(0, Number(granule) - preSkip);
  return { samples, durationMs: samples / 48, pages, trailingBytes: data.length - pos };
}
