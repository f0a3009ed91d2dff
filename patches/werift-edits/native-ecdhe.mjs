// Applies the native DTLS key exchange change to a werift 0.25.2 dir (idempotent; see README.md here):
// X25519 and P-256 ECDHE through node:crypto instead of tweetnacl's and @noble/curves' pure-JS curve
// math, and the local certificate and key parsed once per process (werift parsed both from PEM for
// every DTLS session and the key again from PEM for every signature). Shapes stay as shipped: raw
// 32-byte X25519 keys, a 65-byte uncompressed P-256 public key, the 32-byte x-coordinate as secret.
import { fileEditor } from "./edit-files.mjs";

const edit = fileEditor(process.argv[2], "nativeEcdhe");

/** The key exchange and the cached local key, as ESM; `C` is the node:crypto namespace. */
const helpers = (C) => `// Native ECDHE (patches/werift-edits/native-ecdhe.mjs): the pure-JS curve math cost ~1 ms of CPU per
// handshake and side; node:crypto does the same in a few tens of microseconds.
var X25519_PKCS8_PREFIX = Buffer.from("302e020100300506032b656e04220420", "hex");
/** The KeyObject behind each raw private key made here: importing one back costs ~0.3 ms (DER decoders). */
var x25519PrivateKeys = new WeakMap();
var x25519Keypair = () => {
  const { privateKey, publicKey } = ${C}.generateKeyPairSync("x25519");
  // JWK, not DER: OpenSSL's encoders and decoders cost more than the curve math.
  const jwk = privateKey.export({ format: "jwk" });
  const raw = { privateKey: Buffer.from(jwk.d, "base64url"), publicKey: Buffer.from(jwk.x, "base64url") };
  x25519PrivateKeys.set(raw.privateKey, privateKey);
  return raw;
};
var x25519PreMasterSecret = (publicKey, privateKey) =>
  ${C}.diffieHellman({
    privateKey:
      x25519PrivateKeys.get(privateKey) ??
      ${C}.createPrivateKey({ key: Buffer.concat([X25519_PKCS8_PREFIX, privateKey]), format: "der", type: "pkcs8" }),
    publicKey: ${C}.createPublicKey({ key: { kty: "OKP", crv: "X25519", x: Buffer.from(publicKey).toString("base64url") }, format: "jwk" }),
  });
/** The local certificate and key, parsed once per PEM pair rather than once per DTLS session. */
var nativeEcdheParsedX509 = new Map();
var nativeEcdheSigningKeys = new WeakMap();
/** A node KeyObject for a parsed private key: signing with a PEM string parses the key on every call. */
var nativeEcdheSigningKey = (privateKey) => {
  let key = nativeEcdheSigningKeys.get(privateKey);
  if (!key) nativeEcdheSigningKeys.set(privateKey, key = ${C}.createPrivateKey({ key: privateKey.toDER(), format: "der", type: "pkcs8" }));
  return key;
};
`;

const parsedX509 = (indent, certFromPem, keyFromPem) =>
  [
    `const pemPair = \`\${certPem}\\n\${keyPem}\`;`,
    "let parsed = nativeEcdheParsedX509.get(pemPair);",
    "if (!parsed) {",
    "    if (nativeEcdheParsedX509.size >= 16) nativeEcdheParsedX509.clear();",
    `    parsed = { cert: ${certFromPem}(Buffer.from(certPem)), sec: ${keyFromPem}(Buffer.from(keyPem)) };`,
    "    nativeEcdheParsedX509.set(pemPair, parsed);",
    "}",
    "const { cert, sec } = parsed;",
  ]
    .map((l) => indent + l)
    .join("\n");

