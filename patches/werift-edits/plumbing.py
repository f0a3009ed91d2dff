#!/usr/bin/env python3
"""Applies the per-packet plumbing edits to werift's ESM bundles (exact text replacements)."""

from textedits import TextEdits

edits = TextEdits()
edit = edits.edit

# 1. Event2.execute: no async function + promise per call when nothing queuing-subscribed.
edit("event-execute",
"""    for (const item of this.event.stack) {
      item.execute(...args);
    }
    (async () => {
      for (const item of this.event.promiseStack) {
        await item.execute(...args);
      }
    })().catch((e) => {""",
"""    for (const item of this.event.stack) {
      item.execute(...args);
    }
    // Per-packet events have no queuing subscribers: no async function and promise per call then.
    if (this.event.promiseStack.length === 0) {
      return;
    }
    (async () => {
      for (const item of this.event.promiseStack) {
        await item.execute(...args);
      }
    })().catch((e) => {""")

# 2. RtpPacket.clone without an object spread + Object.assign.
edit("rtp-clone",
"""var RtpPacket = class _RtpPacket {
  constructor(header, payload) {
    this.header = header;
    this.payload = payload;
  }
  get serializeSize() {
    return this.header.serializeSize + this.payload.length;
  }
  clone() {
    return new _RtpPacket(new RtpHeader({ ...this.header }), this.payload);
  }""",
"""var rtpHeaderFields = Object.keys(new RtpHeader()).join();
var rtpHeaderFieldCount = Object.keys(new RtpHeader()).length;
var rtpHeaderFieldsKnown = rtpHeaderFields === "version,padding,paddingSize,extension,marker,payloadOffset,payloadType,sequenceNumber,timestamp,ssrc,csrcLength,csrc,extensionProfile,extensionLength,extensions";
/**
 * new RtpHeader({ ...header }) (a shallow copy, csrc and extensions shared) with its fields copied
 * one by one: the copy is made for every packet sent and received. Headers with other own
 * properties take the spread.
 */
function cloneRtpHeader(header) {
  if (!rtpHeaderFieldsKnown || header.constructor !== RtpHeader || Object.keys(header).length !== rtpHeaderFieldCount) {
    return new RtpHeader({ ...header });
  }
  const h = new RtpHeader();
  h.version = header.version;
  h.padding = header.padding;
  h.paddingSize = header.paddingSize;
  h.extension = header.extension;
  h.marker = header.marker;
  h.payloadOffset = header.payloadOffset;
  h.payloadType = header.payloadType;
  h.sequenceNumber = header.sequenceNumber;
  h.timestamp = header.timestamp;
  h.ssrc = header.ssrc;
  h.csrcLength = header.csrcLength;
  h.csrc = header.csrc;
  h.extensionProfile = header.extensionProfile;
  h.extensionLength = header.extensionLength;
  h.extensions = header.extensions;
  return h;
}
var RtpPacket = class _RtpPacket {
  constructor(header, payload) {
    this.header = header;
    this.payload = payload;
  }
  get serializeSize() {
    return this.header.serializeSize + this.payload.length;
  }
  clone() {
    return new _RtpPacket(cloneRtpHeader(this.header), this.payload);
  }""")

# 3. Header extension parsing: no map/reduce for packets without extensions (audio).
edit("ext-parser",
"""function rtpHeaderExtensionsParser(extensions, extIdUriMap) {
  return extensions.map(""",
"""function rtpHeaderExtensionsParser(extensions, extIdUriMap) {
  if (extensions.length === 0) {
    return {};
  }
  return extensions.map(""")

