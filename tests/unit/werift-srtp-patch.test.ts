// patches/werift+0.25.2.patch makes SRTP/RTP cheaper per packet and must not change a byte a peer
// sees. Checked on the installed (patched) werift through its CommonJS files and its ESM bundles:
// golden vectors from werift 0.25.2 as shipped (tests/fixtures/werift/srtp-golden.json), RFC 3711 and
// libsrtp vectors, round trips, tampering, and live against a pristine copy (the patch reversed).
import { createCipheriv, createHmac } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INSTALLED_WERIFT, loadCjs, loadEsm, pristineWerift, type Werift } from "../fixtures/werift/pristine-werift";
import { AEAD_GCM, AES_CM, parseOutcome, prng, rtcpPackets, rtpPacket } from "../fixtures/werift/srtp-corpus";

interface Golden {
  srtp: { name: string; profile: number; masterKey: string; masterSalt: string; packets: { rtp: string; srtp: string }[] }[];
  srtcp: { profile: number; masterKey: string; masterSalt: string; packets: { rtcp: string; srtcp: string }[] }[];
  rtp: ({ raw: string } & Record<string, unknown>)[];
}
const golden = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, "../fixtures/werift/srtp-golden.json"), "utf8")) as Golden;
const hex = (s: string) => Buffer.from(s.replace(/\s/g, ""), "hex");

/** Sender and receiver sessions with one master key/salt (what one DTLS handshake gives both ends). */
type Keys = { localMasterKey: Buffer; localMasterSalt: Buffer; remoteMasterKey: Buffer; remoteMasterSalt: Buffer };
function sessions<S>(Session: new (c: { keys: Keys; profile: number }) => S, key: Buffer, salt: Buffer, profile: number) {
  const config = { keys: { localMasterKey: key, localMasterSalt: salt, remoteMasterKey: key, remoteMasterSalt: salt }, profile };
  return { tx: new Session(config), rx: new Session(config) };
}

/** Encrypts an RTP packet as werift's transport does: header and payload (padding included). */
function protect(w: Werift, tx: InstanceType<Werift["SrtpSession"]>, raw: Buffer): Buffer {
  const header = w.RtpHeader.deSerialize(raw);
  return tx.encrypt(raw.subarray(header.payloadOffset), header);
}

const impls: [string, () => Promise<Werift>][] = [
  ["CommonJS files (lib/rtp/src)", async () => loadCjs(INSTALLED_WERIFT)],
  ["ESM bundle lib/index.mjs", () => loadEsm(INSTALLED_WERIFT)],
  ["ESM bundle lib/nonstandard/index.mjs", () => loadEsm(INSTALLED_WERIFT, "lib/nonstandard/index.mjs")],
];

