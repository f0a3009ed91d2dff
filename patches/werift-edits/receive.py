#!/usr/bin/env python3
"""Applies the per-packet receive-path edits to werift's ESM bundles (exact text replacements, as plumbing.py)."""

from textedits import TextEdits

edits = TextEdits()
edit = edits.edit

# 1. SrtpSession: the decrypted packet with the RTP header decryption parsed (and checked) already.
edit("srtp-session-decrypt-with-header",
"""  decrypt = (buf) => {
    const [decrypted] = this.remoteContext.decryptRtp(buf);
    return decrypted;
  };""",
"""  decrypt = (buf) => {
    const [decrypted] = this.remoteContext.decryptRtp(buf);
    return decrypted;
  };
  /** [decrypted packet, its RtpHeader]: the header decryptRtp() parsed, padding size checked. */
  decryptWithHeader(buf) {
    return this.remoteContext.decryptRtp(buf);
  }""")

# 2. DtlsTransport: the RtpPacket from that header, instead of parsing the decrypted header again.
edit("transport-decrypt-with-header",
"""        let dec;
        try {
          dec = this.srtp.decrypt(data);""",
"""        let dec;
        let decHeader;
        try {
          const decrypted = this.srtp.decryptWithHeader(data);
          dec = decrypted[0];
          decHeader = decrypted[1];""")
edit("transport-packet-from-header",
"""          rtp = RtpPacket.deSerialize(dec);""",
"""          // RtpPacket.deSerialize(dec) without parsing the header a second time: decryption parsed
          // these same header bytes (its extension payloads view the datagram, byte-equal to dec's).
          rtp = new RtpPacket(
            decHeader,
            dec.subarray(decHeader.payloadOffset, dec.length - decHeader.paddingSize)
          );""")

# 3. SrtpContext.decryptRtp: the rollover state of a known SSRC updated through a scratch object
#    instead of a spread copy and an Object.assign per packet (still committed only once the packet
#    authenticates).
edit("srtp-context-rollover-scratch",
"""    const existingState = this.srtpSSRCStates[header.ssrc];
    const nextState = existingState ? { ...existingState } : {
      ssrc: header.ssrc,
      rolloverCounter: 0,
      lastSequenceNumber: 0
    };
    this.updateRolloverCount(header.sequenceNumber, nextState);
    const dec = this.cipher.decryptRtp(
      cipherText,
      nextState.rolloverCounter,
      header
    );
    if (existingState) {
      Object.assign(existingState, nextState);
    } else {
      this.srtpSSRCStates[header.ssrc] = nextState;
    }
    return dec;""",
"""    const existingState = this.srtpSSRCStates[header.ssrc];
    let nextState;
    if (existingState) {
      // updateRolloverCount() reads and writes only these three fields.
      nextState = this.srtpRolloverScratch;
      nextState.rolloverHasProcessed = existingState.rolloverHasProcessed;
      nextState.rolloverCounter = existingState.rolloverCounter;
      nextState.lastSequenceNumber = existingState.lastSequenceNumber;
    } else {
      nextState = {
        ssrc: header.ssrc,
        rolloverCounter: 0,
        lastSequenceNumber: 0
      };
    }
    this.updateRolloverCount(header.sequenceNumber, nextState);
    const dec = this.cipher.decryptRtp(
      cipherText,
      nextState.rolloverCounter,
      header
    );
    if (existingState) {
      existingState.rolloverHasProcessed = nextState.rolloverHasProcessed;
      existingState.rolloverCounter = nextState.rolloverCounter;
      existingState.lastSequenceNumber = nextState.lastSequenceNumber;
    } else {
      this.srtpSSRCStates[header.ssrc] = nextState;
    }
    return dec;""")
edit("srtp-context-scratch-field",
"""  get rtpAuthTagLength() {
    return this.profile === ProtectionProfileAeadAes128Gcm ? 16 : 10;
  }""",
"""  get rtpAuthTagLength() {
    return this.profile === ProtectionProfileAeadAes128Gcm ? 16 : 10;
  }
  /** decryptRtp()'s candidate rollover state of a known SSRC (nothing runs in between). */
  srtpRolloverScratch = {
    rolloverHasProcessed: void 0,
    rolloverCounter: 0,
    lastSequenceNumber: 0
  };""")

