// patches/werift-edits/recv.py changes how werift's ESM bundle checks and decrypts a received SRTP
// packet (HMAC-SHA1 tag checked in scratch buffers, GCM IV in one buffer and plaintext copied from
// update()'s Buffer, header parsed from the datagram itself). Each packet must come out as werift
// 0.25.2 as shipped gives it, and every packet 0.25.2 rejects must still be rejected.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INSTALLED_WERIFT, loadEsm, pristineWerift, type Werift } from "../fixtures/werift/pristine-werift";
import { AEAD_GCM, AES_CM, headerJson, prng, rtpPacket } from "../fixtures/werift/srtp-corpus";

type Keys = { localMasterKey: Buffer; localMasterSalt: Buffer; remoteMasterKey: Buffer; remoteMasterSalt: Buffer };
type Session = InstanceType<Werift["SrtpSession"]>;
type Header = InstanceType<Werift["RtpHeader"]>;
/** The patched session's receive entry points: receive.py's, and recv.py's that the transport calls. */
type PatchedSession = Session & {
  decryptWithHeader(b: Buffer): [Buffer, Header];
  decryptPayloadWithHeader(b: Buffer): [Buffer, Header];
};
/** What each entry point gives: the decrypted packet, or the RTP payload as the transport delivers it. */
type Received = [bytes: Buffer, header: Header];
const entryPoints: [string, (rx: PatchedSession, b: Buffer) => Received, (packet: Buffer, header: Header) => Buffer][] = [
  ["decryptWithHeader (the packet)", (rx, b) => rx.decryptWithHeader(b), (packet) => packet],
  [
    "decryptPayloadWithHeader (the payload the transport delivers)",
    (rx, b) => {
      const [payload, header] = rx.decryptPayloadWithHeader(b);
      return [header.paddingSize === 0 ? payload : payload.subarray(0, payload.length - header.paddingSize), header];
    },
    (packet, header) => packet.subarray(header.payloadOffset, packet.length - header.paddingSize),
  ],
];
const profiles = [
  ["AES_CM_128_HMAC_SHA1_80", AES_CM],
  ["AEAD_AES_128_GCM", AEAD_GCM],
] as const;
const cases = profiles.flatMap(([name, profile]) => entryPoints.map(([entry, receive, expected]) => [name, entry, profile, receive, expected] as const));

function session(w: Werift, key: Buffer, salt: Buffer, profile: number): Session {
  const keys: Keys = { localMasterKey: key, localMasterSalt: salt, remoteMasterKey: key, remoteMasterSalt: salt };
  return new w.SrtpSession({ keys, profile });
}
function protect(w: Werift, tx: Session, raw: Buffer): Buffer {
  const header = w.RtpHeader.deSerialize(raw);
  return tx.encrypt(raw.subarray(header.payloadOffset), header);
}
/** The decrypted packet and header, or the name of the error class that rejected it. */
function outcome(decrypt: () => Received) {
  try {
    const [bytes, header] = decrypt();
    return { bytes: bytes.toString("hex"), header: headerJson(header) };
  } catch (error) {
    return { rejected: (error as Error).constructor.name };
  }
}

