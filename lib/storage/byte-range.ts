// HTTP byte ranges (RFC 9110 §14) for files we serve ourselves: a browser's audio element asks for
// ranges to find an Ogg file's length (its last page) and to seek; without them it shows no
// duration and cannot seek.

/** One satisfiable range, inclusive of `end`; "unsatisfiable" for a 416; null: serve the whole file. */
export type ByteRange = { start: number; end: number } | "unsatisfiable" | null;

/**
 * The Range header `header` against a file of `size` bytes. Only a single `bytes=` range is honoured
 * (a multipart reply for several is not worth it for audio): anything else, or a malformed header,
 * gets the whole file, as RFC 9110 allows.
 */
export function parseByteRange(header: string | null, size: number): ByteRange {
  const m = header === null ? null : /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === "" && m[2] === "")) return null;
  if (m[1] === "") {
    // The last N bytes.
    const suffix = Number(m[2]);
    if (suffix === 0) return "unsatisfiable";
    return size === 0 ? "unsatisfiable" : { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size) return "unsatisfiable";
  if (end < start) return null;
  return { start, end };
}

/** The status and headers for serving `range` of a `size`-byte file (body: bytes start..end). */
export function rangeHeaders(range: ByteRange, size: number): { status: 200 | 206 | 416; headers: Record<string, string> } {
  if (range === "unsatisfiable") return { status: 416, headers: { "content-range": `bytes */${size}`, "accept-ranges": "bytes" } };
  if (range === null) return { status: 200, headers: { "content-length": String(size), "accept-ranges": "bytes" } };
  return {
    status: 206,
    headers: { "content-range": `bytes ${range.start}-${range.end}/${size}`, "content-length": String(range.end - range.start + 1), "accept-ranges": "bytes" },
  };
}
