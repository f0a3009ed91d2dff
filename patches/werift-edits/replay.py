#!/usr/bin/env python3
"""SRTP replay protection (RFC 3711 §3.3.2) in werift's ESM bundles (exact text replacements, as plumbing.py).

werift 0.25.2 keeps no replay list: a recorded SRTP datagram sent again is authenticated, decrypted and
delivered again (a replayed DTMF event, a replayed stretch of audio). Each SSRC now keeps the highest
packet index it accepted and a 64-packet window below it (RFC 3711's minimum); a packet whose index was
accepted already, or lies below the window, is dropped before decryption as werift drops a packet that
fails authentication (SrtpReplayError is an SrtpAuthenticationError). The window moves only for packets
that authenticate. Apply after receive.py (it edits receive.py's decryptRtp).
"""

from textedits import TextEdits

edits = TextEdits()
edit = edits.edit

edit("replay-error",
"""var SrtpAuthenticationError = class extends Error {
  constructor(message) {
    super(message);
    this.name = "SrtpAuthenticationError";
  }
};""",
"""var SrtpAuthenticationError = class extends Error {
  constructor(message) {
    super(message);
    this.name = "SrtpAuthenticationError";
  }
};
/** An SRTP packet whose index was received already or is older than the replay window (RFC 3711 §3.3.2). */
var SrtpReplayError = class extends SrtpAuthenticationError {
  constructor(message) {
    super(message);
    this.name = "SrtpReplayError";
  }
};
/**
 * RFC 3711 §3.3.2 replay list of one SSRC: the highest index accepted (-1: none yet) and a bit per
 * index of the 64 below and at it (lo: top - 0…31, hi: top - 32…63).
 */
var newSrtpReplayWindow = () => ({ top: -1, lo: 0, hi: 0 });
/** Whether `index` was accepted already or lies below the window. */
var srtpReplayed = (w, index) => {
  if (w.top < 0 || index > w.top) {
    return false;
  }
  const behind = w.top - index;
  if (behind >= 64) {
    return true;
  }
  return (behind < 32 ? w.lo >>> behind : w.hi >>> behind - 32) & 1 ? true : false;
};
/** Records an authenticated packet's index in the window (after srtpReplayed() said false). */
var srtpReplayAccept = (w, index) => {
  if (w.top < 0 || index - w.top >= 64) {
    w.top = index;
    w.lo = 1;
    w.hi = 0;
  } else if (index > w.top) {
    const ahead = index - w.top;
    if (ahead >= 32) {
      w.hi = w.lo << ahead - 32 >>> 0;
      w.lo = 1;
    } else {
      w.hi = (w.hi << ahead | w.lo >>> 32 - ahead) >>> 0;
      w.lo = (w.lo << ahead | 1) >>> 0;
    }
    w.top = index;
  } else {
    const behind = w.top - index;
    if (behind < 32) {
      w.lo = (w.lo | 1 << behind) >>> 0;
    } else {
      w.hi = (w.hi | 1 << behind - 32) >>> 0;
    }
  }
};""")

edit("replay-check",
"""    this.updateRolloverCount(header.sequenceNumber, nextState);
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
    return dec;""",
"""    this.updateRolloverCount(header.sequenceNumber, nextState);
    const packetIndex = nextState.rolloverCounter * 65536 + header.sequenceNumber;
    const replay = existingState ? (existingState.replay ??= newSrtpReplayWindow()) : newSrtpReplayWindow();
    if (srtpReplayed(replay, packetIndex)) {
      throw new SrtpReplayError(`SRTP packet ${packetIndex} of SSRC ${header.ssrc} was received already or is too old`);
    }
    const dec = this.cipher.decryptRtp(
      cipherText,
      nextState.rolloverCounter,
      header
    );
    srtpReplayAccept(replay, packetIndex);
    if (existingState) {
      existingState.rolloverHasProcessed = nextState.rolloverHasProcessed;
      existingState.rolloverCounter = nextState.rolloverCounter;
      existingState.lastSequenceNumber = nextState.lastSequenceNumber;
    } else {
      nextState.replay = replay;
      this.srtpSSRCStates[header.ssrc] = nextState;
    }
    return dec;""")

edits.main()