describe.each(impls)("patched werift, %s", (_name, load) => {
  let w: Werift;
  beforeAll(async () => {
    w = await load();
  });

  it("is the patched code (one AES key schedule per context, byte-level RTP header writer)", () => {
    expect(typeof w.RtpHeader.prototype.serializeInto).toBe("function");
    const { tx } = sessions(w.SrtpSession, Buffer.alloc(16, 1), Buffer.alloc(14, 2), AES_CM);
    expect(tx.localContext.cipher).toHaveProperty("srtpKeystream");
  });

  it("encrypts every golden SRTP stream to the bytes werift 0.25.2 produced, and decrypts them back", () => {
    for (const stream of golden.srtp) {
      const { tx, rx } = sessions(w.SrtpSession, hex(stream.masterKey), hex(stream.masterSalt), stream.profile);
      stream.packets.forEach((p, i) => {
        expect(protect(w, tx, hex(p.rtp)).toString("hex"), `${stream.name} #${i}`).toBe(p.srtp);
      });
      stream.packets.forEach((p, i) => {
        expect(rx.decrypt(hex(p.srtp)).toString("hex"), `${stream.name} #${i}`).toBe(p.rtp);
      });
    }
  });

  it("encrypts and decrypts the golden SRTCP packets like werift 0.25.2", () => {
    for (const stream of golden.srtcp) {
      const { tx, rx } = sessions(w.SrtcpSession, hex(stream.masterKey), hex(stream.masterSalt), stream.profile);
      for (const p of stream.packets) {
        expect(tx.encrypt(hex(p.rtcp)).toString("hex")).toBe(p.srtcp);
        expect(rx.decrypt(hex(p.srtcp)).toString("hex")).toBe(p.rtcp);
      }
    }
  });

  it("parses and re-serialises the golden RTP corpus like werift 0.25.2 (CSRCs, extensions, padding, truncation)", () => {
    for (const { raw, ...expected } of golden.rtp) {
      expect(parseOutcome(w, hex(raw)), raw).toEqual(expected);
    }
  });

  it("rejects tampered SRTP and SRTCP with SrtpAuthenticationError and keeps decrypting the stream", () => {
    for (const profile of [AES_CM, AEAD_GCM]) {
      const r = prng(profile);
      const salt = r.bytes(profile === AES_CM ? 14 : 12);
      const { tx, rx } = sessions(w.SrtpSession, r.bytes(16), salt, profile);
      for (let seq = 65530; seq < 65546; seq++) {
        const raw = rtpPacket(w, r, seq & 0xffff, 0x1234, 10 + r.next(100));
        const srtp = protect(w, tx, raw);
        for (const at of [1, 5, 13, srtp.length - 11, srtp.length - 1]) {
          const bad = Buffer.from(srtp);
          bad[at]! ^= 0x10;
          expect(() => rx.decrypt(bad)).toThrow(w.SrtpAuthenticationError);
        }
        expect(() => rx.decrypt(srtp.subarray(0, 11))).toThrow(w.SrtpAuthenticationError);
        expect(rx.decrypt(srtp).equals(raw)).toBe(true);
      }
      const rtcp = sessions(w.SrtcpSession, r.bytes(16), salt, profile);
      const srtcp = rtcp.tx.encrypt(rtcpPackets(r, [7], 1)[0]!);
      const bad = Buffer.from(srtcp);
      bad[9]! ^= 1;
      expect(() => rtcp.rx.decrypt(bad)).toThrow(w.SrtpAuthenticationError);
    }
  });

  it("round-trips arbitrary RTP packets through protect and unprotect (both profiles, any length)", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(AES_CM, AEAD_GCM),
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        fc.integer({ min: 0, max: 0xffff }),
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.array(fc.integer({ min: 0, max: 1500 }), { minLength: 1, maxLength: 40 }),
        fc.integer(),
        (profile, key, firstSeq, ssrc, lengths, seed) => {
          const r = prng(seed);
          const { tx, rx } = sessions(w.SrtpSession, Buffer.from(key), r.bytes(profile === AES_CM ? 14 : 12), profile);
          lengths.forEach((length, i) => {
            const raw = rtpPacket(w, r, (firstSeq + i) & 0xffff, ssrc, length);
            expect(rx.decrypt(protect(w, tx, raw)).equals(raw)).toBe(true);
          });
        },
      ),
      { numRuns: 60 },
    );
  });

  it("matches a plain node:crypto AES-CM + HMAC-SHA1 reference for (ROC, SEQ) in any order", () => {
    const r = prng(99);
    const context = sessions(w.SrtpSession, r.bytes(16), r.bytes(14), AES_CM).tx.localContext;
    const cipher = context.cipher as unknown as {
      encryptRtp(h: InstanceType<Werift["RtpHeader"]>, p: Buffer, roc: number): Buffer;
      decryptRtp(c: Buffer, roc: number): [Buffer, unknown];
    };
    const ssrc = r.next(0x100000000);
    for (let i = 0; i < 300; i++) {
      // Revisit the same few sequence numbers with other ROCs, jump around, and grow the packets.
      const roc = r.next(4);
      const seq = i % 3 === 0 ? 65530 + r.next(6) : r.next(40);
      const payload = r.bytes(i < 150 ? r.next(100) : r.next(1300));
      const header = new w.RtpHeader({ payloadType: 111, sequenceNumber: seq, timestamp: i, ssrc });
      const iv = Buffer.alloc(16);
      iv.writeUInt32BE(ssrc, 4);
      iv.writeUInt32BE(roc, 8);
      iv.writeUInt16BE(seq, 12);
      for (let k = 0; k < 14; k++) iv[k]! ^= context.srtpSessionSalt[k]!;
      const head = header.serialize(header.serializeSize);
      const body = createCipheriv("aes-128-ctr", context.srtpSessionKey, iv).update(payload);
      const rocBytes = Buffer.alloc(4);
      rocBytes.writeUInt32BE(roc);
      const tag = createHmac("sha1", context.srtpSessionAuthTag).update(head).update(body).update(rocBytes).digest().subarray(0, 10);
      const expected = Buffer.concat([head, body, tag]);
      expect(cipher.encryptRtp(header, payload, roc).toString("hex"), `#${i}`).toBe(expected.toString("hex"));
      expect(cipher.decryptRtp(expected, roc)[0].equals(Buffer.concat([head, payload])), `#${i}`).toBe(true);
    }
  });

  it("meets RFC 3711 B.2 (AES-CM keystream) and B.3 (key derivation) and libsrtp's SRTP vector", () => {
    // B.3: session keys from master key and salt. (The ESM bundles export DTLS's SrtpContext under that
    // name, so the SRTP context comes from a session.)
    const kdf = sessions(w.SrtpSession, hex("E1F97A0D3E018BE0D64FA32C06DE4139"), hex("0EC675AD498AFEEBB6960B3AABE6"), AES_CM).tx.localContext;
    expect(kdf.srtpSessionKey.toString("hex")).toBe("c61e7a93744f39ee10734afe3ff7a087");
    expect(kdf.srtpSessionSalt.toString("hex")).toBe("30cbbc08863d8c85d49db34a9ae1");
    expect(kdf.srtpSessionAuthTag.toString("hex")).toBe("cebe321f6ff7716b6fd4ab49af256a156d38baa4");
    // B.2: keystream for session key 2B7E…, salt F0F1…FD, SSRC 0, index 0 = an all-zero payload encrypted.
    // The 16-byte salt (same IV, last two bytes zero) takes the per-packet counter-mode path instead.
    const Ctr = kdf.cipher.constructor as new (
      ...a: Buffer[]
    ) => {
      encryptRtp(h: InstanceType<Werift["RtpHeader"]>, p: Buffer, roc: number): Buffer;
    };
    const sessionKey = hex("2B7E151628AED2A6ABF7158809CF4F3C");
    for (const salt of [hex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD"), hex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000")]) {
      const ctr = new Ctr(sessionKey, salt, sessionKey, salt, Buffer.alloc(20), Buffer.alloc(20));
      const header = () => new w.RtpHeader({ sequenceNumber: 0, ssrc: 0 });
      const start = ctr.encryptRtp(header(), Buffer.alloc(48), 0).subarray(12, 60);
      expect(start.toString("hex")).toBe("e03ead0935c95e80e166b16dd92b4eb4d23513162b02d0f72a43a2fe4a5f97ab41e95b3bb0a2e8dd477901e4fca894c0");
      const far = ctr.encryptRtp(header(), Buffer.alloc(0xff02 * 16), 0).subarray(12 + 0xfeff * 16, 12 + 0xff02 * 16);
      expect(far.toString("hex")).toBe("ec8cdf7398607cb0f2d21675ea9ea1e4362b7c3c6773516318a077d7fc5073ae6a2cc3787889374fbeb4c81b17ba6c44");
    }
    // libsrtp test/srtp_driver.c: master key+salt e1f97a…aabe6, RTP 800f1234 decafbad cafebabe + 16 × ab.
    const { tx } = sessions(w.SrtpSession, hex("e1f97a0d3e018be0d64fa32c06de4139"), hex("0ec675ad498afeebb6960b3aabe6"), AES_CM);
    const srtp = protect(w, tx, hex(`800f1234decafbadcafebabe${"ab".repeat(16)}`));
    expect(srtp.toString("hex")).toBe("800f1234decafbadcafebabe4e55dc4ce79978d88ca4d215949d2402b78d6acc99ea179b8dbb");
  });
});

