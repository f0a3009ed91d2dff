import { config } from "../config";
import { decryptSecret, encryptSecret, keyFromString } from "./secrets";

export { hashPassword, verifyPassword } from "./password";

function key(): Buffer {
  const secret = config().server.encryption_key;
  if (!secret) {
    throw new Error("server.encryption_key (or ENCRYPTION_KEY) must be set to store WhatsApp account secrets");
  }
  return keyFromString(secret);
}

export const seal = (plain: string) => encryptSecret(plain, key());
export const unseal = (stored: string) => decryptSecret(stored, key());
