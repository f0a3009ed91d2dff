// First half of the webhook: read at most 1 MB, verify the signature over the raw bytes, then parse,
// dedupe and persist. Processing (call setup, Graph API calls) runs afterwards, outside the request's
// critical path.
import { createHash } from "node:crypto";
import type { Prisma } from "../../db";
import { logger } from "../../log";
import { readCapped } from "../../net/read-capped";
import { isSignatureHeader, verifySignature } from "../signature";
import { type AccountKey, accountKeys, claimedPhoneNumberIds, signedByKnownApp } from "./account-keys";
import { type CallItem, callItemSchema, changeValueSchema, envelopeSchema, messageItemSchema, statusItemSchema } from "../webhook-schema";
import { behindReason, noteStoreWait, WAITS_TO_HAND_OFF } from "./early-reject";
import { type HandOffWatch, watchHandOff } from "./hand-off-watch";
import { type StoredEvent, processEvent } from "./process";
import { storeEvents } from "./event-rows";
import { hasLoneSurrogate, mapJsonStrings, someJsonString, storableString } from "../../validation";

const log = logger.child({ component: "webhook" });

/** Meta's deliveries are a few KB; anything past this is refused unread. */
export const MAX_WEBHOOK_BYTES = 1024 * 1024;
// How old a cached app secret may be before a failed signature reads it again (secret rotation).
const RECHECK_AFTER_MS = 5_000;

export interface Received {
  status: number;
  body: Record<string, unknown>;
  /** The slow part, to run after the response is sent. */
  process: () => Promise<void>;
  /** The request body was left unread: close the connection rather than drain it. */
  unread?: boolean;
}

const nothing = async () => {};
const reply = (status: number, body: Record<string, unknown>): Received => ({ status, body, process: nothing });
const error = (status: number, code: string, message: string) => reply(status, { error: { code, message } });
const tooLarge = () => error(413, "payload_too_large", `Webhook bodies are limited to ${MAX_WEBHOOK_BYTES} bytes`);
const unsigned = () => error(401, "unauthenticated", "Missing or malformed X-Hub-Signature-256");

/**
 * PostgreSQL text/jsonb cannot hold U+0000; Meta never sends it, so it is dropped (and bodies nested
 * absurdly deep are refused). Lone surrogates are dealt with per event in `eventsOf`.
 */
const withoutNul = (v: unknown): unknown => mapJsonStrings(v, (s) => (s.includes("\u0000") ? s.replaceAll("\u0000", "") : s));
/** Lone surrogates → U+FFFD, so an event that holds one can still be stored (and its error recorded). */
const storable = (v: unknown) => mapJsonStrings(v, storableString);
const invalidUnicode = (raw: unknown) => someJsonString(raw, hasLoneSurrogate);
const INVALID_UNICODE = "Ignored item with invalid Unicode (a lone UTF-16 surrogate)";

const digest = (v: unknown) => createHash("sha256").update(JSON.stringify(v)).digest("hex").slice(0, 24);

function eventsOf(value: Prisma.InputJsonValue & object, field: string, account: AccountKey) {
  const parsed = changeValueSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    log.warn({ field, account: account.id, path: issue?.path.join("."), issue: issue?.message }, "webhook change ignored: its value is malformed");
    return [];
  }
  const v = parsed.data;
  const out: { dedupeKey: string; accountId: string; payload: Prisma.InputJsonValue; error?: string }[] = [];
  const common = storable({ field, metadata: v.metadata, contacts: v.contacts ?? [] }) as Record<string, unknown>;
  const add = (kind: string, raw: unknown, key: string | null, issue?: string) =>
    out.push({
      dedupeKey: key ?? `${account.phoneNumberId}:invalid:${kind}:${digest(raw)}`,
      accountId: account.id,
      payload: { ...common, kind, item: storable(raw) } as Prisma.InputJsonValue,
      ...(issue ? { error: issue } : {}),
    });
  for (const raw of v.calls ?? []) {
    if (invalidUnicode(raw)) {
      add("call", raw, null, INVALID_UNICODE);
      continue;
    }
    const c = callItemSchema.safeParse(raw);
    if (c.success) add("call", raw, `${account.phoneNumberId}:call:${c.data.id}:${c.data.event}`);
    else add("call", raw, null, `Ignored malformed call item: ${c.error.issues[0]?.path.join(".")} ${c.error.issues[0]?.message}`);
  }
  for (const raw of v.statuses ?? []) {
    if (invalidUnicode(raw)) {
      add("status", raw, null, INVALID_UNICODE);
      continue;
    }
    const s = statusItemSchema.safeParse(raw);
    if (s.success) add("status", raw, `${account.phoneNumberId}:status:${s.data.id}:${s.data.status}`);
    else add("status", raw, null, "Ignored malformed status item");
  }
  for (const raw of v.messages ?? []) {
    if (invalidUnicode(raw)) {
      add("message", raw, null, INVALID_UNICODE);
      continue;
    }
    const m = messageItemSchema.safeParse(raw);
    if (m.success && m.data.interactive?.type === "call_permission_reply") add("permission_reply", raw, `${account.phoneNumberId}:msg:${m.data.id}`);
  }
  return out;
}

/**
 * The route's entry: refuses an oversized or unsigned request before reading its body, and stops
 * reading at MAX_WEBHOOK_BYTES (the rest is never read).
 */
