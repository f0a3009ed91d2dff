#!/usr/bin/env python3
"""Cheaper SRTP protect and UDP send per RTP packet sent (exact text replacements, as plumbing.py).

After plumbing.py, crypto.py, receive.py, alloc.py and replay.py. A perf profile of 50 pairs (both
ends writing 50 packets/s) put the send path at ~22% of the process: the UDP send (mostly the
kernel), then SRTP protect. In protect, per packet: the GCM IV written through a generic writer (an
array, a closure per field, writeUIntBE), the GCM key passed as bytes (node makes a key from them on
every createCipheriv), the GCM ciphertext asked for as a latin1 string (node's update() makes a
Buffer either way; the string adds a StringDecoder per cipher and a copy), and the AES-CM tag
computed into a fresh 20-byte buffer, cut to 10 and copied (two buffer views and a rest array).
Only the send side changes here: SRTP unprotect and the receive path are left as they are.
"""

from textedits import TextEdits

edits = TextEdits()
edit = edits.edit

# 1. AEAD_AES_128_GCM protect: the IV written straight into one reused buffer, the key as a KeyObject
#    made once, the ciphertext as the Buffer update() returns anyway. Same bytes (RFC 7714 §8.1).
edit("gcm-encrypt-rtp",
"""    dst.fill(0, header.serializeInto(dst), headerSize);
    const hdr = dst.subarray(0, headerSize);
    const iv = this.rtpInitializationVector(header, rolloverCounter);
    const cipher = createCipheriv3("aes-128-gcm", this.srtpSessionKey, iv);
    cipher.setAAD(hdr);
    // The ciphertext as a latin1 string written into dst (a Buffer would be a new native
    // ArrayBuffer per packet); GCM output is as long as its input.
    const enc = cipher.update(payload, void 0, "latin1");
    cipher.final("latin1");
    dst.write(enc, headerSize, enc.length, "latin1");
    cipher.getAuthTag().copy(dst, headerSize + enc.length);
    return dst;
  }""",
"""    dst.fill(0, header.serializeInto(dst), headerSize);
    const hdr = dst.subarray(0, headerSize);
    const iv = this.rtpSendInitializationVector(header.ssrc, rolloverCounter, header.sequenceNumber);
    const cipher = createCipheriv3("aes-128-gcm", this.srtpSessionKeyObject(), iv);
    cipher.setAAD(hdr);
    // update() returns a new Buffer whatever the output encoding: a latin1 string of it would add
    // a StringDecoder per cipher and a copy. GCM output is as long as its input.
    const enc = cipher.update(payload);
    cipher.final();
    enc.copy(dst, headerSize);
    cipher.getAuthTag().copy(dst, headerSize + enc.length);
    return dst;
  }
  /**
   * rtpInitializationVector() for protect: (0, SSRC, ROC, SEQ) XOR the session salt (RFC 7714 §8.1)
   * in one buffer reused for every packet (createCipheriv copies its IV). Throws as writeUIntBE does
   * for a value out of range.
   */
  rtpSendInitializationVector(ssrc, rolloverCounter, sequenceNumber) {
    const iv = this.rtpSendIv ??= Buffer.alloc(12);
    iv.writeUInt16BE(0, 0);
    iv.writeUInt32BE(ssrc, 2);
    iv.writeUInt32BE(rolloverCounter, 6);
    iv.writeUInt16BE(sequenceNumber, 10);
    const salt = this.srtpSessionSalt;
    for (let i = 0; i < 12; i++) {
      iv[i] ^= salt[i];
    }
    return iv;
  }
  /** The SRTP session key as a KeyObject, made once: createCipheriv makes one from bytes per call. */
  srtpSessionKeyObject() {
    if (this.srtpKeyObjectOf !== this.srtpSessionKey) {
      this.srtpKeyObject = srtpNodeCrypto.createSecretKey(this.srtpSessionKey);
      this.srtpKeyObjectOf = this.srtpSessionKey;
    }
    return this.srtpKeyObject;
  }""")

