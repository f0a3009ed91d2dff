// The gateway's overload signal: a real event loop kept late by synchronous work, then let go.
import { afterEach, describe, expect, it } from "vitest";
import { LoopDelayWatch } from "../../lib/media/loop-delay";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const busy = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until) {}
};

let watch: LoopDelayWatch | null = null;
afterEach(() => watch?.stop());

describe("LoopDelayWatch", () => {
  it("turns overloaded only when the loop is late window after window, and back once it catches up", async () => {
    const changes: boolean[] = [];
    watch = new LoopDelayWatch({ thresholdMs: 30, windowMs: 200, windows: 2, onChange: (o) => changes.push(o) });

    // One stall (a long GC pause, a big JSON parse) is not overload.
    await sleep(250);
    busy(120);
    await sleep(700);
    expect(changes).toEqual([]);
    expect(watch.overloaded).toBe(false);

    // Late on every tick for a second: overloaded.
    const hog = setInterval(() => busy(60), 5);
    await sleep(1_200);
    clearInterval(hog);
    expect(watch.overloaded).toBe(true);
    expect(changes).toEqual([true]);
    expect(watch.lateMs).toBeGreaterThanOrEqual(30);

    // Idle again: back to normal after two quiet windows.
    await sleep(900);
    expect(watch.overloaded).toBe(false);
    expect(changes).toEqual([true, false]);
  });
});
