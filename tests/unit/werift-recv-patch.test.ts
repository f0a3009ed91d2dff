// patches/werift-edits/recv.py changes how werift's ESM bundle checks and decrypts a received SRTP
// packet (HMAC-SHA1 tag checked in scratch buffers, GCM IV in one buffer and plaintext copied from
// update()'s Buffer, header parsed from the datagram itself). Each packet must come out as werift
// 0.25.2 as shipped gives it, and every packet 0.25.2 rejects must still be rejected.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INSTALLED_WERIFT, loadEsm, pristineWerift, type Werift } from "../fixtures/werift/pristine-werift";
import { AEAD_GCM, AES_CM, headerJson, prng, rtpPacket } from "../fixtures/werift/srtp-corpus";

type Keys = { localMasterKey: Buffer; localMasterSalt: Buffer; remoteMasterKey: Buffer; remoteMasterSalt: Buffer };
type Session = InstanceType<Werift["SrtpSession"]>;
/** The patched session's receive entry point (receive.py), which the transport calls. */
type PatchedSession = Session & { decryptWithHeader(b: Buffer): [Buffer, InstanceType<Werift["RtpHeader"]>] };

function session(w: Werift, key: Buffer, salt: Buffer, profile: number): Session {
  const keys: Keys = { localMasterKey: key, localMasterSalt: salt, remoteMasterKey: key, remoteMasterSalt: salt };
  return new w.SrtpSession({ keys, profile });
}
function protect(w: Werift, tx: Session, raw: Buffer): Buffer {
  const header = w.RtpHeader.deSerialize(raw);
  return tx.encrypt(raw.subarray(header.payloadOffset), header);
}
/** The decrypted packet and header, or the name of the error class that rejected it. */
function outcome(decrypt: () => [Buffer, InstanceType<Werift["RtpHeader"]>]) {
  try {
    const [packet, header] = decrypt();
    return { packet: packet.toString("hex"), header: headerJson(header) };
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

  const shippedOutcome = (rx: Session, packet: Buffer) =>
    outcome(() => {
      const dec = rx.decrypt(packet);
      return [dec, shipped.RtpPacket.deSerialize(dec).header];
    });

  it.each([
    ["AES_CM_128_HMAC_SHA1_80", AES_CM],
    ["AEAD_AES_128_GCM", AEAD_GCM],
  ])("%s: the same decrypted bytes and header (CSRCs, extensions, padding, any length, across the rollover)", (_name, profile) => {
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
      const got = outcome(() => after.decryptWithHeader(packet));
      expect(got, `packet ${i}`).toEqual(shippedOutcome(before, packet));
      expect(got).toHaveProperty("packet");
    }
  });

  it.each([
    ["AES_CM_128_HMAC_SHA1_80", AES_CM],
    ["AEAD_AES_128_GCM", AEAD_GCM],
  ])("%s: rejects every packet with a bit flipped, and every truncation as 0.25.2 does", (_name, profile) => {
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
        const got = outcome(() => after.decryptWithHeader(bad));
        expect(got, `byte ${at} of packet ${i}`).toHaveProperty("rejected");
        // A flipped header bit may name an index received already (0.25.2 keeps no replay list; it
        // rejects all of these as SrtpAuthenticationError: werift-srtp-patch.test.ts, and slowly where
        // the flip makes a huge extension length, so it is not asked again here).
        expect(["SrtpAuthenticationError", "SrtpReplayError"]).toContain((got as { rejected: string }).rejected);
      }
      for (let n = 0; n < packet.length; n++) {
        expect(
          outcome(() => after.decryptWithHeader(packet.subarray(0, n))),
          `${n} bytes`,
        ).toEqual(shippedOutcome(before, packet.subarray(0, n)));
      }
      expect(outcome(() => after.decryptWithHeader(packet))).toEqual(shippedOutcome(before, packet));
      expect(outcome(() => after.decryptWithHeader(packet))).toEqual({ rejected: "SrtpReplayError" });
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
