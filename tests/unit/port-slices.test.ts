import { describe, expect, it } from "vitest";
import { portSlices } from "../../lib/gateway/port-slices";

describe("UDP slices for the gateway processes of one machine", () => {
  it("splits the range into disjoint, contiguous slices that cover it", () => {
    expect(portSlices(10000, 10100, 2)).toEqual([
      [10000, 10049],
      [10050, 10100],
    ]);
    const slices = portSlices(20000, 20999, 3);
    expect(slices[0]![0]).toBe(20000);
    expect(slices.at(-1)![1]).toBe(20999);
    for (let i = 1; i < slices.length; i++) expect(slices[i]![0]).toBe(slices[i - 1]![1] + 1);
  });

  it("refuses a range too small for the processes, with a message", () => {
    expect(() => portSlices(10000, 10002, 2)).toThrow(/cannot be split between 2 gateway processes/);
  });
});
