// patches/werift+0.25.2.patch: a peer given no STUN server asks none. werift 0.25.2 as shipped falls
// back to stun.l.google.com:19302 even for `iceServers: []`, so every call a gateway answered looked
// Google's server up and waited, in ICE gathering (before the answer), for a binding request to it.
// Side by side, with the gateway's own peer options; DNS is answered here, nothing leaves loopback.
import dgram from "node:dgram";
import dns from "node:dns";
import { afterEach, describe, expect, it, vi } from "vitest";
import { parseConfig } from "../../lib/config";
import { peerOptions } from "../../media-gateway/call/peer";
import { loadShippedAndPatched } from "../fixtures/werift/side-by-side";

type W = typeof import("werift");

const noIceServers = parseConfig("");

/** The host names werift looks up from now on (each answered "not found"). */
function watchLookups(): string[] {
  const looked: string[] = [];
  vi.spyOn(dns.promises, "lookup").mockImplementation(async (host: string) => {
    looked.push(host);
    throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: "ENOTFOUND" });
  });
  return looked;
}

/** A gateway-like peer (one host candidate on 127.0.0.1) with `iceServers`, gathering its candidates. */
async function gatheringPeer(w: W, iceServers: { urls: string }[]) {
  const pc = new w.RTCPeerConnection({ ...peerOptions(noIceServers.calling, { host: "127.0.0.1", portRange: [10660, 10669] }), iceServers });
  pc.addTransceiver("audio", { direction: "sendrecv" });
  const gathered = new Promise<void>((resolve) => pc.iceGatheringStateChange.subscribe((s) => s === "complete" && resolve()));
  await pc.setLocalDescription(await pc.createOffer());
  return { pc, gathered };
}

describe("werift with no STUN server configured, patched vs 0.25.2 as shipped", () => {
  let shipped: W;
  let patched: W;
  loadShippedAndPatched<W>((s, p) => {
    [shipped, patched] = [s, p];
  });
  afterEach(() => vi.restoreAllMocks());

  it("asks Google's STUN server only as shipped; patched, gathering ends with the host candidate alone", async () => {
    for (const [w, asksGoogle] of [
      [shipped, true],
      [patched, false],
    ] as const) {
      const looked = watchLookups();
      const { pc, gathered } = await gatheringPeer(w, []);
      await gathered;
      expect(looked.includes("stun.l.google.com")).toBe(asksGoogle);
      expect(pc.localDescription!.sdp.match(/^a=candidate:.*$/gm)?.map((c) => c.split(" ")[7])).toEqual(["host"]);
      await pc.close();
      vi.restoreAllMocks();
    }
  }, 20_000);

  it("still asks a STUN server that is configured, and offers the address it answers", async () => {
    const stun = dgram.createSocket("udp4");
    await new Promise<void>((r) => stun.bind(0, "127.0.0.1", r));
    const requests: Buffer[] = [];
    stun.on("message", (request, from) => {
      requests.push(request);
      stun.send(bindingSuccess(request, "203.0.113.7", 40_000), from.port, from.address);
    });
    const looked = watchLookups();
    const { pc, gathered } = await gatheringPeer(patched, [{ urls: `stun:127.0.0.1:${stun.address().port}` }]);
    try {
      await gathered;
      // A STUN Binding request (type 0x0001, magic cookie 0x2112A442), and no DNS for an address.
      expect(requests[0]?.readUInt16BE(0)).toBe(0x0001);
      expect(requests[0]?.readUInt32BE(4)).toBe(0x2112a442);
      expect(looked).toEqual([]);
      expect(pc.localDescription!.sdp).toMatch(/^a=candidate:\S+ 1 udp \d+ 203\.0\.113\.7 40000 typ srflx raddr 127\.0\.0\.1/m);
    } finally {
      await pc.close();
      stun.close();
    }
  }, 20_000);
});

/** A Binding success response (RFC 5389) to `request`, with XOR-MAPPED-ADDRESS `ip`:`port`. */
function bindingSuccess(request: Buffer, ip: string, port: number): Buffer {
  const cookie = 0x2112a442;
  const response = Buffer.alloc(20 + 12);
  response.writeUInt16BE(0x0101, 0);
  response.writeUInt16BE(12, 2);
  request.copy(response, 4, 4, 20); // the magic cookie and the transaction id
  response.writeUInt16BE(0x0020, 20);
  response.writeUInt16BE(8, 22);
  response.writeUInt8(0x01, 25);
  response.writeUInt16BE(port ^ (cookie >>> 16), 26);
  const address = ip.split(".").reduce((a, b) => a * 256 + Number(b), 0);
  response.writeUInt32BE((address ^ cookie) >>> 0, 28);
  return response;
}
