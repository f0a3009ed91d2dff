#!/usr/bin/env python3
"""Fewer objects and less work per RTP packet RECEIVED, in werift's ESM bundles (exact text replacements).

Apply after every other script here (it edits text receive.py and replay.py left). Send-path code is
not touched: new methods are added next to the shared ones instead of changing them.

The V8 sampling heap profiler at 50 pairs (bench/packet-profile.ts alloc) put ~3.5 KB of the ~7.5 KB
allocated per packet on the receive path: per AEAD_AES_128_GCM packet a 12-byte IV buffer, a
StringDecoder and a latin1 string for the plaintext (the native update() makes a Buffer anyway; the
string decoding only adds work), per AES_CM packet a rest array, three Buffer views and a 20-byte tag
for the HMAC check, a view of the datagram only to bound the header parse, and a copy of every header
(cloneRtpHeader) for delivery to the track.
"""

from textedits import TextEdits

edits = TextEdits()
edit = edits.edit

# 1. AEAD_AES_128_GCM: IV written into one buffer per cipher (createDecipheriv copies it), the
#    plaintext as update()'s Buffer copied into the packet (no StringDecoder and string per packet).
GCM_DECRYPT_OLD = """  decryptRtp(cipherText, rolloverCounter, header = parseSrtpRtpHeader(cipherText, this.aeadAuthTagLen)) {
    const headerBuffer = cipherText.subarray(0, header.payloadOffset);
    const authTagOffset = cipherText.length - this.aeadAuthTagLen;
    const authTag = cipherText.subarray(authTagOffset);
    // Every byte is written below: the header here, the plaintext after authentication.
    const dst = Buffer.allocUnsafe(authTagOffset);
    headerBuffer.copy(dst);
    const iv = this.rtpInitializationVector(header, rolloverCounter);
    const enc = cipherText.slice(header.payloadOffset, authTagOffset);
    const decipher = createDecipheriv3("aes-128-gcm", this.srtpSessionKey, iv);
    decipher.setAAD(headerBuffer);
    decipher.setAuthTag(authTag);
    const dec = decipher.update(enc, void 0, "latin1");
    finalizeAuthenticatedDecryption(decipher, "SRTP");
    dst.write(dec, header.payloadOffset, dec.length, "latin1");
    return ["""
GCM_DECRYPT_NEW = """  decryptRtp(cipherText, rolloverCounter, header = parseSrtpRtpHeader(cipherText, this.aeadAuthTagLen), payloadOnly = false) {
    const { payloadOffset } = header;
    const authTagOffset = cipherText.length - this.aeadAuthTagLen;
    const decipher = createDecipheriv3(
      "aes-128-gcm",
      this.srtpSessionKey,
      this.rtpDecryptionIv(header, rolloverCounter)
    );
    decipher.setAAD(cipherText.subarray(0, payloadOffset));
    decipher.setAuthTag(cipherText.subarray(authTagOffset));
    // update() returns a new Buffer whatever the output encoding (a string is decoded from it).
    const dec = decipher.update(cipherText.subarray(payloadOffset, authTagOffset));
    finalizeAuthenticatedDecryption(decipher, "SRTP");
    if (payloadOnly) {
      // update() made the payload (padding included) in a Buffer of its own.
      return [dec, finalizeSrtpRtpPayload(header, dec, "Failed to authenticate SRTP packet")];
    }
    const dst = Buffer.allocUnsafe(authTagOffset);
    // The header byte by byte: Buffer#copy() of part of a buffer makes a view of that part.
    for (let i = 0; i < payloadOffset; i++) {
      dst[i] = cipherText[i];
    }
    dst.set(dec, payloadOffset);
    return ["""
for alias in ("createDecipheriv3", "createDecipheriv2"):  # the bundles name the import apart
    edit(f"gcm-decrypt-rtp ({alias})",
         GCM_DECRYPT_OLD.replace("createDecipheriv3", alias),
         GCM_DECRYPT_NEW.replace("createDecipheriv3", alias))
edit("gcm-decryption-iv",
"""  // https://tools.ietf.org/html/rfc7714#section-8.1
  rtpInitializationVector(header, rolloverCounter) {""",
"""  /** rtpInitializationVector() in one buffer, rewritten per packet received (createDecipheriv copies it). */
  rtpDecryptionIv(header, rolloverCounter) {
    const iv = this.rtpDecryptionIvBuffer;
    iv.writeUInt16BE(0, 0);
    iv.writeUInt32BE(header.ssrc, 2);
    iv.writeUInt32BE(rolloverCounter, 6);
    iv.writeUInt16BE(header.sequenceNumber, 10);
    const salt = this.srtpSessionSalt;
    for (let i = 0; i < 12; i++) {
      iv[i] ^= salt[i];
    }
    return iv;
  }
  rtpDecryptionIvBuffer = Buffer.alloc(12);
  // https://tools.ietf.org/html/rfc7714#section-8.1
  rtpInitializationVector(header, rolloverCounter) {""")

