// How a finished call ended, for analytics. One definition, used by the rollup (as SQL) and
// documented for the page. In order of precedence:
//   failed    — the call failed (a Graph API error, no gateway), or an incoming call was rejected
//               (calling disabled, overload).
//   answered  — an agent talked to the caller (the call has an agent: a transfer was accepted and
//               bridged, or an agent's outgoing call was picked up).
//   abandoned — the caller hung up while waiting for a team (the transfer ended `caller_hung_up`).
//   missed    — nobody took it: a transfer nobody accepted (timeout, nobody available, the call
//               ended otherwise), a caller who hung up before the call was answered, or an outgoing
//               call the customer did not pick up or declined (an outgoing call's `rejected`).
//   ivr       — the call ended in the IVR without waiting for a team.
// "Waited for a team" (the base of answer and abandonment rates and of the service level) is
// answered + abandoned + missed. Only finished calls (ended_at set) count.
import type { CallOutcome } from "../generated/prisma/enums";

export const OUTCOMES: readonly CallOutcome[] = ["answered", "ivr", "abandoned", "missed", "failed"];

export const OUTCOME_LABELS: Record<CallOutcome, string> = {
  answered: "Answered by an agent",
  ivr: "Ended in the IVR",
  abandoned: "Abandoned while waiting",
  missed: "Missed",
  failed: "Failed",
};

/**
 * The outcome as SQL over `c` (calls) and `t` (the call's decisive transfer: the accepted one, else
 * the latest; NULL columns when there was none). Keep in step with the comment above.
 */
export const OUTCOME_SQL = `CASE
  WHEN c.status = 'failed' OR (c.status = 'rejected' AND c.direction = 'incoming') THEN 'failed'
  WHEN c.agent_id IS NOT NULL AND c.answered_at IS NOT NULL THEN 'answered'
  WHEN t.end_reason = 'caller_hung_up' THEN 'abandoned'
  WHEN t.status IS NOT NULL OR c.status IN ('missed', 'rejected') THEN 'missed'
  ELSE 'ivr' END`;