# 4. ntpTime without a Buffer and three arrays per call; same value.
edit("ntp-time",
"""var ntpTime = () => {
  const now = performance2.timeOrigin + performance2.now() - Date.UTC(1900, 0, 1);
  const seconds = now / 1e3;
  const [sec, msec] = seconds.toString().split(".").map(Number);
  const buf = bufferWriter([4, 4], [sec, msec]);
  return buf.readBigUInt64BE();
};""",
"""var ntpEpochMs = Date.UTC(1900, 0, 1);
var ntpTime = () => {
  const now = performance2.timeOrigin + performance2.now() - ntpEpochMs;
  const seconds = now / 1e3;
  const text = seconds.toString();
  // The integer and fraction digits of the decimal string, as 32-bit halves of 64 bits (what
  // writing both to a buffer and reading it back gives); other strings take that way.
  const dot = text.indexOf(".");
  if (dot > 0 && text.indexOf("e") < 0) {
    const sec = Number(text.slice(0, dot));
    const msec = Number(text.slice(dot + 1));
    if (sec <= 4294967295 && msec <= 4294967295) {
      return BigInt(sec) << 32n | BigInt(msec);
    }
  }
  const [sec, msec] = text.split(".").map(Number);
  const buf = bufferWriter([4, 4], [sec, msec]);
  return buf.readBigUInt64BE();
};""")

# 5. TrackBroadcastSource: no snapshot arrays per packet for the usual single track; writeRtp
#    hands over its own copy instead of copying it again.
edit("deliver-rtp",
"""  deliverRtp(packet, extensions) {
    const live = [...this.tracks].filter((track) => !track.stopped);
    for (const track of live) {
      track.applyIncomingRtp(packet.clone(), extensions);
    }
  }""",
"""  /** `owned`: the caller's copy that nobody else holds; a single track may take it as is. */
  deliverRtp(packet, extensions, owned = false) {
    if (this.tracks.size === 1) {
      const track = this.tracks.values().next().value;
      if (!track.stopped) {
        track.applyIncomingRtp(owned ? packet : packet.clone(), extensions);
      }
      return;
    }
    const live = [...this.tracks].filter((track) => !track.stopped);
    for (const track of live) {
      track.applyIncomingRtp(packet.clone(), extensions);
    }
  }""")
edit("write-rtp",
"""    const packet = Buffer.isBuffer(rtp) ? RtpPacket.deSerialize(rtp) : rtp.clone();
    packet.header.payloadType = this.codec?.payloadType ?? packet.header.payloadType;
    this.broadcastSource.deliverRtp(packet);""",
"""    const packet = Buffer.isBuffer(rtp) ? RtpPacket.deSerialize(rtp) : rtp.clone();
    packet.header.payloadType = this.codec?.payloadType ?? packet.header.payloadType;
    this.broadcastSource.deliverRtp(packet, void 0, true);""")

# 6. UDP: a synchronous send for IP addresses (what send() did before its promise resolved).
edit("udp-send-now",
"""  send = async (data, addr) => {
    if (addr && !net.isIP(addr[0])) {
      return new Promise((r, f) => {
        this.socket.send(data, addr[1], addr[0], (error) => {""",
"""  /** The last address sendNow() found to be an IP (the same peer for every packet). */
  lastIpAddress;
  /**
   * send() for an IP address, without its promise: true once handed to the socket (which may
   * throw, as send() rejects); false for a host name, which only send() resolves.
   */
  sendNow(data, addr) {
    if (addr && addr[0] !== this.lastIpAddress) {
      if (!net.isIP(addr[0])) {
        return false;
      }
      this.lastIpAddress = addr[0];
    }
    addr = addr ?? [this.rinfo?.address, this.rinfo?.port];
    this.socket.send(data, addr[1], addr[0]);
    return true;
  }
  send = async (data, addr) => {
    if (addr && !net.isIP(addr[0])) {
      return new Promise((r, f) => {
        this.socket.send(data, addr[1], addr[0], (error) => {""")
edit("protocol-send-now",
"""  async sendData(data, addr) {
    if (this.transport.closed) {
      return;
    }
    await this.transport.send(data, addr);
  }""",
"""  async sendData(data, addr) {
    if (this.transport.closed) {
      return;
    }
    await this.transport.send(data, addr);
  }
  /** sendData() done synchronously: true if sent (or dropped as sendData drops), false if it cannot be. */
  sendDataNow(data, addr) {
    if (this.transport.closed) {
      return true;
    }
    return typeof this.transport.sendNow === "function" && this.transport.sendNow(data, addr);
  }""")
