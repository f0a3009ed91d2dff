#!/usr/bin/env python3
"""Keeps each SRTP context's last SSRC at hand (after replay.py).

An SRTP context looked each packet's SSRC state up in an object keyed by the 32-bit SSRC, and the
AES-CM keystream its batch in a Map: a context mostly sees one SSRC, so both keep the last one at hand.

Exact text edits to werift's ESM bundles, as plumbing.py:

    python3 ../../../patches/werift-edits/hot.py index.mjs polyfill/index.mjs polyfill/dom.mjs nonstandard/index.mjs
"""

from textedits import TextEdits

edits = TextEdits()
edit = edits.edit

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
