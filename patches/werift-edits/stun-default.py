#!/usr/bin/env python3
"""No STUN server unless one is configured (exact text replacements, as plumbing.py; any order).

werift's ICE Connection falls back to stun.l.google.com:19302 whenever it has no STUN server, even
when an RTCPeerConnection was given `iceServers: []` (RTCPeerConnection's own default configuration
already names Google's server when no list is given at all). So every call a gateway answered looked
up stun.l.google.com and sent it a binding request, and ICE gathering (which the answer waits for)
waited for that transaction: a DNS lookup and a round trip to Google per call, or up to the gathering
timeout where outbound UDP to Google is blocked. Now the fallback applies only when the options do
not name a STUN server at all; a `stunServer` key that is present but undefined (what
RTCPeerConnection passes for an empty list) means none.
"""

from textedits import TextEdits

edits = TextEdits()
edits.edit("stun-default-esm",
"""    this.stunServer = validateAddress(this.options.stunServer) ?? DEFAULT_STUN_SERVER;""",
"""    this.stunServer = validateAddress(this.options.stunServer) ?? ("stunServer" in this.options ? void 0 : DEFAULT_STUN_SERVER);""")
edits.edit("stun-default-cjs",
"""        this.stunServer =
            (0, iceBase_1.validateAddress)(this.options.stunServer) ?? DEFAULT_STUN_SERVER;""",
"""        this.stunServer =
            (0, iceBase_1.validateAddress)(this.options.stunServer) ?? ("stunServer" in this.options ? void 0 : DEFAULT_STUN_SERVER);""")

edits.main()
