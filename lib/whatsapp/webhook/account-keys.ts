// Which app secrets may verify a webhook. The secret is per account and the body names the account
// (metadata.phone_number_id), so before the signature can be checked the claimed ids are read with a
// bounded byte scan (no JSON parse) and looked up once, through a short-lived in-memory cache.
import { createSecretKey, type KeyObject } from "node:crypto";
import { unseal } from "../../crypto";
import { db } from "../../db";
import { verifySignature } from "../signature";

export interface AccountKey {
  id: string;
  phoneNumberId: string;
  key: KeyObject;
}

const NEEDLE = Buffer.from('"phone_number_id"');
const MAX_IDS = 20;
const MAX_OCCURRENCES = 200;

const isSpace = (b: number | undefined) => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;
const isDigit = (b: number | undefined) => b !== undefined && b >= 0x30 && b <= 0x39;

/** The distinct phone_number_id values the body claims (at most 20), read without parsing it. */
export function claimedPhoneNumberIds(raw: Uint8Array): string[] {
  const buf = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  const ids = new Set<string>();
  let at = buf.indexOf(NEEDLE);
  for (let seen = 0; at >= 0 && seen < MAX_OCCURRENCES && ids.size < MAX_IDS; seen++) {
    let i = at + NEEDLE.length;
    while (isSpace(buf[i])) i++;
    if (buf[i] === 0x3a /* : */) {
      i++;
      while (isSpace(buf[i])) i++;
      if (buf[i] === 0x22 /* " */) i++;
      const start = i;
      while (isDigit(buf[i]) && i - start < 32) i++;
      if (i > start) ids.add(buf.toString("latin1", start, i));
    }
    at = buf.indexOf(NEEDLE, at + NEEDLE.length);
  }
  return [...ids];
}

// Known accounts stay 30 s; unknown ids 5 s, so an account added in the admin UI starts receiving quickly.
const FOUND_TTL_MS = 30_000;
const MISSING_TTL_MS = 5_000;
const MAX_ENTRIES = 5_000;
/**
 * A known account's key this much past its read still verifies while it is read again: at overload that
 * read waits behind every other statement, and each webhook of the account waited for it (every 30 s,
 * half a second of calls went past their setup deadline). A failed signature still reads at once.
 */
const STALE_MS = 5 * 60_000;

interface Entry {
  key: AccountKey | null;
  fetchedAt: number;
}

const cache = new Map<string, Entry>();
const inFlight = new Map<string, Promise<void>>();

function fresh(e: Entry | undefined, now: number, notBefore: number): e is Entry {
  return !!e && e.fetchedAt >= notBefore && now - e.fetchedAt < (e.key ? FOUND_TTL_MS : MISSING_TTL_MS);
}

const usableWhileRead = (e: Entry | undefined, now: number, notBefore: number) => !!e?.key && e.fetchedAt >= notBefore && now - e.fetchedAt < STALE_MS;

async function load(ids: string[]): Promise<void> {
  const rows = await db.whatsAppAccount.findMany({ where: { phoneNumberId: { in: ids } }, select: { id: true, phoneNumberId: true, appSecretEnc: true } });
  const now = Date.now();
  for (const id of ids) {
    const row = rows.find((r) => r.phoneNumberId === id);
    cache.delete(id); // re-insert at the end: the map's order is the eviction order
    cache.set(id, { key: row ? { id: row.id, phoneNumberId: id, key: createSecretKey(Buffer.from(unseal(row.appSecretEnc))) } : null, fetchedAt: now });
  }
  for (const oldest of cache.keys()) {
    if (cache.size <= MAX_ENTRIES) break;
    cache.delete(oldest);
  }
}

/**
 * The accounts behind `ids`, from one indexed query for the ids not cached (concurrent callers share
 * it). Entries read before `notBefore` are read again: after a failed signature the caller retries
 * with secrets at most a few seconds old, so a rotated app secret works without waiting for the TTL.
 */
export async function accountKeys(ids: string[], notBefore = 0): Promise<AccountKey[]> {
  const now = Date.now();
  const missing = ids.filter((id) => !fresh(cache.get(id), now, notBefore) && !inFlight.has(id));
  if (missing.length) {
    const loading = load(missing).finally(() => {
      for (const id of missing) inFlight.delete(id);
    });
    // Nobody may wait for it (every key was usable): its error then surfaces at the next read.
    loading.catch(() => {});
    for (const id of missing) inFlight.set(id, loading);
  }
  const waitFor = ids.filter((id) => !fresh(cache.get(id), now, notBefore) && !usableWhileRead(cache.get(id), now, notBefore));
  await Promise.all([...new Set(waitFor.map((id) => inFlight.get(id)).filter(Boolean))]);
  return ids.flatMap((id) => cache.get(id)?.key ?? []);
}

/** Drops every cached secret in this process (tests; an admin change elsewhere waits for the TTL or a failed signature). */
export function forgetAccountKeys(): void {
  cache.clear();
  appSecrets = null;
}

/** How long the set of every account's app secret is kept (it is read only for bodies naming no known number). */
const APP_SECRETS_TTL_MS = 30_000;
/** Meta's deliveries are a few KB; an unclaimed body past this is not worth an HMAC per app secret. */
const UNCLAIMED_MAX_BYTES = 64 * 1024;
let appSecrets: { keys: Promise<KeyObject[]>; fetchedAt: number } | null = null;

/** The distinct app secrets of every connected account (usually a handful of Meta apps). */
function allAppSecrets(): Promise<KeyObject[]> {
  if (appSecrets && Date.now() - appSecrets.fetchedAt < APP_SECRETS_TTL_MS) return appSecrets.keys;
  const keys = db.whatsAppAccount.findMany({ select: { appSecretEnc: true } }).then((rows) => {
    const distinct = new Set(rows.map((r) => unseal(r.appSecretEnc)));
    return [...distinct].map((secret) => createSecretKey(Buffer.from(secret)));
  });
  const entry = { keys, fetchedAt: Date.now() };
  appSecrets = entry;
  keys.catch(() => {
    if (appSecrets === entry) appSecrets = null;
  });
  return keys;
}

/**
 * Whether one of our Meta apps signed a body that names no connected number (a number removed from
 * Ringflow whose app still delivers): then it is acknowledged and ignored, otherwise refused.
 */
export async function signedByKnownApp(raw: Uint8Array, signature: string): Promise<boolean> {
  // Each secret is one HMAC over the body: a large body naming no number is refused unchecked.
  if (raw.length > UNCLAIMED_MAX_BYTES) return false;
  return (await allAppSecrets()).some((key) => verifySignature(raw, signature, key));
}