describe("SRTP replay protection (RFC 3711 §3.3.2) in the patched ESM bundle", () => {
  it("drops a packet received already or older than the 64-packet window, and only those", async () => {
    const w = await loadEsm(INSTALLED_WERIFT);
    for (const profile of [AES_CM, AEAD_GCM]) {
      const salt = Buffer.alloc(profile === AES_CM ? 14 : 12, 0x21);
      const { tx, rx } = sessions(w.SrtpSession, Buffer.alloc(16, 0x42), salt, profile);
      // 65 400 … 65 535 then 0 … 199 after the rollover: indexes 65 400 … 65 735 of one SSRC.
      const sent = new Map<number, Buffer>();
      for (let i = 0; i < 336; i++) {
        const seq = (65_400 + i) & 0xffff;
        const header = new w.RtpHeader({ payloadType: 111, sequenceNumber: seq, timestamp: i * 960, ssrc: 0x0badcafe });
        sent.set(65_400 + i, tx.encrypt(Buffer.from(`packet ${i}`), header));
      }
      const outcome = (index: number) => {
        try {
          return rx.decrypt(sent.get(index)!).readUInt16BE(2) === (index & 0xffff) ? "ok" : "wrong packet";
        } catch (error) {
          return (error as Error).name;
        }
      };
      // In order with a hole at 65 410, across the rollover up to 65 600 (sequence number 64).
      for (let index = 65_400; index <= 65_600; index++) if (index !== 65_410) expect(outcome(index), `index ${index}`).toBe("ok");
      expect(outcome(65_600)).toBe("SrtpReplayError"); // the newest packet again
      expect(outcome(65_560)).toBe("SrtpReplayError"); // inside the window, received
      expect(outcome(65_537)).toBe("SrtpReplayError"); // the oldest index the window holds, received
      expect(outcome(65_530)).toBe("SrtpReplayError"); // received, 70 packets behind: below the window
      // Never received and 190 packets behind: dropped too (werift's rollover estimate places it a
      // rollover later, where it fails authentication).
      expect(outcome(65_410)).toBe("SrtpAuthenticationError");
      // Reordered packets inside the window are taken once.
      for (let index = 65_601; index <= 65_700; index++) if (index % 7 !== 0) expect(outcome(index)).toBe("ok");
      expect(outcome(65_604)).toBe("SrtpReplayError"); // never received, 96 behind the newest
      for (const late of [65_639, 65_660, 65_695]) {
        expect(outcome(late), `late ${late}`).toBe("ok");
        expect(outcome(late), `late ${late} again`).toBe("SrtpReplayError");
      }
      // A jump ahead of more than the window starts a new one; a tampered packet moves nothing.
      const tampered = Buffer.from(sent.get(65_735)!);
      tampered[tampered.length - 1]! ^= 1;
      expect(() => rx.decrypt(tampered)).toThrow(w.SrtpAuthenticationError ?? Error);
      expect(outcome(65_720)).toBe("ok");
      expect(outcome(65_735)).toBe("ok");
      expect(outcome(65_720)).toBe("SrtpReplayError");
    }
  });

  it("keeps each SSRC's rollover and replay state apart when their packets interleave", async () => {
    // A context keeps the SSRC it saw last at hand: two streams taking turns must still each get
    // their own rollover counter and window, on the sending side as on the receiving one.
    const w = await loadEsm(INSTALLED_WERIFT);
    for (const profile of [AES_CM, AEAD_GCM]) {
      const salt = Buffer.alloc(profile === AES_CM ? 14 : 12, 0x33);
      const key = Buffer.alloc(16, 0x44);
      const shared = sessions(w.SrtpSession, key, salt, profile);
      const streams = [
        { ssrc: 0xdeadbeef, first: 65_500, alone: sessions(w.SrtpSession, key, salt, profile).tx }, // rolls over
        { ssrc: 7, first: 100, alone: sessions(w.SrtpSession, key, salt, profile).tx },
      ];
      const packets: { ssrc: number; index: number; data: Buffer }[] = [];
      for (let i = 0; i < 80; i++) {
        for (const s of streams) {
          const header = () => new w.RtpHeader({ payloadType: 111, sequenceNumber: (s.first + i) & 0xffff, timestamp: i * 960, ssrc: s.ssrc });
          const data = shared.tx.encrypt(Buffer.from(`${s.ssrc} ${i}`), header());
          // The same bytes as a session that only ever saw this SSRC.
          expect(data.equals(s.alone.encrypt(Buffer.from(`${s.ssrc} ${i}`), header())), `ssrc ${s.ssrc} packet ${i}`).toBe(true);
          packets.push({ ssrc: s.ssrc, index: s.first + i, data });
        }
      }
      const outcome = (data: Buffer) => {
        try {
          return shared.rx.decrypt(data).subarray(12).toString();
        } catch (error) {
          return (error as Error).name;
        }
      };
      for (const p of packets) expect(outcome(p.data)).toBe(`${p.ssrc} ${p.index - (p.ssrc === 7 ? 100 : 65_500)}`);
      // Each packet again, in the same interleaved order: every one is a replay of its own stream.
      for (const p of packets.slice(-40)) expect(outcome(p.data)).toBe("SrtpReplayError");
    }
  });
});