# 4. UdpTransport: one [address, port] per peer, not one per datagram (the handlers only read it).
edit("udp-remote-addr",
"""      this.rinfo = info;
      try {
        this.onData(data, [info.address, info.port]);""",
"""      this.rinfo = info;
      let addr = this.lastRemoteAddr;
      if (addr === void 0 || addr[0] !== info.address || addr[1] !== info.port) {
        addr = this.lastRemoteAddr = [info.address, info.port];
      }
      try {
        this.onData(data, addr);""")
edit("udp-remote-addr-field",
"""  type = "udp";
  socket;
  rinfo;""",
"""  type = "udp";
  socket;
  rinfo;
  /** The [address, port] last passed to onData, passed again while the sender is the same. */
  lastRemoteAddr;""")

# 6. RTCRtpReceiver.handleRTP: codec.name splits the MIME type on every packet; the lower-case name
#    is kept for the last codec and MIME type. twccEnabled (asked per packet until TWCC is set up)
#    without a closure and a useTWCC() object per call.
edit("receiver-codec-name-cache",
"""    const codecName = codec.name.toLowerCase();""",
"""    let codecName;
    if (codec === this.lastCodec && codec.mimeType === this.lastCodecMimeType) {
      codecName = this.lastCodecName;
    } else {
      codecName = codec.name.toLowerCase();
      this.lastCodec = codec;
      this.lastCodecMimeType = codec.mimeType;
      this.lastCodecName = codecName;
    }""")
edit("receiver-twcc-enabled",
"""  get twccEnabled() {
    return this.firstCodec?.rtcpFeedback.find(
      (f) => f.type === useTWCC().type
    );
  }""",
"""  get twccEnabled() {
    const first = this.firstCodec;
    if (first === void 0) {
      return void 0;
    }
    for (const feedback of first.rtcpFeedback) {
      if (feedback.type === "transport-cc") {
        return feedback;
      }
    }
    return void 0;
  }
  /** The codec handleRTP() last named, its MIME type then and its lower-case name. */
  lastCodec;
  lastCodecMimeType;
  lastCodecName;""")

# 7. RtpHeader: no default {} and Object.assign for `new RtpHeader()` (every parse and copy of a
#    header); parseSrtpRtpHeader without a closure per packet.
edit("rtp-header-constructor",
"""  extensions = [];
  constructor(props = {}) {
    Object.assign(this, props);
  }
  static deSerialize(rawPacket) {""",
"""  extensions = [];
  constructor(props) {
    if (props !== void 0) {
      Object.assign(this, props);
    }
  }
  static deSerialize(rawPacket) {""")
edit("srtp-header-no-closure",
"""  const header = wrapAuthenticationError(
    () => RtpHeader.deSerialize(packet.subarray(0, authTagOffset)),
    message
  );""",
"""  let header;
  try {
    header = RtpHeader.deSerialize(packet.subarray(0, authTagOffset));
  } catch {
    throw new SrtpAuthenticationError(message);
  }""")

# 5. UdpTransport: send() to an IP address without dns.lookup, which checks the address and defers
#    the send to the next tick for every datagram. Only once bound: bind() looks its address up too
#    and would then emit "listening" before init() waits for it. Names still go through dns.lookup.
edit("udp-lookup-socket",
"""    this.socket = createSocket2(socketType);""",
"""    this.socket = createSocket2({
      type: socketType,
      lookup: (address, family, callback) => {
        if (this.lookupIpNow) {
          const ipFamily = net.isIP(address);
          if (ipFamily !== 0) {
            callback(null, address, ipFamily);
            return;
          }
        }
        dnsLookup(address, family, callback);
      }
    });""")
edit("udp-lookup-bound",
"""    await new Promise((r) => this.socket.once("listening", r));
  }""",
"""    await new Promise((r) => this.socket.once("listening", r));
    this.lookupIpNow = true;
  }
  /** Bound: send() to an IP address skips dns.lookup (see the constructor). */
  lookupIpNow = false;""")
edit("udp-lookup-import",
"""import {
  createSocket as createSocket2
} from "dgram";""",
"""import {
  createSocket as createSocket2
} from "dgram";
import { lookup as dnsLookup } from "node:dns";""")

edits.main()
