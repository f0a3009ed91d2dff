// A call is answered (pre_accept) or rejected within `[gateway] setup_deadline_ms` of its webhook.
// Each step that can still reject decides early enough that its reject lands inside the deadline.

/**
 * Past this share of the deadline a web tier only now starting on a call turns it away at once: it is
 * behind, and the reject waits behind the same backlog (at 80 calls/s on two cores it took up to 1 s).
 */
export const TURN_AWAY_SHARE = 0.3;
/** Past this share of the deadline the web tier hands no call over: the gateway's setup needs the rest. */
export const HAND_OFF_SHARE = 0.5;
/** Past this share the gateway rejects instead of answering: the reject's own round trips need the rest. */
export const ANSWER_SHARE = 0.8;

/** How long the call has waited, if that is past `share` of the deadline (0 = none); null while in time. */
export function overdue(receivedAt: number, deadlineMs: number, share: number, now = Date.now()): number | null {
  const waited = Math.round(now - receivedAt);
  return deadlineMs > 0 && waited > deadlineMs * share ? waited : null;
}