describe("patched werift against werift 0.25.2 as shipped, live", () => {
  let pristine: ReturnType<typeof pristineWerift>;
  beforeAll(() => {
    pristine = pristineWerift();
  });
  afterAll(() => pristine?.cleanup());

  it.each([
    ["CommonJS files", (dir: string) => Promise.resolve(loadCjs(dir))],
    ["ESM bundle", (dir: string) => loadEsm(dir)],
  ])("%s: same bytes and same failures for streams with reordering, loss, many SSRCs and huge packets", async (_n, load) => {
    const [before, after] = [await load(pristine.dir), await load(INSTALLED_WERIFT)];
    for (const profile of [AES_CM, AEAD_GCM]) {
      const r = prng(profile * 101);
      const key = r.bytes(16);
      const salt = r.bytes(profile === AES_CM ? 14 : 12);
      const a = sessions(before.SrtpSession, key, salt, profile);
      const b = sessions(after.SrtpSession, key, salt, profile);
      const ssrcs = Array.from({ length: 24 }, () => r.next(0x100000000));
      const seqs = ssrcs.map((_, i) => (i < 4 ? 65500 + r.next(40) : r.next(65536)));
      const sent: Buffer[] = [];
      for (let i = 0; i < 1500; i++) {
        const s = i % 7 === 0 ? r.next(ssrcs.length) : r.next(3);
        seqs[s] = (seqs[s]! + (r.next(20) === 0 ? 1 + r.next(40) : 1)) & 0xffff; // occasional loss
        const length = i === 700 ? 0x10010 * 16 : r.next(8) === 0 ? r.next(1400) : 40 + r.next(160);
        const raw = rtpPacket(before, r, seqs[s]!, ssrcs[s]!, length);
        const encrypted = protect(before, a.tx, raw);
        expect(protect(after, b.tx, raw).equals(encrypted), `packet ${i}`).toBe(true);
        sent.push(encrypted);
      }
      for (let i = 0; i + 3 < sent.length; i += 4) if (r.next(3) === 0) sent.splice(i, 4, sent[i + 2]!, sent[i]!, sent[i + 3]!, sent[i + 1]!);
      for (const [i, packet] of sent.entries()) {
        const outcome = (rx: { decrypt: (b: Buffer) => Buffer }) => {
          try {
            return rx.decrypt(packet).toString("hex");
          } catch (e) {
            return (e as Error).constructor.name;
          }
        };
        expect(outcome(b.rx), `packet ${i}`).toBe(outcome(a.rx));
      }
    }
  });

  it("ESM bundle: protects at any SSRC, ROC and sequence number and any size like 0.25.2, and throws where it throws", async () => {
    const [before, after] = [await loadEsm(pristine.dir), await loadEsm(INSTALLED_WERIFT)];
    type Cipher = {
      encryptRtp(h: InstanceType<Werift["RtpHeader"]>, p: Buffer, roc: number): Buffer;
      srtpSessionKey: Buffer;
    };
    for (const profile of [AES_CM, AEAD_GCM]) {
      const r = prng(profile * 7 + 1);
      const key = r.bytes(16);
      const salt = r.bytes(profile === AES_CM ? 14 : 12);
      const cipherOf = (w: Werift) => sessions(w.SrtpSession, key, salt, profile).tx.localContext.cipher as unknown as Cipher;
      const a = cipherOf(before);
      const b = cipherOf(after);
      // send.py's protect (tag written into the packet; GCM IV in place, key as a KeyObject) runs here.
      expect(typeof (b as unknown as Record<string, unknown>)[profile === AES_CM ? "writeSrtpAuthTag" : "rtpSendInitializationVector"]).toBe("function");
      const outcome = (w: Werift, cipher: Cipher, ssrc: number, seq: number, roc: number, payload: Buffer) => {
        try {
          return cipher.encryptRtp(new w.RtpHeader({ payloadType: 111, sequenceNumber: seq, timestamp: seq * 960, ssrc }), payload, roc).toString("hex");
        } catch (error) {
          return `${(error as Error).name} ${(error as { code?: string }).code}`;
        }
      };
      // Sizes that keep, change and grow the HMAC input (2 000 bytes is past its first buffer), then shrink.
      const sizes = [80, 80, 81, 0, 1, 80, 2_000, 80, 161, 1_200, 80];
      let n = 0;
      for (const ssrc of [0, 1, 0x7fffffff, 0xffffffff, r.next(0x100000000)]) {
        for (const roc of [0, 1, 0xffff, 0x10000, 0xfffffffe, 0xffffffff, 0x100000000, -1]) {
          for (const seq of [0, 1, 0x7fff, 0xfffe, 0xffff]) {
            const payload = r.bytes(sizes[n++ % sizes.length]!);
            const expected = outcome(before, a, ssrc, seq, roc, payload);
            expect(outcome(after, b, ssrc, seq, roc, payload), `SSRC ${ssrc} ROC ${roc} SEQ ${seq}`).toBe(expected);
            if (roc >= 0 && roc <= 0xffffffff) expect(expected).toMatch(/^[0-9a-f]+$/);
            else expect(expected).toMatch(/^RangeError/);
          }
        }
      }
      if (profile === AEAD_GCM) {
        // A session key replaced on the GCM cipher is the one used from then on (the KeyObject follows
        // it). (The patched AES-CM cipher keeps the keystream cipher of the key it was made with.)
        a.srtpSessionKey = b.srtpSessionKey = r.bytes(16);
        const payload = r.bytes(80);
        expect(outcome(after, b, 5, 6, 7, payload)).toBe(outcome(before, a, 5, 6, 7, payload));
      }
    }
  });

  it("changed the two ESM bundles that cannot be loaded alone (polyfill) the same way", () => {
    for (const bundle of ["lib/polyfill/index.mjs", "lib/polyfill/dom.mjs"]) {
      const changed = fs.readFileSync(path.join(INSTALLED_WERIFT, bundle), "utf8");
      const shipped = fs.readFileSync(path.join(pristine.dir, bundle), "utf8");
      expect(shipped).not.toContain("serializeInto(buf)");
      for (const marker of [
        "serializeInto(buf) {",
        "var AesCmKeystream = class",
        "var SrtpHmacSha1 = class",
        "h.extensions.push(extension);",
        "writeSrtpAuthTag(out, length, rolloverCounter) {",
        "rtpSendInitializationVector(ssrc, rolloverCounter, sequenceNumber) {",
      ]) {
        expect(changed).toContain(marker);
      }
    }
  });
});
