// patches/werift+0.25.2.patch also moves werift's DTLS key exchange to node:crypto (X25519 and P-256
// ECDHE were pure JS, ~1 ms of CPU per handshake and side) and parses the local certificate and key
// once per process. Here a patched peer meets werift 0.25.2 as shipped over loopback, either side as
// the DTLS client (the gateway) or server (a WhatsApp-like ICE-lite offerer), on both curves: the
// handshake must complete and SRTP, keyed from the exchanged secret, must carry audio both ways.
import { createVerify } from "node:crypto";
import { createRequire } from "node:module";
import path from "node:path";
import { p256 } from "@noble/curves/p256";
import nacl from "tweetnacl";
import { describe, expect, it } from "vitest";
import { waitGathered, whatsappCodecs } from "../../lib/media/webrtc";
import { INSTALLED_WERIFT } from "../fixtures/werift/pristine-werift";
import { loadShippedAndPatched } from "../fixtures/werift/side-by-side";

type W = typeof import("werift");
type Pc = InstanceType<W["RTCPeerConnection"]>;
type Curve = "x25519" | "p256";

const X25519 = 29;
const P256 = 23;
const OPUS = 111;

/** The curves a werift DTLS client offers, first choice first (the server takes the first it knows). */
function offerCurves(w: W, curve: Curve) {
  const list = w.NamedCurveAlgorithmList as number[];
  list.splice(0, list.length, ...(curve === "x25519" ? [X25519, P256] : [P256, X25519]));
}

/** Which curve a connected peer's DTLS session agreed on. */
const agreedCurve = (pc: Pc) => (pc.dtlsTransports[0] as unknown as { dtls: { cipher: { localKeyPair: { curve: number } } } }).dtls.cipher.localKeyPair.curve;

/** Audio packets each side's remote track delivered, after a DTLS handshake between `offerer` (ICE-lite, DTLS server) and `answerer` (DTLS client). */
async function call(offerer: W, answerer: W, curve: Curve) {
  offerCurves(answerer, curve);
  const base = { iceUseIpv6: false, iceAdditionalHostAddresses: ["127.0.0.1"], codecs: whatsappCodecs() };
  const server = new offerer.RTCPeerConnection({ ...base, iceLite: true } as ConstructorParameters<W["RTCPeerConnection"]>[0]);
  const client = new answerer.RTCPeerConnection(base as ConstructorParameters<W["RTCPeerConnection"]>[0]);
  try {
    const serverTrack = new offerer.MediaStreamTrack({ kind: "audio" });
    server.addTransceiver(serverTrack, { direction: "sendrecv" });
    const heard = { byServer: 0, byClient: 0 };
    server.onTrack.subscribe((t) => t.onReceiveRtp.subscribe(() => void heard.byServer++));
    client.onTrack.subscribe((t) => t.onReceiveRtp.subscribe(() => void heard.byClient++));
    await server.setLocalDescription(await server.createOffer());
    await waitGathered(server as never, 3_000);
    await client.setRemoteDescription(server.localDescription!);
    const clientTrack = new answerer.MediaStreamTrack({ kind: "audio" });
    await client.getTransceivers()[0]!.sender.replaceTrack(clientTrack);
    client.getTransceivers()[0]!.setDirection("sendrecv");
    await client.setLocalDescription(await client.createAnswer());
    await waitGathered(client as never, 3_000);
    const connected = (pc: Pc) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("DTLS did not connect within 5 s")), 5_000);
        pc.connectionStateChange.subscribe((s) => {
          if (s === "connected") {
            clearTimeout(timer);
            resolve();
          }
        });
      });
    const both = Promise.all([connected(client), connected(server)]);
    await server.setRemoteDescription(client.localDescription!);
    await both;
    for (let i = 0; i < 10; i++) {
      serverTrack.writeRtp(
        new offerer.RtpPacket(new offerer.RtpHeader({ payloadType: OPUS, sequenceNumber: i, timestamp: i * 960 }), Buffer.from([0xf8, 0xff, 0xfe])),
      );
      clientTrack.writeRtp(
        new answerer.RtpPacket(new answerer.RtpHeader({ payloadType: OPUS, sequenceNumber: i, timestamp: i * 960 }), Buffer.from([0xf8, 0xff, 0xfe])),
      );
      await new Promise((r) => setTimeout(r, 10));
    }
    const deadline = Date.now() + 2_000;
    while ((heard.byServer < 10 || heard.byClient < 10) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    return { ...heard, serverCurve: agreedCurve(server), clientCurve: agreedCurve(client) };
  } finally {
    offerCurves(answerer, "x25519");
    await Promise.all([client.close(), server.close()]).catch(() => {});
  }
}

