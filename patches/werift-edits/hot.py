#!/usr/bin/env python3
"""Keeps the SRTP per-packet code optimized and its per-SSRC lookups out of the way (after replay.py).

- The replay window (replay.py) held its 64 bits as two number fields. A window value of 2^30 or more
  does not fit V8's small integers, so the fields turned into doubles, V8 deprecated the window's map,
  and its optimizing compiler kept abandoning SrtpContext.decryptRtp ("Maps became deprecated during
  optimization", two or three times a second for as long as packets came): every SRTP packet received
  was decrypted by unoptimized code, and each abandoned compile cost ~3 ms of a core. The bits now live
  in a Uint32Array(2), whose values never change the window's shape.
- An SRTP context looked each packet's SSRC state up in an object keyed by the 32-bit SSRC, and the
  AES-CM keystream its batch in a Map: a context mostly sees one SSRC, so both keep the last one at hand.

Exact text edits to werift's ESM bundles, as plumbing.py:

    python3 ../../../patches/werift-edits/hot.py index.mjs polyfill/index.mjs polyfill/dom.mjs nonstandard/index.mjs
"""

from textedits import TextEdits

edits = TextEdits()
edit = edits.edit

edit("replay-window-bits",
"""var newSrtpReplayWindow = () => ({ top: -1, lo: 0, hi: 0 });
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
};""",
"""// bits[0] (lo) and bits[1] (hi) in a Uint32Array: as number fields, values of 2^30 and more turned
// them into doubles and V8 kept deprecating the window's map (and abandoning decryptRtp's optimized code).
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

edit("keystream-last-batch-field",
"""  batches = new Map();
""",
"""  batches = new Map();
  /** The SSRC of the batch last used, and that batch (a Map lookup per packet otherwise). */
  lastSsrc = -1;
  lastBatch = void 0;
""")

edit("keystream-last-batch-get",
"""    let batch = this.batches.get(ssrc);""",
"""    let batch = ssrc === this.lastSsrc ? this.lastBatch : this.batches.get(ssrc);""")

edit("keystream-last-batch-set",
"""    this.batches.set(ssrc, batch);
    return batch;""",
"""    this.batches.set(ssrc, batch);
    this.lastSsrc = ssrc;
    this.lastBatch = batch;
    return batch;""")

edit("context-last-state-field",
"""  srtpSSRCStates = {};
""",
"""  srtpSSRCStates = {};
  /** The SSRC whose state was last looked up or made, and that state (the object lookup by a 32-bit key is slow). */
  srtpLastSsrc = -1;
  srtpLastState = void 0;
""")

edit("context-last-state-get",
"""  getSrtpSsrcState(ssrc) {
    let s = this.srtpSSRCStates[ssrc];
    if (s) return s;
    s = {
      ssrc,
      rolloverCounter: 0,
      lastSequenceNumber: 0
    };
    this.srtpSSRCStates[ssrc] = s;
    return s;
  }""",
"""  getSrtpSsrcState(ssrc) {
    if (ssrc === this.srtpLastSsrc) return this.srtpLastState;
    let s = this.srtpSSRCStates[ssrc];
    if (!s) {
      s = {
        ssrc,
        rolloverCounter: 0,
        lastSequenceNumber: 0
      };
      this.srtpSSRCStates[ssrc] = s;
    }
    this.srtpLastSsrc = ssrc;
    this.srtpLastState = s;
    return s;
  }""")

edit("context-last-state-decrypt",
"""    const existingState = this.srtpSSRCStates[header.ssrc];""",
"""    const existingState = header.ssrc === this.srtpLastSsrc ? this.srtpLastState : this.srtpSSRCStates[header.ssrc];""")

edit("context-last-state-decrypt-new",
"""      nextState.replay = replay;
      this.srtpSSRCStates[header.ssrc] = nextState;""",
"""      nextState.replay = replay;
      this.srtpSSRCStates[header.ssrc] = nextState;
      this.srtpLastSsrc = header.ssrc;
      this.srtpLastState = nextState;""")

if __name__ == "__main__":
    edits.main()