const esm = [
  [
    `import { p256 } from "@noble/curves/p256";
var p256Keypair = () => {
  const priv = p256.utils.randomPrivateKey();
  const pub = p256.getPublicKey(priv, false);
  const privateKey = Buffer.from(priv);
  const publicKey = Buffer.from(pub);
  return {
    privateKey,
    publicKey
  };
};
var p256PreMasterSecret = ({
  publicKey,
  privateKey
}) => {
  const res = p256.getSharedSecret(privateKey, publicKey);
  const secret = Buffer.from(res).subarray(1);
  return secret;
};
`,
    `import * as nativeEcdhe from "crypto";
var p256Keypair = () => {
  const ecdh = nativeEcdhe.createECDH("prime256v1");
  const publicKey = ecdh.generateKeys();
  return {
    privateKey: ecdh.getPrivateKey(),
    publicKey
  };
};
var p256PreMasterSecret = ({
  publicKey,
  privateKey
}) => {
  const ecdh = nativeEcdhe.createECDH("prime256v1");
  ecdh.setPrivateKey(privateKey);
  return ecdh.computeSecret(publicKey);
};
${helpers("nativeEcdhe")}`,
  ],
  ["      return Buffer.from(nacl.scalarMult(privateKey, publicKey));", "      return x25519PreMasterSecret(publicKey, privateKey);"],
  [
    "    const key = this.localPrivateKey.toPEM().toString();\n    const signed = signature.sign(key);",
    "    const signed = signature.sign(nativeEcdheSigningKey(this.localPrivateKey));",
  ],
  [
    "    const enc = this.localPrivateKey.sign(sig, hashAlgorithm);",
    "    const enc = nativeEcdhe.createSign(hashAlgorithm).update(sig).sign(nativeEcdheSigningKey(this.localPrivateKey));",
  ],
  [
    "    const cert = Certificate.fromPEM(Buffer.from(certPem));\n    const sec = PrivateKey.fromPEM(Buffer.from(keyPem));",
    parsedX509("    ", "Certificate.fromPEM", "PrivateKey.fromPEM"),
  ],
  [
    `      const keys = nacl2.box.keyPair();
      return {
        curve: namedCurve,
        privateKey: Buffer.from(keys.secretKey.buffer),
        publicKey: Buffer.from(keys.publicKey.buffer)
      };`,
    `      const keys = x25519Keypair();
      return {
        curve: namedCurve,
        privateKey: keys.privateKey,
        publicKey: keys.publicKey
      };`,
  ],
];
for (const f of ["lib/index.mjs", "lib/polyfill/index.mjs", "lib/polyfill/dom.mjs", "lib/nonstandard/index.mjs"]) edit(f, esm);

// The CommonJS files (`exports` "require"): the helpers live in ec.js, the key cache in the cipher context.
edit("lib/dtls/src/cipher/ec.js", [
  [
    `const p256_1 = require("@noble/curves/p256");
const p256Keypair = () => {
    const priv = p256_1.p256.utils.randomPrivateKey();
    const pub = p256_1.p256.getPublicKey(priv, false);
    const privateKey = Buffer.from(priv);
    const publicKey = Buffer.from(pub);
    return {
        privateKey,
        publicKey,
    };
};`,
    `const nativeEcdhe = require("crypto");
const p256Keypair = () => {
    const ecdh = nativeEcdhe.createECDH("prime256v1");
    const publicKey = ecdh.generateKeys();
    return {
        privateKey: ecdh.getPrivateKey(),
        publicKey,
    };
};`,
  ],
  [
    `    const res = p256_1.p256.getSharedSecret(privateKey, publicKey);
    const secret = Buffer.from(res).subarray(1);
    return secret;
};
exports.p256PreMasterSecret = p256PreMasterSecret;`,
    `    const ecdh = nativeEcdhe.createECDH("prime256v1");
    ecdh.setPrivateKey(privateKey);
    return ecdh.computeSecret(publicKey);
};
exports.p256PreMasterSecret = p256PreMasterSecret;
${helpers("nativeEcdhe")}exports.x25519Keypair = x25519Keypair;
exports.x25519PreMasterSecret = x25519PreMasterSecret;
exports.nativeEcdheParsedX509 = nativeEcdheParsedX509;
exports.nativeEcdheSigningKey = nativeEcdheSigningKey;`,
  ],
]);
edit("lib/dtls/src/cipher/prf.js", [
  [
    "            return Buffer.from(tweetnacl_1.default.scalarMult(privateKey, publicKey));",
    "            return (0, ec_1.x25519PreMasterSecret)(publicKey, privateKey); // nativeEcdhe",
  ],
]);
edit("lib/dtls/src/cipher/namedCurve.js", [
  [
    `            const keys = tweetnacl_1.default.box.keyPair();
            return {
                curve: namedCurve,
                privateKey: Buffer.from(keys.secretKey.buffer),
                publicKey: Buffer.from(keys.publicKey.buffer),
            };`,
    `            const keys = (0, ec_1.x25519Keypair)(); // nativeEcdhe
            return {
                curve: namedCurve,
                privateKey: keys.privateKey,
                publicKey: keys.publicKey,
            };`,
  ],
]);
edit("lib/dtls/src/context/cipher.js", [
  [
    'const x509_1 = require("@fidm/x509");',
    'const x509_1 = require("@fidm/x509");\nconst { nativeEcdheParsedX509, nativeEcdheSigningKey } = require("../cipher/ec");',
  ],
  [
    "        const key = this.localPrivateKey.toPEM().toString();\n        const signed = signature.sign(key);",
    "        const signed = signature.sign(nativeEcdheSigningKey(this.localPrivateKey));",
  ],
  [
    "        const enc = this.localPrivateKey.sign(sig, hashAlgorithm);",
    "        const enc = (0, crypto_1.createSign)(hashAlgorithm).update(sig).sign(nativeEcdheSigningKey(this.localPrivateKey));",
  ],
  [
    "        const cert = x509_1.Certificate.fromPEM(Buffer.from(certPem));\n        const sec = x509_1.PrivateKey.fromPEM(Buffer.from(keyPem));",
    parsedX509("        ", "x509_1.Certificate.fromPEM", "x509_1.PrivateKey.fromPEM"),
  ],
]);
