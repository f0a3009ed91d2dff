// patches/werift+0.25.2.patch keeps a DTLS handshake going when a flight is sent twice: werift 0.25.2's
// client resends its ClientHello when no HelloVerifyRequest came within 500 ms, and when the first one
// was only late it got two and failed the handshake on the second (a loaded gateway lost 2-4% of the
// calls it answered at 80-100 calls/s that way). Side by side against a pristine copy, over loopback, as
// the gateway (DTLS client) meets a WhatsApp-like ICE-lite offerer (DTLS server).
import { describe, expect, it } from "vitest";
import { gatewayCallerPair } from "../fixtures/werift/gateway-caller-pair";
import { loadShippedAndPatched } from "../fixtures/werift/side-by-side";

type W = typeof import("werift");
type Send = (buf: Buffer) => Promise<void>;
type DtlsSide = { dtls?: { transport: { send: Send } } };

/**
 * Connects a pair whose DTLS server is slow as a loaded machine is: its first HelloVerifyRequest goes
 * out 700 ms late, the one answering the client's resent ClientHello at once, and its flight 4 400 ms
 * late (so the first HelloVerifyRequest reaches a client that is waiting at flight 3). Resolves to the
 * DTLS client's final connection state within 6 s.
 */
async function handshake(w: W): Promise<string> {
  const { client, close, connect } = await gatewayCallerPair(w, (t) => {
    const start = t.start.bind(t);
    t.start = () => {
      const started = start();
      // start() made its DTLS socket before its first await.
      const transport = (t as unknown as DtlsSide).dtls!.transport;
      const send = transport.send.bind(transport);
      let records = 0;
      transport.send = (buf) => {
        const delay = [700, 0][records++] ?? 400;
        if (delay === 0) return send(buf);
        setTimeout(() => void send(buf).catch(() => {}), delay);
        return Promise.resolve();
      };
      return started;
    };
  });
  try {
    const settled = new Promise<string>((resolve) => {
      const timer = setTimeout(() => resolve(`still ${client.connectionState} after 6 s`), 6_000);
      client.connectionStateChange.subscribe((s) => {
        if (s === "connected" || s === "failed") {
          clearTimeout(timer);
          resolve(s);
        }
      });
    });
    await connect();
    return await settled;
  } finally {
    await close();
  }
}

describe("werift DTLS handshake with a flight sent twice, patched vs 0.25.2 as shipped", () => {
  let shipped: W;
  let patched: W;
  loadShippedAndPatched<W>((s, p) => {
    [shipped, patched] = [s, p];
  });

  it("a HelloVerifyRequest that comes late, after the client resent its ClientHello and got a second one, does not fail the handshake", async () => {
    expect(await handshake(shipped)).toBe("failed");
    expect(await handshake(patched)).toBe("connected");
  }, 30_000);
});
