// How a gateway's UDP range turns into peers and calls.
import { describe, expect, it } from "vitest";
import { callCapacity, ephemeralOverlap, PortPool } from "../../media-gateway/call/port-pool";

describe("port pool", () => {
  it("gives each peer its own port, keeps the top port as the last one's fallback, and reuses the least recently released", () => {
    const pool = new PortPool(10000, 10004);
    expect(pool.size).toBe(4);
    const taken = [pool.take(), pool.take(), pool.take(), pool.take()];
    expect(taken).toEqual([10000, 10001, 10002, 10003]);
    expect(taken.map((p) => pool.rangeFor(p!))).toEqual([
      [10000, 10001],
      [10001, 10002],
      [10002, 10003],
      [10003, 10004],
    ]);
    expect(pool.take()).toBeNull();
    pool.release(10002);
    pool.release(10002);
    pool.release(10000);
    expect(pool.available).toBe(2);
    expect([pool.take(), pool.take(), pool.take()]).toEqual([10002, 10000, null]);
  });

  it("hands out blocks when a peer needs a relay socket too", () => {
    const pool = new PortPool(10000, 10100, 2);
    expect(pool.size).toBe(50);
    expect(pool.rangeFor(pool.take()!)).toEqual([10000, 10002]);
    expect(pool.take()).toBe(10002);
  });

  it("caps a gateway's calls at what its ports hold: two peers a call", () => {
    expect(callCapacity(200, new PortPool(10000, 10100))).toBe(50);
    expect(callCapacity(20, new PortPool(10000, 10100))).toBe(20);
    expect(callCapacity(200, new PortPool(10000, 10001))).toBe(0);
  });

  it("finds where the media ports overlap the kernel's ephemeral ports, reserved ones left out", () => {
    const proc = (range: string, reserved: string) => (file: string) => (file.endsWith("ip_local_port_range") ? `${range}\n` : `${reserved}\n`);
    expect(ephemeralOverlap(10000, 10100, proc("32768\t60999", ""))).toBeNull();
    expect(ephemeralOverlap(40000, 41999, proc("32768\t60999", ""))).toEqual({ from: 40000, to: 41999, ephemeral: "32768-60999" });
    expect(ephemeralOverlap(32000, 33000, proc("32768\t60999", ""))).toEqual({ from: 32768, to: 33000, ephemeral: "32768-60999" });
    expect(ephemeralOverlap(40000, 41999, proc("32768\t60999", "40000-41999"))).toBeNull();
    expect(ephemeralOverlap(40000, 40002, proc("32768\t60999", "40000,40002"))).toEqual({ from: 40001, to: 40001, ephemeral: "32768-60999" });
    expect(
      ephemeralOverlap(40000, 41999, () => {
        throw new Error("ENOENT");
      }),
    ).toBeNull();
  });
});