# 2. AES_CM_128_HMAC_SHA1_80 protect: the tag written into the packet without a digest buffer, its
#    10-byte view and a Buffer.concat-ready rest array; the HMAC input view kept while packets keep
#    their size. Same HMAC-SHA1 (RFC 2104, RFC 3711 §4.2) as SrtpHmacSha1.digest().
edit("ctr-encrypt-rtp-tag",
"""    const authTag = this.generateSrtpAuthTag(
      rolloverCounter,
      out.subarray(0, authenticatedLength)
    );
    authTag.copy(out, authenticatedLength);
    return out;
  }""",
"""    this.writeSrtpAuthTag(out, authenticatedLength, rolloverCounter);
    return out;
  }
  /**
   * generateSrtpAuthTag(roc, out[0, length)) written at out[length]: the ipad block, the packet
   * and the ROC in the HMAC's own buffer, two one-shot hashes as latin1 strings, the first
   * authTagLength bytes of the second written into the packet.
   */
  writeSrtpAuthTag(out, length, rolloverCounter) {
    const hmac = this.srtpHmac;
    if (!hmac.oneShot) {
      this.generateSrtpAuthTag(rolloverCounter, out.subarray(0, length)).copy(out, length);
      return;
    }
    const inputLength = 64 + length + 4;
    if (hmac.inner.length < inputLength) {
      const grown = Buffer.alloc(inputLength + 256);
      hmac.inner.copy(grown, 0, 0, 64);
      hmac.inner = grown;
    }
    out.copy(hmac.inner, 64, 0, length);
    hmac.inner.writeUInt32BE(rolloverCounter, 64 + length);
    // Packets of a stream mostly keep their size: the view of the HMAC input is kept for it.
    let input = this.srtpTagInput;
    if (input === void 0 || input.length !== inputLength || this.srtpTagInputOf !== hmac.inner) {
      input = this.srtpTagInput = hmac.inner.subarray(0, inputLength);
      this.srtpTagInputOf = hmac.inner;
    }
    hmac.outer.write(srtpNodeCrypto.hash("sha1", input, "latin1"), 64, 20, "latin1");
    out.write(srtpNodeCrypto.hash("sha1", hmac.outer, "latin1"), length, this.authTagLength, "latin1");
  }""")

# 3. UDP send: the socket's lookup (called by dgram for every datagram to an address) answers the
#    address it answered last without net.isIP() again (a regular expression match per packet).
edit("udp-lookup-last-ip",
"""        if (this.lookupIpNow) {
          const ipFamily = net.isIP(address);
          if (ipFamily !== 0) {
            callback(null, address, ipFamily);
            return;
          }
        }""",
"""        if (this.lookupIpNow) {
          if (address === this.lookedUpIp) {
            callback(null, address, this.lookedUpIpFamily);
            return;
          }
          const ipFamily = net.isIP(address);
          if (ipFamily !== 0) {
            this.lookedUpIp = address;
            this.lookedUpIpFamily = ipFamily;
            callback(null, address, ipFamily);
            return;
          }
        }""")

# 4. RTCP (sender and receiver reports, NACK, PLI) goes out as RTP does since plumbing.py: at once
#    where the transport sends synchronously (UDP to an IP), otherwise through send() as before;
#    no chain of three async functions per report. Errors were and are swallowed.
edit("dtls-send-rtcp-now",
"""  async sendRtcp(packets) {
    const payload = Buffer.concat(packets.map((packet) => packet.serialize()));
    const enc = this.srtcp.encrypt(payload);
    if (this.config.debug?.outboundPacketLoss && this.config.debug?.outboundPacketLoss / 100 < Math.random()) {
      return enc.length;
    }
    this.bytesSent += enc.length;
    this.packetsSent++;
    await this.iceTransport.connection.send(enc).catch(() => {
    });
  }""",
"""  async sendRtcp(packets) {
    const payload = Buffer.concat(packets.map((packet) => packet.serialize()));
    const enc = this.srtcp.encrypt(payload);
    if (this.config.debug?.outboundPacketLoss && this.config.debug?.outboundPacketLoss / 100 < Math.random()) {
      return enc.length;
    }
    this.bytesSent += enc.length;
    this.packetsSent++;
    this.iceTransport.connection.sendNow(enc);
  }""")

edits.main()
