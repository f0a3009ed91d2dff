// The gateway's setup budget: cut when setups reach pre_accept late, grown back while they are quick.
import { describe, expect, it } from "vitest";
import { CUT_EVERY_MS, SetupBudget } from "../../lib/gateway/setup-budget";

const budget = (max = 30, min?: number) => {
  const published: number[] = [];
  const b = new SetupBudget({ max, deadlineMs: 1000, min, onChange: (n) => published.push(n) });
  return { b, published };
};

describe("SetupBudget", () => {
  it("starts at the configured budget and keeps it while setups are quick", () => {
    const { b, published } = budget();
    for (let i = 0; i < 100; i++) b.observe(150, false, i * 10);
    expect(b.current).toBe(30);
    expect(published).toEqual([]);
  });

  it("cuts once per episode of slow setups, not once per slow setup, and never below its floor", () => {
    const { b, published } = budget(30, 4);
    // A burst of slow ones within one second: setups admitted under the old budget, one cut.
    for (let i = 0; i < 20; i++) b.observe(700, false, 1_000 + i * 10);
    expect(published).toEqual([21]);
    // A late reject a second later cuts again; so does each later episode, down to the floor.
    b.observe(850, true, 1_000 + CUT_EVERY_MS);
    expect(b.current).toBe(14);
    for (let t = 3_000; t < 20_000; t += CUT_EVERY_MS) b.observe(900, true, t);
    expect(b.current).toBe(4);
    expect(published.at(-1)).toBe(4);
  });

  it("leaves the budget alone for setups neither quick nor slow", () => {
    const { b } = budget();
    b.observe(700, false, 0);
    const cut = b.current;
    for (let i = 0; i < 200; i++) b.observe(500, false, 2_000 + i);
    expect(b.current).toBe(cut);
  });

  it("grows back by about one per budget's worth of quick setups, up to the configured budget and no further", () => {
    const { b, published } = budget(30);
    for (let t = 0; t < 10_000; t += CUT_EVERY_MS) b.observe(900, true, t);
    expect(b.current).toBe(2);
    // From 2: two quick setups make 3, three more make 4.
    b.observe(100, false, 20_000);
    b.observe(100, false, 20_001);
    expect(b.current).toBe(3);
    for (let i = 0; i < 3; i++) b.observe(100, false, 20_010 + i);
    expect(b.current).toBe(4);
    for (let i = 0; i < 2_000; i++) b.observe(100, false, 21_000 + i);
    expect(b.current).toBe(30);
    expect(published.slice(-3)).toEqual([28, 29, 30]);
  });
});
