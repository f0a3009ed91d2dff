import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { holdMusic, promptCache, resetPromptCache } from "../../media-gateway/call/prompts";
import { testDb } from "../helpers/test-db";
import { writeToneFile } from "../../tools/wa-sim/tone";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "prompt-cache-"));
const tone = (name: string) => writeToneFile(path.join(dir, `${name}.ogg`), 440, 2);
const bytes = (packets: Buffer[]) => packets.reduce((n, p) => n + p.length, 0);

afterAll(() => testDb.$disconnect());

describe("prompt cache", () => {
  it("keeps decoded prompts within the byte budget, least recently used out first, and shares loads", async () => {
    const [a, b, c] = [tone("a"), tone("b"), tone("c")];
    resetPromptCache(64 * 1024 * 1024);
    const [first, second] = await Promise.all([holdMusic("no-such-org", a), holdMusic("no-such-org", a)]);
    expect(first).toBe(second);
    const one = bytes(first);
    expect(one).toBeGreaterThan(1_000);

    // Room for two of these prompts, not three.
    resetPromptCache(one * 2 + one / 2);
    await holdMusic("no-such-org", a);
    await holdMusic("no-such-org", b);
    await holdMusic("no-such-org", a); // a is now the most recently used
    await holdMusic("no-such-org", c);
    const cache = promptCache();
    expect([...cache.keys()].sort()).toEqual([`file:${a}`, `file:${c}`].sort());
    expect(cache.calculatedSize).toBeLessThanOrEqual(one * 2 + one / 2);
    // An evicted prompt loads again when asked for.
    expect(bytes(await holdMusic("no-such-org", b))).toBe(bytes(await holdMusic("no-such-org", b)));
  });
});
