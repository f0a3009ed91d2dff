// Brute-force protection for password sign-in. Failures are counted per account and per client
// address in Redis (so every web instance shares them); a blocked sign-in is told how long to wait.
// Unknown e-mails cost the same scrypt work as known ones, so timing does not reveal accounts.
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { hashPassword, verifyPassword } from "../crypto/password";
import { redis } from "../gateway/redis";
import { logger } from "../log";

const WINDOW_SECS = 15 * 60;
/** Wrong passwords for one account before it is locked for the window (per account, any address). */
export const ACCOUNT_FAILURES = 10;
/** Wrong passwords from one address across all accounts (stops spraying many accounts). */
export const ADDRESS_FAILURES = 50;

export class SignInThrottled extends Error {
  constructor(readonly retryAfterSecs: number) {
    const minutes = Math.max(1, Math.ceil(retryAfterSecs / 60));
    // Wrong passwords at sign-in and on Name and password count alike, so the message names neither.
    super(`Too many wrong passwords. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`);
    this.name = "SignInThrottled";
  }
}

function limiter(prefix: string, points: number) {
  return new RateLimiterRedis({
    storeClient: redis(),
    keyPrefix: `signin:${prefix}`,
    points,
    duration: WINDOW_SECS,
    blockDuration: WINDOW_SECS,
    // Redis down: count in this process rather than let unlimited guesses through or refuse sign-in.
    insuranceLimiter: new RateLimiterMemory({ points, duration: WINDOW_SECS, blockDuration: WINDOW_SECS }),
  });
}

let limiters: { account: RateLimiterRedis; address: RateLimiterRedis } | undefined;
function getLimiters() {
  limiters ??= { account: limiter("account", ACCOUNT_FAILURES), address: limiter("address", ADDRESS_FAILURES) };
  return limiters;
}

let dummyHash: Promise<string> | undefined;

/** Throws SignInThrottled when this account or address has used up its failures. */
export async function assertSignInAllowed(email: string, address: string): Promise<void> {
  const { account, address: byAddress } = getLimiters();
  const [a, b] = await Promise.all([account.get(email), byAddress.get(address)]);
  const blocked = [a && a.consumedPoints >= ACCOUNT_FAILURES ? a : null, b && b.consumedPoints >= ADDRESS_FAILURES ? b : null]
    .filter((r): r is RateLimiterRes => r !== null)
    .map((r) => r.msBeforeNext);
  if (blocked.length > 0) throw new SignInThrottled(Math.ceil(Math.max(...blocked) / 1000));
}

/** Counts one failed attempt against the account and the address. */
export async function recordSignInFailure(email: string, address: string): Promise<void> {
  const { account, address: byAddress } = getLimiters();
  const results = await Promise.allSettled([account.consume(email), byAddress.consume(address)]);
  const locked = results.some((r) => r.status === "rejected" && r.reason instanceof RateLimiterRes);
  if (locked) logger.warn({ email, address }, "sign-in locked after repeated failures");
}

/** A successful sign-in clears the account's failures (not the address's). */
export async function recordSignInSuccess(email: string): Promise<void> {
  await getLimiters()
    .account.delete(email)
    .catch((err: unknown) => logger.warn({ err }, "could not reset sign-in failures"));
}

/** Checks a password against the stored hash, or against a throwaway hash when there is no user. */
export async function checkPassword(password: string, storedHash: string | undefined): Promise<boolean> {
  if (storedHash) return verifyPassword(password, storedHash);
  dummyHash ??= hashPassword("not-a-real-account-password");
  await verifyPassword(password, await dummyHash);
  return false;
}

/** The client address as the platform reports it (first hop of X-Forwarded-For, else X-Real-IP). */
export function clientAddress(headers: Record<string, string | string[] | undefined> | undefined): string {
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const forwarded = first(headers?.["x-forwarded-for"])?.split(",")[0]?.trim();
  return forwarded || first(headers?.["x-real-ip"])?.trim() || "unknown";
}
