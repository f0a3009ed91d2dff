// X-Hub-Signature-256: HMAC-SHA256 of the raw body keyed with the Meta app secret.
import { createHmac, type KeyObject, timingSafeEqual } from "node:crypto";

export function signBody(body: Uint8Array | string, appSecret: string | KeyObject): string {
  return `sha256=${createHmac("sha256", appSecret).update(body).digest("hex")}`;
}

/** Shape only (`sha256=` and 64 hex digits): lets a request without one be refused before its body is read. */
export function isSignatureHeader(header: string | null): header is string {
  return !!header && /^sha256=[0-9a-fA-F]{64}$/.test(header);
}

export function verifySignature(body: Uint8Array, header: string | null, appSecret: string | KeyObject): boolean {
  if (!isSignatureHeader(header)) return false;
  const expected = Buffer.from(signBody(body, appSecret).slice(7), "hex");
  const given = Buffer.from(header.slice(7), "hex");
  return expected.length === given.length && timingSafeEqual(expected, given);
}
