// Opus constants shared by the gateway, the simulators and tests.

/** A 20 ms Opus CELT frame of silence (TOC 0xf8, the usual comfort frame). */
export const OPUS_SILENCE = Buffer.from([0xf8, 0xff, 0xfe]);
