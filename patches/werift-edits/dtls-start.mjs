// Applies the DTLS start change to a werift 0.25.2 dir (idempotent; see README.md here): no 100 ms sleep before the
// client's ClientHello, and DTLS records that arrive before start() made the socket are kept and replayed.
import { fileEditor } from "./edit-files.mjs";

const edit = fileEditor(process.argv[2], "earlyDtls");
const esm = [
  [
    "    this.localCertificate ??= _RTCDtlsTransport.localCertificate;\n  }\n",
    `    this.localCertificate ??= _RTCDtlsTransport.localCertificate;
    this.earlyDtlsSubscription = iceTransport.connection?.onData.subscribe((buf) => {
      if (!this.dtls && this.earlyDtls.length < 16 && isDtls(buf)) this.earlyDtls.push(buf);
    });
  }
  /**
   * DTLS records that arrive after ICE connected but before start() created the DTLS socket: a peer
   * that sends its ClientHello as soon as its own ICE is up must not wait for a retransmission.
   */
  earlyDtls = [];
  earlyDtlsSubscription;
`,
  ],
  [
    "        f(error);\n      });\n      if (this.dtls instanceof DtlsClient) {\n        await setTimeout6(100);\n        this.dtls.connect()",
    `        f(error);
      });
      this.earlyDtlsSubscription?.unSubscribe();
      for (const buf of this.earlyDtls.splice(0)) this.dtls.transport.socket.onData(buf);
      if (this.dtls instanceof DtlsClient) {
        this.dtls.connect()`,
  ],
];
for (const f of ["lib/index.mjs", "lib/polyfill/index.mjs", "lib/polyfill/dom.mjs"]) edit(f, esm);
edit("lib/webrtc/src/transport/dtls.js", [
  [
    "        this.localCertificate ?? (this.localCertificate = RTCDtlsTransport.localCertificate);\n    }\n",
    `        this.localCertificate ?? (this.localCertificate = RTCDtlsTransport.localCertificate);
        /**
         * DTLS records that arrive after ICE connected but before start() created the DTLS socket: a peer
         * that sends its ClientHello as soon as its own ICE is up must not wait for a retransmission.
         */
        this.earlyDtls = [];
        this.earlyDtlsSubscription = iceTransport.connection?.onData.subscribe((buf) => {
            if (!this.dtls && this.earlyDtls.length < 16 && (0, utils_1.isDtls)(buf))
                this.earlyDtls.push(buf);
        });
    }
`,
  ],
  [
    "                f(error);\n            });\n            if (this.dtls instanceof dtls_1.DtlsClient) {\n                await (0, promises_1.setTimeout)(100);\n                this.dtls.connect()",
    `                f(error);
            });
            this.earlyDtlsSubscription?.unSubscribe();
            for (const buf of this.earlyDtls.splice(0))
                this.dtls.transport.socket.onData(buf);
            if (this.dtls instanceof dtls_1.DtlsClient) {
                this.dtls.connect()`,
  ],
]);