edit("connection-send-now",
"""  send = async (data) => {
    if (!this.canSendApplicationData()) {
      return;
    }
    const activePair = this.nominated;
    await activePair.protocol.sendData(data, activePair.remoteAddr);
    activePair.packetsSent++;
    activePair.bytesSent += data.length;
  };""",
"""  send = async (data) => {
    if (!this.canSendApplicationData()) {
      return;
    }
    const activePair = this.nominated;
    await activePair.protocol.sendData(data, activePair.remoteAddr);
    activePair.packetsSent++;
    activePair.bytesSent += data.length;
  };
  /**
   * send(data).catch(() => {}) without a promise per packet where the nominated pair's protocol
   * sends synchronously (UDP to an IP address); otherwise exactly that. Never throws.
   */
  sendNow(data) {
    if (!this.canSendApplicationData()) {
      return;
    }
    const activePair = this.nominated;
    const protocol = activePair.protocol;
    let sent = false;
    if (typeof protocol.sendDataNow === "function") {
      try {
        sent = protocol.sendDataNow(data, activePair.remoteAddr);
      } catch (error) {
        return;
      }
    }
    if (!sent) {
      this.send(data).catch(() => {
      });
      return;
    }
    activePair.packetsSent++;
    activePair.bytesSent += data.length;
  }""")

# 7. RTCDtlsTransport: the same send as sendRtp(), synchronously, for the RTP sender.
edit("dtls-send-rtp-now",
"""  async sendRtp(payload, header) {
    try {
      const enc = this.srtp.encrypt(payload, header);
      if (this.config.debug?.outboundPacketLoss && this.config.debug?.outboundPacketLoss / 100 < Math.random()) {
        return enc.length;
      }
      this.bytesSent += enc.length;
      this.packetsSent++;
      await this.iceTransport.connection.send(enc).catch(() => {
      });
      return enc.length;
    } catch (error) {
      log26("failed to send", error);
      return 0;
    }
  }""",
"""  async sendRtp(payload, header) {
    try {
      const enc = this.srtp.encrypt(payload, header);
      if (this.config.debug?.outboundPacketLoss && this.config.debug?.outboundPacketLoss / 100 < Math.random()) {
        return enc.length;
      }
      this.bytesSent += enc.length;
      this.packetsSent++;
      await this.iceTransport.connection.send(enc).catch(() => {
      });
      return enc.length;
    } catch (error) {
      log26("failed to send", error);
      return 0;
    }
  }
  /**
   * sendRtp() for the RTP sender's own packets: the same bytes, counters and result, returned
   * at once (the packet is on the socket, or on its way where the transport is not UDP).
   */
  sendRtpNow(payload, header) {
    try {
      const enc = this.srtp.encrypt(payload, header);
      if (this.config.debug?.outboundPacketLoss && this.config.debug?.outboundPacketLoss / 100 < Math.random()) {
        return enc.length;
      }
      this.bytesSent += enc.length;
      this.packetsSent++;
      this.iceTransport.connection.sendNow(enc);
      return enc.length;
    } catch (error) {
      log26("failed to send", error);
      return 0;
    }
  }""")

# 8. RTCRtpSender: track packets go out synchronously when they can go now.
edit("sender-subscribe",
"""    const { unSubscribe: unSubscribeRtp } = track.onReceiveRtp.subscribe(
      async (rtp) => {
        await this.sendRtp(rtp);
      }
    );""",
"""    const { unSubscribe: unSubscribeRtp } = track.onReceiveRtp.subscribe(
      (rtp) => this.sendTrackRtp(rtp)
    );""")
