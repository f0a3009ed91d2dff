// Encrypts account secrets at rest with AES-256-GCM. Stored form: v1.<iv>.<tag>.<ciphertext> (base64url).
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

export function keyFromString(secret: string): Buffer {
  if (/^[0-9a-fA-F]{64}$/.test(secret)) return Buffer.from(secret, "hex");
  const b64 = Buffer.from(secret, "base64");
  if (b64.length === 32 && secret.length >= 43) return b64;
  // A passphrase: stretch it deterministically to 32 bytes.
  return createHash("sha256").update(secret, "utf8").digest();
}

export function encryptSecret(plain: string, key: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return ["v1", iv, cipher.getAuthTag(), body].map((p) => (typeof p === "string" ? p : p.toString("base64url"))).join(".");
}

export function decryptSecret(stored: string, key: Buffer): string {
  const [version, iv, tag, body] = stored.split(".");
  if (version !== "v1" || !iv || !tag || body === undefined) throw new Error("Encrypted secret has an unknown format");
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
}
