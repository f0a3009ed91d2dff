// The gateway's part of `[gateway] setup_deadline_ms`: past ANSWER_SHARE of it a call is rejected, not
// answered, so the reject's own round trips still land inside the deadline.
import { ANSWER_SHARE, overdue } from "../../lib/gateway/setup-deadline";

/**
 * Why a call whose webhook arrived at `receivedAt` is too late to answer now (`[gateway] setup_deadline_ms`,
 * 0 = never): a gateway that fell behind rejects it, so the caller hears at once instead of ringing on.
 */
export function tooLateToAnswer(receivedAt: number, deadlineMs: number, now = Date.now()): string | null {
  const waited = overdue(receivedAt, deadlineMs, ANSWER_SHARE, now);
  return waited === null ? null : lateAnswerText(deadlineMs, waited);
}

function lateAnswerText(deadlineMs: number, waited: number) {
  return `The media gateway could not answer within ${deadlineMs} ms of the call (${waited} ms had passed; it is overloaded)`;
}

/**
 * Calls `onLate` at the moment past which a call not yet pre-accepted is rejected (ANSWER_SHARE of the
 * deadline after its webhook), whatever step it is waiting on then: a slow PostgreSQL read or ICE
 * gathering would otherwise push the check after them, and the reject past the deadline. The caller
 * clears the timer when pre_accept goes out. None when the deadline is 0 (off).
 */
export function watchAnswerDeadline(receivedAt: number, deadlineMs: number, onLate: (why: string, waitedMs: number) => void): NodeJS.Timeout | undefined {
  if (deadlineMs <= 0) return undefined;
  const at = receivedAt + deadlineMs * ANSWER_SHARE;
  return setTimeout(
    () => {
      const waited = Math.round(Date.now() - receivedAt);
      onLate(lateAnswerText(deadlineMs, waited), waited);
    },
    Math.max(0, at - Date.now()) + 1,
  );
}
