#!/usr/bin/env python3
"""Fewer objects per RTP packet in werift's ESM bundles (exact text replacements, as plumbing.py).

A CPU profile of 50 pairs at 50 packets/s each way showed, per packet: an Object.values() array in
the receiver's firstCodec (asked on every packet received while TWCC is off), a decimal string and
two BigInts for the NTP time of every packet sent (read only by sender reports and abs-send-time),
and every sent packet kept for 128 packets (2.56 s of audio) for NACK retransmission even where no
NACK was negotiated: those packets outlive two scavenges, so the old generation filled up and a
mark-compact ran every ~2.3 s.
"""

from textedits import TextEdits

edits = TextEdits()
edit = edits.edit

# 1. RTCRtpReceiver.firstCodec: looked up again only when the codec map changed.
edit("receiver-first-codec-memo",
"""  /** codecArray[0] (lowest payload type, first of equals) without building and sorting an array. */
  get firstCodec() {
    let first;
    for (const codec of Object.values(this.codecs)) {
      if (first === void 0 || codec.payloadType < first.payloadType) {
        first = codec;
      }
    }
    return first;
  }""",
"""  /** codecArray[0] (lowest payload type, first of equals) without building and sorting an array. */
  get firstCodec() {
    if (this.firstCodecFor !== this.codecs || this.firstCodecVersion !== this.codecsVersion) {
      let first;
      for (const codec of Object.values(this.codecs)) {
        if (first === void 0 || codec.payloadType < first.payloadType) {
          first = codec;
        }
      }
      this.firstCodecMemo = first;
      this.firstCodecFor = this.codecs;
      this.firstCodecVersion = this.codecsVersion;
    }
    return this.firstCodecMemo;
  }
  /** Bumped by prepareReceive() and resyncCodecs(), which change the codec map in place. */
  codecsVersion = 0;
  firstCodecFor;
  firstCodecVersion = -1;
  firstCodecMemo;""")
edit("receiver-codecs-version-prepare",
"""  prepareReceive(params) {
    params.codecs.forEach((c) => {""",
"""  prepareReceive(params) {
    this.codecsVersion++;
    params.codecs.forEach((c) => {""")
edit("receiver-codecs-version-resync",
"""  resyncCodecs(params, mediaSourceSsrc) {
    for (const key of Object.keys(this.codecs)) {""",
"""  resyncCodecs(params, mediaSourceSsrc) {
    this.codecsVersion++;
    for (const key of Object.keys(this.codecs)) {""")

# 2. ntpTime(): the same value from a given instant, so a sender can keep the instant (a number)
#    and make the 64-bit NTP time only when a sender report or abs-send-time asks for it.
edit("ntp-time-at",
"""var ntpTime = () => {
  const now = performance2.timeOrigin + performance2.now() - ntpEpochMs;""",
"""var ntpTime = () => ntpTimeAt(performance2.timeOrigin + performance2.now());
/** ntpTime() at `epochMs` (milliseconds since 1970, as performance.timeOrigin + performance.now()). */
var ntpTimeAt = (epochMs) => {
  const now = epochMs - ntpEpochMs;""")
edit("sender-ntp-lazy",
"""    const ntpTimestamp = ntpTime();
    if (this.headerExtensions.length === 0 && header.extensions.length === 0) {
      header.extensions = [];
    } else {
      this.writeHeaderExtensions(header, ntpTimestamp);
    }
    this.ntpTimestamp = ntpTimestamp;""",
"""    const sentAtMs = performance2.timeOrigin + performance2.now();
    if (this.headerExtensions.length === 0 && header.extensions.length === 0) {
      header.extensions = [];
    } else {
      this.writeHeaderExtensions(header, ntpTimeAt(sentAtMs));
    }
    this.lastRtpSentAtMs = sentAtMs;""")
edit("sender-ntp-field",
"""  ntpTimestamp = 0n;""",
"""  /** NTP time of the last RTP packet sent (sender reports), made from its instant when read. */
  get ntpTimestamp() {
    return this.lastRtpSentAtMs === void 0 ? this.ntpTimestampSet : ntpTimeAt(this.lastRtpSentAtMs);
  }
  set ntpTimestamp(value) {
    this.ntpTimestampSet = value;
    this.lastRtpSentAtMs = void 0;
  }
  ntpTimestampSet = 0n;
  /** performance.timeOrigin + performance.now() when the last RTP packet was sent. */
  lastRtpSentAtMs;""")

# 3. RTCRtpSender: sent packets kept for retransmission only where a NACK can ask for them.
edit("sender-history-only-with-nack",
"""    this.rtpCache[header.sequenceNumber % RTP_HISTORY_SIZE] = rtp;""",
"""    if (this.keepsRtpHistory(codec)) {
      this.rtpCache[header.sequenceNumber % RTP_HISTORY_SIZE] = rtp;
    }""")
edit("sender-history-rule",
"""  /** This sender's copy of a packet (SSRC, payload type, continuity, extensions), counted; what to send. */
  prepareRtp(rtp) {""",
"""  /**
   * Whether sent packets are kept for NACK retransmission: always for video; for audio only when the
   * codec negotiated NACK feedback (a peer sends NACKs only for what was negotiated, RFC 4585).
   */
  keepsRtpHistory(codec) {
    if (codec !== this.historyCodec) {
      this.historyCodec = codec;
      this.historyKept = this.kind !== "audio" || (codec.rtcpFeedback ?? []).some((f) => f.type === "nack");
    }
    return this.historyKept;
  }
  historyCodec;
  historyKept = true;
  /** This sender's copy of a packet (SSRC, payload type, continuity, extensions), counted; what to send. */
  prepareRtp(rtp) {""")

# 4. cloneRtpHeader(): the own-field count by for-in (the header class has no enumerable prototype
#    members) instead of an Object.keys() array per clone (two clones per packet, sent and received).
edit("clone-header-count-without-array",
"""  if (!rtpHeaderFieldsKnown || header.constructor !== RtpHeader || Object.keys(header).length !== rtpHeaderFieldCount) {""",
"""  if (!rtpHeaderFieldsKnown || header.constructor !== RtpHeader || !hasOwnFieldCount(header, rtpHeaderFieldCount)) {""")
edit("clone-header-count-helper",
"""var rtpHeaderFieldCount = Object.keys(new RtpHeader()).length;""",
"""var rtpHeaderFieldCount = Object.keys(new RtpHeader()).length;
/** Object.keys(object).length === count, for an object whose prototype chain has no enumerable members. */
function hasOwnFieldCount(object, count) {
  let n = 0;
  for (const key in object) {
    if (!Object.hasOwn(object, key) || ++n > count) {
      return false;
    }
  }
  return n === count;
}""")

edits.main()
