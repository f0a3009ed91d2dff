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
 * index of the 64 below and at it (bits[0]: top - 0…31, bits[1]: top - 32…63). In a Uint32Array: as
 * number fields, values of 2^30 and more turned into doubles, and V8 kept deprecating the window's map
 * and abandoning decryptRtp's optimized code.
 */
var newSrtpReplayWindow = () => ({ top: -1, bits: new Uint32Array(2) });
/** Whether `index` was accepted already or lies below the window. */
var srtpReplayed = (w, index) => {
  if (w.top < 0 || index > w.top) {
    return false;
  }
  const behind = w.top - index;
  if (behind >= 64) {
    return true;
  }
  return (behind < 32 ? w.bits[0] >>> behind : w.bits[1] >>> behind - 32) & 1 ? true : false;
};
/** Records an authenticated packet's index in the window (after srtpReplayed() said false). */
var srtpReplayAccept = (w, index) => {
  const bits = w.bits;
  if (w.top < 0 || index - w.top >= 64) {
    w.top = index;
    bits[0] = 1;
    bits[1] = 0;
  } else if (index > w.top) {
    const ahead = index - w.top;
    if (ahead >= 32) {
      bits[1] = bits[0] << ahead - 32;
      bits[0] = 1;
    } else {
      bits[1] = bits[1] << ahead | bits[0] >>> 32 - ahead;
      bits[0] = bits[0] << ahead | 1;
    }
    w.top = index;
  } else {
    const behind = w.top - index;
    if (behind < 32) {
      bits[0] |= 1 << behind;
    } else {
      bits[1] |= 1 << behind - 32;
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
