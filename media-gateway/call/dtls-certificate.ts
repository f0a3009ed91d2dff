// One DTLS certificate per gateway process, made at start and replaced daily: new peers take the
// current one, peers already up keep the one they were built with (their fingerprint is in the SDP).
import { CipherContext, HashAlgorithm, NamedCurveAlgorithm, RTCCertificate, type RTCDtlsFingerprint, SignatureAlgorithm } from "werift";

export const ROTATE_EVERY_MS = 24 * 60 * 60 * 1000;

/** werift re-parses the PEM for every SDP it writes; the fingerprint of a fixed certificate is computed once. */
class GatewayCertificate extends RTCCertificate {
  private fingerprints: RTCDtlsFingerprint[] | undefined;

  override getFingerprints(): RTCDtlsFingerprint[] {
    this.fingerprints ??= super.getFingerprints();
    return this.fingerprints;
  }
}

/** ECDSA P-256 with SHA-256, the same kind werift makes for itself. */
export async function createCertificate(): Promise<RTCCertificate> {
  const { certPem, keyPem, signatureHash } = await CipherContext.createSelfSignedCertificateWithKey(
    { signature: SignatureAlgorithm.ecdsa_3, hash: HashAlgorithm.sha256_4 },
    NamedCurveAlgorithm.secp256r1_23,
  );
  return new GatewayCertificate(keyPem, certPem, signatureHash);
}

export class CertificateRotation {
  private timer: NodeJS.Timeout | undefined;
  private cert: RTCCertificate | undefined;
  createdAt = 0;

  constructor(private readonly onError: (err: unknown) => void = () => {}) {}

  get current(): RTCCertificate | undefined {
    return this.cert;
  }

  async start(everyMs = ROTATE_EVERY_MS): Promise<RTCCertificate> {
    const cert = await this.rotate();
    this.timer = setInterval(() => void this.rotate().catch(this.onError), everyMs);
    this.timer.unref();
    return cert;
  }

  /** Makes a new certificate; a failure keeps the previous one in use. */
  async rotate(): Promise<RTCCertificate> {
    const cert = await createCertificate();
    this.cert = cert;
    this.createdAt = Date.now();
    return cert;
  }

  stop() {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