edit("sender-send-track-rtp",
"""  async sendRtp(rtp) {
    if (this.stopped) {
      return;
    }
    if (!this.pendingRtpEnabled) {""",
"""  /**
   * A packet from the track: `await this.sendRtp(rtp)` without a promise when it is sent at once
   * (no pending queue); an error is returned as a rejected promise, as that async function's was.
   */
  sendTrackRtp(rtp) {
    if (this.stopped) {
      return;
    }
    if (this.pendingRtpEnabled) {
      return this.sendRtp(rtp);
    }
    try {
      this.dispatchRtpNow(rtp);
    } catch (error) {
      return Promise.reject(error);
    }
  }
  async sendRtp(rtp) {
    if (this.stopped) {
      return;
    }
    if (!this.pendingRtpEnabled) {""")
edit("sender-dispatch",
"""  async dispatchRtp(rtp) {
    if (!this.canSendRtp()) {
      return;
    }""",
"""  async dispatchRtp(rtp) {
    const prepared = this.prepareRtp(rtp);
    if (prepared) {
      this.rtpSent(await this.dtlsTransport.sendRtp(prepared.payload, prepared.header));
    }
  }
  /** dispatchRtp() without waiting for the transport: the packet is on the socket, or on its way. */
  dispatchRtpNow(rtp) {
    const prepared = this.prepareRtp(rtp);
    if (prepared) {
      this.rtpSent(this.dtlsTransport.sendRtpNow(prepared.payload, prepared.header));
    }
  }
  /** This sender's copy of a packet (SSRC, payload type, continuity, extensions), counted; what to send. */
  prepareRtp(rtp) {
    if (!this.canSendRtp()) {
      return;
    }""")
edit("sender-extensions",
"""    const originalHeaderExtensions = [...header.extensions];
    header.extensions = this.headerExtensions.map((extension) => {""",
"""    if (this.headerExtensions.length === 0 && header.extensions.length === 0) {
      header.extensions = [];
    } else {
      this.writeHeaderExtensions(header, ntpTimestamp);
    }
    this.ntpTimestamp = ntpTimestamp;
    this.rtpTimestamp = header.timestamp;
    this.octetCount += payload.length;
    this.headerBytesSent += header.serializeSize;
    this.packetCount = uint32Add(this.packetCount, 1);
    this.rtpCache[header.sequenceNumber % RTP_HISTORY_SIZE] = rtp;
    let rtpPayload = payload;
    if (this.redRedundantPayloadType) {
      this.redEncoder.push({
        block: rtpPayload,
        timestamp: header.timestamp,
        blockPT: this.redRedundantPayloadType
      });
      const red = this.redEncoder.build();
      rtpPayload = red.serialize();
    }
    return { header, payload: rtpPayload };
  }
  rtpSent(size) {
    // runRtcp() returns at once while the loop runs, but as an async function with a promise.
    if (!this.rtcpRunning && !this.stopped) {
      this.runRtcp();
    }
    const millitime = milliTime();
    const sentInfo = {
      wideSeq: this.dtlsTransport.transportSequenceNumber,
      size,
      sendingAtMs: millitime,
      sentAtMs: millitime
    };
    this.senderBWE.rtpPacketSent(sentInfo);
  }
  /** The sender's header extensions (MID, RID, TWCC, abs-send-time) merged with the packet's own. */
  writeHeaderExtensions(header, ntpTimestamp) {
    const originalHeaderExtensions = [...header.extensions];
    header.extensions = this.headerExtensions.map((extension) => {""")
edit("sender-extensions-end",
"""    header.extensions = header.extensions.sort((a, b) => a.id - b.id);
    this.ntpTimestamp = ntpTimestamp;
    this.rtpTimestamp = header.timestamp;
    this.octetCount += payload.length;
    this.headerBytesSent += header.serializeSize;
    this.packetCount = uint32Add(this.packetCount, 1);
    this.rtpCache[header.sequenceNumber % RTP_HISTORY_SIZE] = rtp;
    let rtpPayload = payload;
    if (this.redRedundantPayloadType) {
      this.redEncoder.push({
        block: rtpPayload,
        timestamp: header.timestamp,
        blockPT: this.redRedundantPayloadType
      });
      const red = this.redEncoder.build();
      rtpPayload = red.serialize();
    }
    const size = await this.dtlsTransport.sendRtp(rtpPayload, header);
    this.runRtcp();
    const millitime = milliTime();
    const sentInfo = {
      wideSeq: this.dtlsTransport.transportSequenceNumber,
      size,
      sendingAtMs: millitime,
      sentAtMs: millitime
    };
    this.senderBWE.rtpPacketSent(sentInfo);
  }""",
"""    header.extensions = header.extensions.sort((a, b) => a.id - b.id);
  }""")

