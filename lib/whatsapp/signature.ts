// X-Hub-Signature-256: HMAC-SHA256 of the raw body keyed with the Meta app secret.
import { createHmac, timingSafeEqual } from "node:crypto";

export function signBody(body: Uint8Array | string, appSecret: string): string {
  return `sha256=${createHmac("sha256", appSecret).update(body).digest("hex")}`;
}

export function verifySignature(body: Uint8Array, header: string | null, appSecret: string): boolean {
  if (!header || !/^sha256=[0-9a-fA-F]{64}$/.test(header)) return false;
  const expected = Buffer.from(signBody(body, appSecret).slice(7), "hex");
  const given = Buffer.from(header.slice(7), "hex");
  return expected.length === given.length && timingSafeEqual(expected, given);
}
