// An incoming call, watched from its webhook's arrival, still on its way to the hand-off at
// `HAND_OFF_SHARE` of its deadline is one the hand-off check will reject whenever it gets there; at
// overload that was seconds later (its store and each of its statements wait behind every other
// webhook's). The watch rejects it at that moment instead, and
// the call's processing, when it gets there, only logs it. Every overload reject of a call being
// processed goes through its watch: rejected first, logged after, and never twice (rejectEarly's mark).
import { config } from "../../config";
import { HAND_OFF_SHARE, overdue } from "../../gateway/setup-deadline";
import { rejectEarly, rejectedEarly } from "./early-reject";

export interface HandOffWatch {
  /**
   * Whether the call was rejected early, as its webhook first arrived (this is a redelivery): asked of
   * Redis as the watch starts, before any reject's mark on the same connection. Its processing then
   * only logs it.
   */
  earlier: Promise<boolean>;
  /**
   * Rejects the call now unless the watch did already (or it was marked rejected); resolves to the
   * error its log should show. The watch is done. Never throws.
   */
  reject(reason: string): Promise<string>;
  /**
   * The call goes on (to the hand-off, or to a reject of its own): null, and the watch is done; or,
   * if the watch rejected it first, what `reject` resolves to.
   */
  claim(): Promise<string> | null;
  /** What `reject` resolved to if the watch rejected the call already, or null; the watch goes on. */
  fired(): Promise<string> | null;
}

/** Watches a call whose webhook arrived at `receivedAt`; the caller claims or rejects it on every path. */
export function watchHandOff(accountId: string, waCallId: string, receivedAt: number, deadlineMs = config().gateway.setup_deadline_ms): HandOffWatch {
  const earlier = rejectedEarly(accountId, waCallId);
  earlier.catch(() => {});
  let rejected: Promise<string> | null = null;
  const fire = (reason: string) => {
    clearTimeout(timer);
    // Once Redis has said there is no mark (asked as the watch started), the reject need not wait for its own.
    rejected ??= earlier.then(
      (was) => (was ? reason : rejectEarly(accountId, waCallId, reason, true)),
      () => rejectEarly(accountId, waCallId, reason),
    );
    return rejected;
  };
  const at = receivedAt + deadlineMs * HAND_OFF_SHARE;
  // Fires just past the share, where handOffTooLate says the same (its message is the log's).
  const timer = deadlineMs > 0 ? setTimeout(() => fire(handOffTooLate(receivedAt, deadlineMs, 0) ?? ""), Math.max(0, at - Date.now()) + 1) : undefined;
  // A process that has nothing else to do need not stay up for a watch.
  timer?.unref();
  return {
    earlier,
    reject: (reason) => rejected ?? fire(reason),
    claim: () => {
      clearTimeout(timer);
      return rejected;
    },
    fired: () => rejected,
  };
}

/** Why a call whose webhook arrived at `receivedAt` is too late to hand to a gateway now, or null. */
export function handOffTooLate(receivedAt: number, deadlineMs: number, share = HAND_OFF_SHARE, now = Date.now()): string | null {
  const waited = overdue(receivedAt, deadlineMs, share, now);
  if (waited === null) return null;
  return `The call could not be handed to a media gateway in time to be answered within ${deadlineMs} ms (${waited} ms had passed; the web tier is overloaded)`;
}