export async function receiveWebhookRequest(req: Request): Promise<Received> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > MAX_WEBHOOK_BYTES) return { ...tooLarge(), unread: true };
  const signature = req.headers.get("x-hub-signature-256");
  if (!isSignatureHeader(signature)) return { ...unsigned(), unread: true };
  const { bytes, overflow } = req.body ? await readCapped(req.body, MAX_WEBHOOK_BYTES) : { bytes: new Uint8Array(), overflow: false };
  if (overflow) return { ...tooLarge(), unread: true };
  return receiveWebhook(bytes, signature);
}

/** Accounts whose app secret signed these exact bytes, among those the body names. */
async function verifiedAccounts(raw: Uint8Array, signature: string): Promise<{ claimed: AccountKey[]; verified: AccountKey[] }> {
  const ids = claimedPhoneNumberIds(raw);
  let claimed = await accountKeys(ids);
  let verified = claimed.filter((a) => verifySignature(raw, signature, a.key));
  if (claimed.length && !verified.length) {
    claimed = await accountKeys(ids, Date.now() - RECHECK_AFTER_MS);
    verified = claimed.filter((a) => verifySignature(raw, signature, a.key));
  }
  return { claimed, verified };
}

/** The call a stored event would start (a user's connect with an SDP offer), or null. */
function incomingCall(payload: Prisma.InputJsonValue): CallItem | null {
  const { kind, item } = payload as { kind?: string; item?: unknown };
  if (kind !== "call") return null;
  const call = callItemSchema.safeParse(item);
  if (!call.success || call.data.event !== "connect" || call.data.direction === "BUSINESS_INITIATED" || call.data.session?.sdp_type !== "offer") return null;
  return call.data;
}

export async function receiveWebhook(raw: Uint8Array, signature: string | null): Promise<Received> {
  // A call's setup deadline runs from here, so time spent queued in this process counts against it.
  const receivedAt = Date.now();
  // Authentication first, on the raw bytes: nothing is decoded, parsed or stored before it.
  if (raw.length > MAX_WEBHOOK_BYTES) return tooLarge();
  if (!isSignatureHeader(signature)) return unsigned();
  const { claimed, verified } = await verifiedAccounts(raw, signature);
  if (claimed.length === 0) {
    // Signed by a Meta app we know, for a number that is not (or no longer) ours: answered 200 so
    // Meta stops redelivering it. Anything else is unauthenticated.
    if (!(await signedByKnownApp(raw, signature))) {
      log.warn({ bytes: raw.length }, "webhook names no connected phone_number_id and no known app secret signed it");
      return error(401, "unauthenticated", "X-Hub-Signature-256 was not made with the app secret of any connected WhatsApp number");
    }
    log.warn({ bytes: raw.length }, "webhook for an unknown phone_number_id ignored");
    return reply(200, { ignored: "unknown phone_number_id" });
  }
  if (verified.length === 0) {
    log.warn({ phoneNumberIds: claimed.map((a) => a.phoneNumberId) }, "webhook signature did not verify");
    return error(401, "unauthenticated", "X-Hub-Signature-256 does not match the body");
  }

  const text = Buffer.from(raw).toString("utf8");
  let json: unknown;
  try {
    json = withoutNul(JSON.parse(text));
  } catch {
    return error(400, "bad_request", "Body is not valid JSON");
  }
  const envelope = envelopeSchema.safeParse(json);
  if (!envelope.success) return error(400, "bad_request", "Body is not a WhatsApp webhook envelope");

  const rows = envelope.data.entry.flatMap((entry) =>
    entry.changes.flatMap((change) => {
      if (!change.value || typeof change.value !== "object") return [];
      const pnid = changeValueSchema.safeParse(change.value).data?.metadata.phone_number_id;
      const account = verified.find((a) => a.phoneNumberId === pnid);
      return account ? eventsOf(change.value as Prisma.InputJsonValue & object, change.field, account) : [];
    }),
  );
  if (rows.length === 0) return reply(200, { received: 0 });

  // Each incoming call is watched from here, so its deadline covers the wait for the store too (at a
  // burst that wait alone passed the deadline). Behind: they are rejected now, alongside the store.
  const behind = behindReason(1 + WAITS_TO_HAND_OFF);
  const watches = new Map<string, HandOffWatch>();
  for (const r of rows) {
    const call = incomingCall(r.payload);
    if (!call) continue;
    const watch = watchHandOff(r.accountId, call.id, receivedAt);
    if (behind) void watch.reject(behind);
    watches.set(r.dedupeKey, watch);
  }
  let created: Awaited<ReturnType<typeof storeEvents>>;
  try {
    created = await storeEvents(rows);
  } catch (err) {
    // Not received: Meta delivers the webhook again, and that delivery is watched afresh.
    for (const watch of watches.values()) watch.claim();
    throw err;
  }
  noteStoreWait(receivedAt);
  const fresh = created.filter((e) => !e.error) as unknown as StoredEvent[];
  // A call delivered before is someone else's: only this delivery's own calls stay watched.
  const own = new Set(fresh.map((e) => e.dedupeKey));
  for (const [key, watch] of watches) if (!own.has(key)) watch.claim();
  const order = new Map(rows.map((r, i) => [r.dedupeKey, i]));
  fresh.sort((a, b) => (order.get(a.dedupeKey) ?? 0) - (order.get(b.dedupeKey) ?? 0));
  return {
    status: 200,
    body: { received: rows.length, duplicates: rows.length - created.length },
    process: async () => {
      for (const event of fresh) await processEvent(event, receivedAt, watches.get(event.dedupeKey));
    },
  };
}
