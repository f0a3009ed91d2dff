// A web tier that is behind rejects the calls it would turn away anyway as their webhooks arrive,
// before it stores them: each statement it runs for a call waits behind every other webhook's, and
// at overload the reject reached the Graph API up to seconds late. The call is logged afterwards.
import { config } from "../../config";
import { redis } from "../../gateway/redis";
import { HAND_OFF_SHARE } from "../../gateway/setup-deadline";
import { logger } from "../../log";
import { cachedGraphClientFor } from "../account-client";
import { GraphApiError } from "../graph-client";

const log = logger.child({ component: "early-reject" });

/** A store-wait observed longer ago than this says nothing about the web tier now. */
const STALE_MS = 2_000;
/** A call rejected early stays marked this long (Meta's redeliveries come within minutes). */
const MARK_SECS = 3_600;

let lastWait = { ms: 0, at: 0 };

/** How long a webhook waited for its events to be stored: the web tier's backlog. */
export function noteStoreWait(receivedAt: number, now = Date.now()) {
  lastWait = { ms: now - receivedAt, at: now };
}

/** Statements an admitted call waits for after its webhook is stored, before it is handed off (call-rows.ts's, the terminate check). */
export const WAITS_TO_HAND_OFF = 2;

/**
 * Why a call that has waited `waited` ms and has `waitsLeft` statements to wait for before it is handed
 * to a gateway would, on the normal path, only be rejected after the deadline: each statement, and the
 * reject's own log write after the hand-off check, taking as long as the last webhook's store did; null
 * while it would not. Only then is it rejected early: a call that may still make the hand-off keeps its
 * chance (the estimate is rough: a burst of arrivals makes one store wait long), and one that misses it
 * is still rejected within the deadline by the hand-off check. (A web tier that keeps up stores in a few ms.)
 */
export function behindReason(waitsLeft: number, waited = 0, now = Date.now()): string | null {
  const deadlineMs = config().gateway.setup_deadline_ms;
  if (deadlineMs <= 0 || now - lastWait.at > STALE_MS) return null;
  const rejectedAt = waited + (waitsLeft + 1) * lastWait.ms;
  if (waited + waitsLeft * lastWait.ms <= deadlineMs * HAND_OFF_SHARE || rejectedAt <= deadlineMs) return null;
  return `The web tier is too far behind to hand the call to a media gateway within ${deadlineMs} ms (each statement waits ${Math.round(lastWait.ms)} ms)`;
}

const markKey = (accountId: string, waCallId: string) => `rf:early-reject:${accountId}:${waCallId}`;

/**
 * Rejects the call through the Graph API unless it was rejected early before (a redelivery, another
 * web tier, a second processing); resolves to the error the call log should show. Never throws. A
 * mark that cannot be written does not keep the call ringing: it is rejected all the same.
 * `unmarked`: the caller has just seen no mark (rejectedEarly), so the reject goes out alongside the
 * mark's write instead of after it (only two processings of one call at the same moment reject twice).
 */
export async function rejectEarly(accountId: string, waCallId: string, reason: string, unmarked = false): Promise<string> {
  const mark = redis()
    .set(markKey(accountId, waCallId), "1", "EX", MARK_SECS, "NX")
    .catch((err) => log.error({ err, waCallId }, "marking a call rejected early failed"));
  try {
    if (!unmarked && (await mark) === null) return reason;
    await (await cachedGraphClientFor(accountId)).reject(waCallId);
    return reason;
  } catch (err) {
    log.error({ err, waCallId }, "rejecting a call early failed");
    return `${reason}. Rejecting through the Graph API failed: ${err instanceof GraphApiError ? err.summary : (err as Error).message}`;
  } finally {
    await mark;
  }
}

/** Whether a call was rejected early (by any web tier); its processing then only logs it. */
export async function rejectedEarly(accountId: string, waCallId: string): Promise<boolean> {
  return (await redis().exists(markKey(accountId, waCallId))) === 1;
}