# 2. AES_CM_128_HMAC_SHA1_80: the received tag checked against the HMAC in scratch buffers (no rest
#    array, views, tag Buffer and its truncation per packet).
edit("cm-decrypt-rtp-verify",
"""    const authTagOffset = cipherText.length - this.authTagLength;
    const expectedAuthTag = this.generateSrtpAuthTag(
      rolloverCounter,
      cipherText.subarray(0, authTagOffset)
    );
    assertAuthTag(
      cipherText.subarray(authTagOffset),
      expectedAuthTag,
      "Failed to authenticate SRTP packet"
    );""",
"""    const authTagOffset = cipherText.length - this.authTagLength;
    this.rocBuffer.writeUInt32BE(rolloverCounter);
    if (!this.srtpHmac.verify(cipherText, authTagOffset, this.rocBuffer, this.authTagLength)) {
      throw new SrtpAuthenticationError("Failed to authenticate SRTP packet");
    }""")
edit("hmac-verify",
"""};
var AesCmKeystream = class {""",
"""  /**
   * Whether packet[end, end + tagLength) equals HMAC-SHA1(key, packet[0, end) || suffix) cut to
   * tagLength bytes, compared in constant time: digest() for a received packet, in scratch buffers.
   */
  verify(packet, end, suffix, tagLength) {
    if (!this.oneShot) {
      const expected = this.digest(packet.subarray(0, end), suffix).subarray(0, tagLength);
      return end + tagLength === packet.length && timingSafeEqual(packet.subarray(end), expected);
    }
    if (end + tagLength !== packet.length) {
      return false;
    }
    const length = 64 + end + suffix.length;
    if (this.inner.length < length) {
      const grown = Buffer.alloc(length + 256);
      this.inner.copy(grown, 0, 0, 64);
      this.inner = grown;
    }
    packet.copy(this.inner, 64, 0, end);
    this.inner.set(suffix, 64 + end);
    this.outer.write(srtpNodeCrypto.hash("sha1", this.inner.subarray(0, length), "latin1"), 64, 20, "latin1");
    if (this.verifyLength !== tagLength) {
      this.verifyLength = tagLength;
      this.verifyExpected = this.verifyTags.subarray(0, tagLength);
      this.verifyReceived = this.verifyTags.subarray(20, 20 + tagLength);
    }
    this.verifyTags.write(srtpNodeCrypto.hash("sha1", this.outer, "latin1"), 0, 20, "latin1");
    for (let i = 0; i < tagLength; i++) {
      this.verifyTags[20 + i] = packet[end + i];
    }
    return timingSafeEqual(this.verifyReceived, this.verifyExpected);
  }
  /** verify()'s expected digest (0-19) and received tag (20-39), and their views of tagLength bytes. */
  verifyTags = Buffer.alloc(40);
  verifyLength = 0;
  verifyExpected;
  verifyReceived;
};
var AesCmKeystream = class {""")

# 3. The SRTP header parsed from the datagram itself: the bounded view only turned an overrun into a
#    RangeError, and an overrun past the auth tag's offset fails the payloadOffset check below anyway
#    (the same SrtpAuthenticationError); extension payloads view the same bytes.
edit("srtp-header-no-view",
"""    header = RtpHeader.deSerialize(packet.subarray(0, authTagOffset));""",
"""    header = RtpHeader.deSerialize(packet);""")

# 4. RTCRtpReceiver.handleRTP: the packet decryption made is delivered to the track as it is. The
#    clone kept the receiver's packet apart from what subscribers do with theirs, but the receiver
#    does not use it after delivery; a video packet the NACK generator keeps is still cloned.
edit("receiver-deliver-without-clone",
"""    if (track?.kind === "video" && this.nackEnabled) {
      this.nack.addPacket(packet);
    }""",
"""    let kept = false;
    if (track?.kind === "video" && this.nackEnabled) {
      this.nack.addPacket(packet);
      kept = true;
    }""")
edit("receiver-deliver-without-clone-2",
"""      } else {
        track.onReceiveRtp.execute(packet.clone(), extensions);
      }""",
"""      } else {
        track.onReceiveRtp.execute(kept ? packet.clone() : packet, extensions);
      }""")

# 5. The transport's RtpPacket needs the payload only: decryption writes the payload alone into a
#    buffer of its own (AES_CM) or keeps update()'s (GCM) when asked for it, instead of a copy of the
#    whole packet and a view of its payload. The same padding checks, on the payload.
edit("cm-decrypt-rtp-payload-only",
"""  decryptRtp(cipherText, rolloverCounter, header = parseSrtpRtpHeader(cipherText, this.authTagLength)) {
    const authTagOffset = cipherText.length - this.authTagLength;""",
"""  decryptRtp(cipherText, rolloverCounter, header = parseSrtpRtpHeader(cipherText, this.authTagLength), payloadOnly = false) {
    const authTagOffset = cipherText.length - this.authTagLength;""")
