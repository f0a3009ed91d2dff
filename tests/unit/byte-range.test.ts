import { describe, expect, it } from "vitest";
import { parseByteRange, rangeHeaders } from "../../lib/storage/byte-range";

describe("byte ranges for files we serve", () => {
  it("reads a single range, open-ended or from the end, clamped to the file", () => {
    expect(parseByteRange("bytes=0-99", 1000)).toEqual({ start: 0, end: 99 });
    expect(parseByteRange("bytes=900-", 1000)).toEqual({ start: 900, end: 999 });
    expect(parseByteRange("bytes=900-5000", 1000)).toEqual({ start: 900, end: 999 });
    expect(parseByteRange("bytes=-100", 1000)).toEqual({ start: 900, end: 999 });
    expect(parseByteRange("bytes=-5000", 1000)).toEqual({ start: 0, end: 999 });
  });

  it("serves the whole file for no header, a malformed one or several ranges", () => {
    for (const h of [null, "", "bytes=", "bytes=-", "items=0-5", "bytes=0-5,10-20", "bytes=9-3", "bytes=a-b"])
      expect(parseByteRange(h, 1000), String(h)).toBeNull();
  });

  it("refuses ranges past the end", () => {
    expect(parseByteRange("bytes=1000-", 1000)).toBe("unsatisfiable");
    expect(parseByteRange("bytes=-0", 1000)).toBe("unsatisfiable");
    expect(parseByteRange("bytes=-10", 0)).toBe("unsatisfiable");
  });

  it("says what is sent: 206 with the part's bounds, 200 with the length, 416 with the size", () => {
    expect(rangeHeaders({ start: 900, end: 999 }, 1000)).toEqual({
      status: 206,
      headers: { "content-range": "bytes 900-999/1000", "content-length": "100", "accept-ranges": "bytes" },
    });
    expect(rangeHeaders(null, 1000)).toEqual({ status: 200, headers: { "content-length": "1000", "accept-ranges": "bytes" } });
    expect(rangeHeaders("unsatisfiable", 1000)).toEqual({ status: 416, headers: { "content-range": "bytes */1000", "accept-ranges": "bytes" } });
  });
});
