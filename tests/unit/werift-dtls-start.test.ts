// patches/werift+0.25.2.patch also changes how DTLS starts, so that media flows ~100 ms sooner after ICE:
// werift 0.25.2 as shipped waits a fixed 100 ms before the DTLS client sends its ClientHello (and a
// ClientHello that reaches a werift peer before its DTLS socket exists is lost until the retransmission
// half a second later). Patched: the client sends at once and the other side keeps early DTLS records.
// Side by side against a pristine copy, over loopback, as the gateway (DTLS client, a=setup:active)
// meets a WhatsApp-like ICE-lite offerer (DTLS server).
import { describe, expect, it } from "vitest";
import { gatewayCallerPair } from "../fixtures/werift/gateway-caller-pair";
import { loadShippedAndPatched } from "../fixtures/werift/side-by-side";

type W = typeof import("werift");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** ms from the DTLS client's ICE "connected" to its DTLS "connected"; `serverStartDelayMs` holds back the server's DTLS start. */
async function iceToDtls(w: W, serverStartDelayMs = 0): Promise<number> {
  const { client, close, connect } = await gatewayCallerPair(w, (t) => {
    const start = t.start.bind(t);
    t.start = async () => {
      await sleep(serverStartDelayMs);
      return start();
    };
  });
  try {
    let iceAt = 0;
    client.iceConnectionStateChange.subscribe((s) => {
      if (s === "connected" && !iceAt) iceAt = performance.now();
    });
    const connected = new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("DTLS did not connect within 5 s")), 5_000);
      client.connectionStateChange.subscribe((s) => {
        if (s === "connected") {
          clearTimeout(timer);
          resolve(performance.now());
        }
      });
    });
    await connect();
    const at = await connected;
    if (!iceAt) throw new Error("ICE never reported connected");
    return at - iceAt;
  } finally {
    await close();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

describe("werift DTLS start, patched vs 0.25.2 as shipped", () => {
  let shipped: W;
  let patched: W;
  loadShippedAndPatched<W>((s, p) => {
    [shipped, patched] = [s, p];
  });

  it("the DTLS client sends its ClientHello as soon as ICE is up, not 100 ms later", async () => {
    const before: number[] = [];
    const after: number[] = [];
    for (let i = 0; i < 5; i++) {
      before.push(await iceToDtls(shipped));
      after.push(await iceToDtls(patched));
    }
    expect(median(before)).toBeGreaterThanOrEqual(100);
    expect(median(after)).toBeLessThan(median(before) - 50);
  }, 60_000);

  it("a ClientHello that arrives before the peer's DTLS socket exists is kept, not left to the retransmission", async () => {
    // The server's DTLS starts 60 ms after ICE: the shipped client (100 ms sleep) is not affected, so the
    // shipped pair is shown with a 150 ms delay, where its ClientHello is lost and resent after 500 ms.
    const shippedLate = await iceToDtls(shipped, 150);
    const patchedLate = await iceToDtls(patched, 60);
    expect(shippedLate).toBeGreaterThanOrEqual(450);
    expect(patchedLate).toBeLessThan(400);
  }, 60_000);
});