edit("cm-decrypt-rtp-payload-only-2",
"""    const { payloadOffset } = header;
    const dst = Buffer.allocUnsafe(authTagOffset);
    cipherText.copy(dst, 0, 0, payloadOffset);
    this.srtpKeystream.xor(""",
"""    const { payloadOffset } = header;
    if (payloadOnly) {
      const payload = Buffer.allocUnsafe(authTagOffset - payloadOffset);
      this.srtpKeystream.xor(
        cipherText,
        payloadOffset,
        payload.length,
        payload,
        0,
        header.ssrc,
        rolloverCounter,
        header.sequenceNumber
      );
      return [payload, finalizeSrtpRtpPayload(header, payload, "Failed to authenticate SRTP packet")];
    }
    const dst = Buffer.allocUnsafe(authTagOffset);
    cipherText.copy(dst, 0, 0, payloadOffset);
    this.srtpKeystream.xor(""")
edit("srtp-payload-padding",
"""function finalizeSrtpRtpHeader(header, packet, message = "Failed to authenticate SRTP packet") {
  if (!header.padding) {
    header.paddingSize = 0;
    return header;
  }
  assertAuthenticatedPacketLength(
    packet.length > header.payloadOffset,
    message
  );
  const paddingSize = packet[packet.length - 1];
  assertAuthenticatedPacketLength(
    paddingSize > 0 && paddingSize <= packet.length - header.payloadOffset,
    message
  );
  header.paddingSize = paddingSize;
  return header;
}""",
"""function finalizeSrtpRtpHeader(header, packet, message = "Failed to authenticate SRTP packet") {
  if (!header.padding) {
    header.paddingSize = 0;
    return header;
  }
  assertAuthenticatedPacketLength(
    packet.length > header.payloadOffset,
    message
  );
  const paddingSize = packet[packet.length - 1];
  assertAuthenticatedPacketLength(
    paddingSize > 0 && paddingSize <= packet.length - header.payloadOffset,
    message
  );
  header.paddingSize = paddingSize;
  return header;
}
/** finalizeSrtpRtpHeader() for the decrypted payload alone (padding included). */
function finalizeSrtpRtpPayload(header, payload, message = "Failed to authenticate SRTP packet") {
  if (!header.padding) {
    header.paddingSize = 0;
    return header;
  }
  assertAuthenticatedPacketLength(payload.length > 0, message);
  const paddingSize = payload[payload.length - 1];
  assertAuthenticatedPacketLength(paddingSize > 0 && paddingSize <= payload.length, message);
  header.paddingSize = paddingSize;
  return header;
}""")
edit("context-decrypt-payload-only",
"""  decryptRtp(cipherText) {
    const header = parseSrtpRtpHeader(cipherText, this.rtpAuthTagLength);""",
"""  decryptRtp(cipherText, payloadOnly = false) {
    const header = parseSrtpRtpHeader(cipherText, this.rtpAuthTagLength);""")
edit("context-decrypt-payload-only-2",
"""    const dec = this.cipher.decryptRtp(
      cipherText,
      nextState.rolloverCounter,
      header
    );
    srtpReplayAccept(replay, packetIndex);""",
"""    const dec = this.cipher.decryptRtp(
      cipherText,
      nextState.rolloverCounter,
      header,
      payloadOnly
    );
    srtpReplayAccept(replay, packetIndex);""")
edit("session-decrypt-payload",
"""  decryptWithHeader(buf) {
    return this.remoteContext.decryptRtp(buf);
  }""",
"""  decryptWithHeader(buf) {
    return this.remoteContext.decryptRtp(buf);
  }
  /** [decrypted payload, padding included, in a buffer of its own; its RtpHeader], as decryptWithHeader(). */
  decryptPayloadWithHeader(buf) {
    return this.remoteContext.decryptRtp(buf, true);
  }""")
edit("transport-decrypt-payload",
"""          const decrypted = this.srtp.decryptWithHeader(data);""",
"""          const decrypted = this.srtp.decryptPayloadWithHeader(data);""")
edit("transport-packet-from-payload",
"""          // RtpPacket.deSerialize(dec) without parsing the header a second time: decryption parsed
          // these same header bytes (its extension payloads view the datagram, byte-equal to dec's).
          rtp = new RtpPacket(
            decHeader,
            dec.subarray(decHeader.payloadOffset, dec.length - decHeader.paddingSize)
          );""",
"""          // RtpPacket.deSerialize() of the decrypted packet without parsing the header a second
          // time: decryption parsed these same header bytes (its extension payloads view the
          // datagram) and gave the payload alone (dec), padding included.
          rtp = new RtpPacket(
            decHeader,
            decHeader.paddingSize === 0 ? dec : dec.subarray(0, dec.length - decHeader.paddingSize)
          );""")

# 6. RtpHeader.deSerialize: the CSRCs into the header's own new array (one array less per packet).
edit("header-csrc-array",
"""    const csrc = [];
    for (let i = 0; i < h.csrcLength; i++) {
      csrc.push(rawPacket.readUInt32BE(csrcOffset + i * csrcSize));
    }
    h.csrc = csrc;""",
"""    const csrc = h.csrc;
    for (let i = 0; i < h.csrcLength; i++) {
      csrc.push(rawPacket.readUInt32BE(csrcOffset + i * csrcSize));
    }""")

edits.main()