describe("werift DTLS key exchange in node:crypto, patched vs 0.25.2 as shipped", () => {
  let shipped: W;
  let patched: W;
  loadShippedAndPatched<W>((s, p) => {
    [shipped, patched] = [s, p];
  });

  for (const curve of ["x25519", "p256"] as const) {
    it(`a patched gateway (DTLS client) and a shipped caller agree on keys over ${curve}`, async () => {
      const r = await call(shipped, patched, curve);
      expect(r).toEqual({ byServer: 10, byClient: 10, serverCurve: curve === "x25519" ? X25519 : P256, clientCurve: curve === "x25519" ? X25519 : P256 });
    }, 20_000);

    it(`a shipped gateway and a patched caller (DTLS server) agree on keys over ${curve}`, async () => {
      const r = await call(patched, shipped, curve);
      expect(r).toEqual({ byServer: 10, byClient: 10, serverCurve: curve === "x25519" ? X25519 : P256, clientCurve: curve === "x25519" ? X25519 : P256 });
    }, 20_000);
  }

  it("two patched peers agree on keys, with the certificate parsed once and reused", async () => {
    const first = await call(patched, patched, "x25519");
    const second = await call(patched, patched, "p256");
    expect([first.byServer, first.byClient, second.byServer, second.byClient]).toEqual([10, 10, 10, 10]);
  }, 20_000);

  it("ServerKeyExchange and CertificateVerify signatures verify under the certificate's public key", async () => {
    // werift never checks a peer's signatures, so the handshakes above would not notice a bad one.
    const { certPem, keyPem, signatureHash } = await patched.CipherContext.createSelfSignedCertificateWithKey({ hash: 4, signature: 3 }, P256);
    const server = new patched.CipherContext(2, certPem, keyPem, signatureHash);
    const keys = new patched.CipherContext(2, certPem, keyPem, signatureHash);
    const ctx = server as unknown as {
      localRandom: { serialize: () => Buffer };
      remoteRandom: { serialize: () => Buffer };
      localKeyPair: { publicKey: Buffer };
      namedCurve: number;
      generateKeySignature: (hash: string) => Buffer;
      signatureData: (data: Buffer, hash: string) => Buffer;
      valueKeySignature: (client: Buffer, server: Buffer, publicKey: Buffer, curve: number) => Buffer;
    };
    const random = (fill: number) => ({ serialize: () => Buffer.alloc(32, fill) });
    ctx.localRandom = random(1);
    ctx.remoteRandom = random(2);
    ctx.localKeyPair = { publicKey: Buffer.alloc(32, 7) };
    ctx.namedCurve = X25519;
    const signed = ctx.valueKeySignature(ctx.remoteRandom.serialize(), ctx.localRandom.serialize(), ctx.localKeyPair.publicKey, X25519);
    const cert = certPem.toString();
    expect(createVerify("sha256").update(signed).verify(cert, ctx.generateKeySignature("sha256"))).toBe(true);
    const transcript = Buffer.from("handshake messages so far");
    expect(createVerify("sha256").update(transcript).verify(cert, ctx.signatureData(transcript, "sha256"))).toBe(true);
    expect(
      createVerify("sha256")
        .update(transcript)
        .verify(cert, ctx.signatureData(Buffer.from("something else"), "sha256")),
    ).toBe(false);
    // The second context over the same PEM pair signs with the same (cached) key.
    expect(
      createVerify("sha256")
        .update(transcript)
        .verify(cert, (keys as unknown as typeof ctx).signatureData(transcript, "sha256")),
    ).toBe(true);
  });

  it("the CommonJS DTLS files derive the same premaster secrets as tweetnacl and @noble/curves", () => {
    const req = createRequire(path.join(INSTALLED_WERIFT, "package.json"));
    const at = (file: string) => req(path.join(INSTALLED_WERIFT, "lib/dtls/src/cipher", file));
    const { generateKeyPair } = at("namedCurve.js") as { generateKeyPair: (curve: number) => { privateKey: Buffer; publicKey: Buffer } };
    const { prfPreMasterSecret } = at("prf.js") as { prfPreMasterSecret: (publicKey: Buffer, privateKey: Buffer, curve: number) => Buffer };
    const ours = generateKeyPair(X25519);
    const theirs = nacl.box.keyPair();
    expect(prfPreMasterSecret(Buffer.from(theirs.publicKey), ours.privateKey, X25519)).toEqual(Buffer.from(nacl.scalarMult(theirs.secretKey, ours.publicKey)));
    const mine = generateKeyPair(P256);
    const other = p256.utils.randomPrivateKey();
    expect(mine.publicKey).toHaveLength(65);
    expect(prfPreMasterSecret(Buffer.from(p256.getPublicKey(other, false)), mine.privateKey, P256)).toEqual(
      Buffer.from(p256.getSharedSecret(other, mine.publicKey)).subarray(1),
    );
  });
});
