import { describe, expect, it } from "vitest";
import { RtpLossCounter } from "../../lib/media/rtp-loss";

const feed = (seqs: number[]) => {
  const c = new RtpLossCounter();
  for (const s of seqs) c.push(s);
  return c;
};

describe("RTP loss from sequence numbers", () => {
  it("counts nothing lost in an unbroken stream, across the 16-bit wrap", () => {
    expect(feed([65533, 65534, 65535, 0, 1, 2])).toMatchObject({ received: 6, lost: 0 });
  });

  it("counts the packets a forward jump skipped, also across the wrap", () => {
    expect(feed([10, 11, 14, 15])).toMatchObject({ received: 4, lost: 2 });
    expect(feed([65534, 1])).toMatchObject({ lost: 2 });
  });

  it("does not count a late (reordered) or duplicate packet as a new loss", () => {
    const c = feed([1, 2, 4, 3, 4, 5]);
    expect(c.lost).toBe(1);
    expect(c.received).toBe(6);
  });
});
