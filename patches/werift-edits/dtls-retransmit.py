#!/usr/bin/env python3
"""DTLS handshakes that survive a retransmitted flight (exact text replacements, as plumbing.py).

werift 0.25.2's DTLS client resends its first ClientHello when no HelloVerifyRequest came within
500 ms. On a loaded machine the first answer is only late, so two HelloVerifyRequests arrive; the
client answered the first with flight 3 and threw on the second (Flight3.exec: "flight === 3"), and
the handshake failed: "Peer connection failed before media started" for 2-4% of the calls a gateway
answered at 80-100 calls/s. The second HelloVerifyRequest is now ignored: flight 3 is out and
retransmits itself. (The server side is left: a late copy of the first ClientHello after flight 4
would restart its handshake, but a gateway is the DTLS client towards WhatsApp, and a resent
ClientHello reaches a server still at flight 2, where answering it again is right.) Applied after
every other edit script:

    python3 ../../../patches/werift-edits/dtls-retransmit.py index.mjs polyfill/index.mjs polyfill/dom.mjs nonstandard/index.mjs dtls/src/client.js
"""

from textedits import TextEdits

edits = TextEdits()
edit = edits.edit

HVR_WHY = """A HelloVerifyRequest once flight 3 is out answers a ClientHello sent again while the
            // first answer was on its way: flight 3 retransmits itself (0.25.2 threw here)."""

edit("client-ignores-second-hello-verify (esm)",
"""        case 3 /* hello_verify_request_3 */:
          {
            const verifyReq = ServerHelloVerifyRequest.deSerialize(""",
f"""        case 3 /* hello_verify_request_3 */:
          {{
            // {HVR_WHY}
            if (this.dtls.flight !== 1) break;
            const verifyReq = ServerHelloVerifyRequest.deSerialize(""")

edit("client-ignores-second-hello-verify (cjs)",
"""                        case const_1.HandshakeType.hello_verify_request_3:
                            {
                                const verifyReq""",
"""                        case const_1.HandshakeType.hello_verify_request_3:
                            {
                                // A HelloVerifyRequest once flight 3 is out answers a resent ClientHello (0.25.2 threw here).
                                if (this.dtls.flight !== 1)
                                    break;
                                const verifyReq""")

if __name__ == "__main__":
    edits.main()