describe("received SRTP in the patched ESM bundle against werift 0.25.2 as shipped", () => {
  let pristine: ReturnType<typeof pristineWerift>;
  let shipped: Werift;
  let patched: Werift;
  beforeAll(async () => {
    pristine = pristineWerift();
    shipped = await loadEsm(pristine.dir);
    patched = await loadEsm(INSTALLED_WERIFT);
  });
  afterAll(() => pristine?.cleanup());

  /** 0.25.2: the transport's decrypt() and RtpPacket.deSerialize(). */
  const shippedOutcome = (rx: Session, packet: Buffer, expected: (packet: Buffer, header: Header) => Buffer) =>
    outcome(() => {
      const dec = rx.decrypt(packet);
      const { header } = shipped.RtpPacket.deSerialize(dec);
      return [expected(dec, header), header];
    });

  it.each(cases)("%s, %s: the same bytes and header (CSRCs, extensions, padding, any length, across the rollover)", (_n, _e, profile, receive, expected) => {
    const r = prng(profile * 7919);
    const key = r.bytes(16);
    const salt = r.bytes(profile === AES_CM ? 14 : 12);
    const tx = session(shipped, key, salt, profile);
    const [before, after] = [session(shipped, key, salt, profile), session(patched, key, salt, profile) as PatchedSession];
    const ssrcs = [0x1234, 0xfedcba98, r.next(0x100000000)];
    const seqs = [65_200, 7, r.next(65536)];
    for (let i = 0; i < 1200; i++) {
      const s = r.next(3);
      seqs[s] = (seqs[s]! + 1) & 0xffff;
      const length = i % 97 === 0 ? r.next(1400) : r.next(200);
      const packet = protect(shipped, tx, rtpPacket(shipped, r, seqs[s]!, ssrcs[s]!, length));
      const got = outcome(() => receive(after, packet));
      expect(got, `packet ${i}`).toEqual(shippedOutcome(before, packet, expected));
      expect(got).toHaveProperty("bytes");
    }
  });

  it.each(cases)("%s, %s: rejects every packet with a bit flipped, and every truncation as 0.25.2 does", (_n, _e, profile, receive, expected) => {
    const r = prng(profile * 31);
    const key = r.bytes(16);
    const salt = r.bytes(profile === AES_CM ? 14 : 12);
    const tx = session(shipped, key, salt, profile);
    const [before, after] = [session(shipped, key, salt, profile), session(patched, key, salt, profile) as PatchedSession];
    for (let i = 0; i < 10; i++) {
      const packet = protect(shipped, tx, rtpPacket(shipped, r, (65_530 + i) & 0xffff, 0xabcd, 20 + r.next(60)));
      for (let at = 0; at < packet.length; at++) {
        const bad = Buffer.from(packet);
        bad[at]! ^= 1 << r.next(8);
        const got = outcome(() => receive(after, bad));
        expect(got, `byte ${at} of packet ${i}`).toHaveProperty("rejected");
        // A flipped header bit may name an index received already (0.25.2 keeps no replay list; it
        // rejects all of these as SrtpAuthenticationError: werift-srtp-patch.test.ts, and slowly where
        // the flip makes a huge extension length, so it is not asked again here).
        expect(["SrtpAuthenticationError", "SrtpReplayError"]).toContain((got as { rejected: string }).rejected);
      }
      for (let n = 0; n < packet.length; n++) {
        expect(
          outcome(() => receive(after, packet.subarray(0, n))),
          `${n} bytes`,
        ).toEqual(shippedOutcome(before, packet.subarray(0, n), expected));
      }
      expect(outcome(() => receive(after, packet))).toEqual(shippedOutcome(before, packet, expected));
      expect(outcome(() => receive(after, packet))).toEqual({ rejected: "SrtpReplayError" });
    }
  });

  it("keeps two AES_CM sessions' tag checks apart when their packets interleave (scratch buffers per session)", () => {
    const r = prng(5);
    const keys = [r.bytes(16), r.bytes(16)];
    const salt = r.bytes(14);
    const txs = keys.map((k) => session(shipped, k, salt, AES_CM));
    const rxs = keys.map((k) => session(patched, k, salt, AES_CM) as PatchedSession);
    for (let i = 0; i < 50; i++) {
      const packets = txs.map((tx, s) => protect(shipped, tx, rtpPacket(shipped, r, 100 + i, 0x77 + s, 10 + r.next(300))));
      // Each session takes its own packet and rejects the other's (another key, same SSRC range).
      expect(outcome(() => rxs[0]!.decryptWithHeader(packets[1]!))).toHaveProperty("rejected");
      expect(outcome(() => rxs[1]!.decryptWithHeader(packets[0]!))).toHaveProperty("rejected");
      expect(rxs[0]!.decryptWithHeader(packets[0]!)[0].readUInt32BE(8)).toBe(0x77);
      expect(rxs[1]!.decryptWithHeader(packets[1]!)[0].readUInt32BE(8)).toBe(0x78);
    }
  });

  it("is the patched receive code (tag check in scratch buffers, GCM IV in one buffer)", () => {
    const aesCm = session(patched, Buffer.alloc(16, 1), Buffer.alloc(14, 2), AES_CM) as unknown as {
      remoteContext: { cipher: { srtpHmac: { verify?: unknown } } };
    };
    expect(typeof aesCm.remoteContext.cipher.srtpHmac.verify).toBe("function");
    const gcm = session(patched, Buffer.alloc(16, 1), Buffer.alloc(12, 2), AEAD_GCM) as unknown as {
      remoteContext: { cipher: { rtpDecryptionIvBuffer?: Buffer } };
    };
    expect(gcm.remoteContext.cipher.rtpDecryptionIvBuffer).toHaveLength(12);
  });
});