# 9. SenderBandwidthEstimator.rtpPacketSent: its pruning walks the keys of sentInfo (wideSeq, size,
#    ...), which are never numbers, so it deletes nothing; the sort and arrays per packet go.
edit("bwe-sent",
"""  rtpPacketSent(sentInfo) {
    Object.keys(sentInfo).map((v) => Number(v)).sort().filter((seq) => seq < sentInfo.wideSeq).forEach((seq) => {
      delete this.sentInfos[seq];
    });
    this.sentInfos[sentInfo.wideSeq] = sentInfo;
  }""",
"""  rtpPacketSent(sentInfo) {
    // 0.25.2 also deleted this.sentInfos[seq] for each numeric key of sentInfo below wideSeq: its
    // keys are names, never numbers, so that deleted nothing (and is left out, per packet).
    this.sentInfos[sentInfo.wideSeq] = sentInfo;
  }""")

# 10. Receiver: per-packet getters without arrays (codecArray sorted the codecs for each packet).
edit("receiver-first-codec",
"""  get nackEnabled() {
    return this.codecArray[0]?.rtcpFeedback.find((f) => f.type === "nack");
  }
  get twccEnabled() {
    return this.codecArray[0]?.rtcpFeedback.find(
      (f) => f.type === useTWCC().type
    );
  }""",
"""  /** codecArray[0] (lowest payload type, first of equals) without building and sorting an array. */
  get firstCodec() {
    let first;
    for (const codec of Object.values(this.codecs)) {
      if (first === void 0 || codec.payloadType < first.payloadType) {
        first = codec;
      }
    }
    return first;
  }
  get nackEnabled() {
    return this.firstCodec?.rtcpFeedback.find((f) => f.type === "nack");
  }
  get twccEnabled() {
    return this.firstCodec?.rtcpFeedback.find(
      (f) => f.type === useTWCC().type
    );
  }""")
edit("receiver-codec-name",
"""      this.setupTWCC(packet.header.ssrc);
    }
    if (codec.name.toLowerCase() === "rtx") {""",
"""      this.setupTWCC(packet.header.ssrc);
    }
    const codecName = codec.name.toLowerCase();
    if (codecName === "rtx") {""")
edit("receiver-codec-name-red",
"""    let red;
    if (codec.name.toLowerCase() === "red") {""",
"""    let red;
    if (codecName === "red") {""")

edit("receiver-run-rtcp",
"""        track.onReceiveRtp.execute(packet.clone(), extensions);
      }
    }
    this.runRtcp();
  }""",
"""        track.onReceiveRtp.execute(packet.clone(), extensions);
      }
    }
    // runRtcp() returns at once while the loop runs, but as an async function with a promise.
    if (!this.rtcpRunning && !this.stopped) {
      this.runRtcp();
    }
  }""")

# 11. StreamStatistics: int() formatted the arrival time as a string to parse it back.
edit("stats-arrival",
"""      const arrival = int(now * this.clockRate);""",
"""      const arrival = truncateLikeParseInt(now * this.clockRate);""")
edit("stats-trunc",
"""// src/media/receiver/statistics.ts
var StreamStatistics = class {""",
"""// src/media/receiver/statistics.ts
/** Number.parseInt(n, 10) for a number: Math.trunc where its string has no exponent. */
function truncateLikeParseInt(n) {
  const a = Math.abs(n);
  return a >= 1e-6 && a < 1e21 ? Math.trunc(n) : Number.parseInt(n, 10);
}
var StreamStatistics = class {""")

edits.main()
