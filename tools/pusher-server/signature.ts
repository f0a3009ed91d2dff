// HMAC-SHA256 checks of the Pusher protocol: channel auth strings sent by clients and the signed
// query of HTTP API requests, exactly as pusher-js and the `pusher` server SDK compute them.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";

export interface AppCredentials {
  appId: string;
  key: string;
  secret: string;
}

/** Pusher rejects API requests whose timestamp is further than this from its clock. */
const MAX_CLOCK_SKEW_SECS = 600;

export function sign(secret: string, text: string): string {
  return createHmac("sha256", secret).update(text, "utf8").digest("hex");
}

export function md5(body: Buffer): string {
  return createHash("md5").update(body).digest("hex");
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** `auth` is `key:hmac(secret, "socket_id:channel[:channel_data]")`. */
export function verifyChannelAuth(app: AppCredentials, socketId: string, channel: string, auth: unknown, channelData?: string): boolean {
  if (typeof auth !== "string") return false;
  const colon = auth.indexOf(":");
  if (colon < 0 || auth.slice(0, colon) !== app.key) return false;
  const signed = channelData === undefined ? `${socketId}:${channel}` : `${socketId}:${channel}:${channelData}`;
  return safeEqual(auth.slice(colon + 1), sign(app.secret, signed));
}

/** decodeURIComponent that returns the input unchanged instead of throwing on malformed escapes. */
export function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Splits a raw query string without turning "+" into spaces (the SDK signs values unencoded). */
function queryPairs(rawQuery: string): [string, string][] {
  const pairs: [string, string][] = [];
  for (const part of rawQuery.split("&")) {
    if (!part) continue;
    const eq = part.indexOf("=");
    const k = eq < 0 ? part : part.slice(0, eq);
    const v = eq < 0 ? "" : part.slice(eq + 1);
    pairs.push([safeDecode(k), safeDecode(v)]);
  }
  return pairs;
}

/**
 * Checks an HTTP API request: auth_key, a fresh auth_timestamp, body_md5 when there is a body, and
 * auth_signature = hmac(secret, "METHOD\npath\nsorted query without auth_signature").
 * Returns null when valid, else the reason (sent back with the 401).
 */
export function verifyApiRequest(app: AppCredentials, method: string, path: string, rawQuery: string, body: Buffer, nowMs = Date.now()): string | null {
  const params = new Map(queryPairs(rawQuery));
  const signature = params.get("auth_signature");
  if (params.get("auth_key") !== app.key) return "Unknown auth_key";
  if (!signature) return "Missing auth_signature";
  const ts = Number(params.get("auth_timestamp"));
  if (!Number.isFinite(ts) || Math.abs(nowMs / 1000 - ts) > MAX_CLOCK_SKEW_SECS) return "Timestamp expired or missing";
  if (body.length > 0 && params.get("body_md5") !== md5(body)) return "Invalid body_md5";
  params.delete("auth_signature");
  const sorted = [...params.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join("&");
  const expected = sign(app.secret, [method.toUpperCase(), path, sorted].join("\n"));
  return safeEqual(signature, expected) ? null : "Invalid signature";
}
