// Call-log facts in words, shared by the call list and the call detail page.
import type { CallStatus, DisconnectedBy, TransferStatus } from "../db";

export function endedByText(c: {
  disconnectedBy: DisconnectedBy | null;
  error: string | null;
  endedAt: Date | null;
  direction?: "incoming" | "outgoing";
}): string {
  if (!c.endedAt) return "In progress";
  switch (c.disconnectedBy) {
    case "client":
      // On an outgoing call the WhatsApp user is the one called.
      return c.direction === "outgoing" ? "Contact hung up" : "Caller hung up";
    case "agent":
      return "Agent hung up";
    case "system":
      // An admin's End call already says who ("Ended by Bia Boss (admin)").
      if (c.error?.startsWith("Ended by ")) return c.error;
      return c.error ? `Ended by the system: ${c.error}` : "Ended by the system";
    default:
      return "—";
  }
}

/**
 * A call that waited for a team and that no agent took (nobody accepted, nobody was free, or the
 * caller hung up waiting) reads "Completed" when the IVR answered it, while analytics counts it missed
 * or abandoned; the call log says so beside the status.
 */
export function noAgentAnswered(c: { status: CallStatus; teamIds: string[]; agent: unknown }): boolean {
  return c.status === "completed" && c.teamIds.length > 0 && c.agent === null;
}

/** Why a transfer attempt ended unanswered, in words (also the `transfer_result` a flow's no-answer output sets). */
export const END_REASONS: Record<string, string> = {
  timeout: "nobody accepted in time",
  no_agents: "nobody in the team was available",
  declined: "every agent who could answer declined",
  caller_hung_up: "the caller hung up while waiting",
  call_ended: "the call ended while waiting",
};

export interface TransferAttempt {
  status: TransferStatus;
  endReason: string | null;
  createdAt: Date;
  acceptedAt: Date | null;
  endedAt: Date | null;
  offeredTo: string[];
  declinedBy: string[];
  acceptedById: string | null;
  team: { name: string } | null;
}

/** One line per transfer attempt: who rang, who declined, who took it, and how long the caller waited. */
export function describeTransfer(t: TransferAttempt, names: ReadonlyMap<string, string>, now = new Date()) {
  const name = (id: string) => names.get(id) ?? "a former member";
  const waitedUntil = t.acceptedAt ?? t.endedAt ?? now;
  const outcome =
    t.status === "accepted"
      ? `Answered by ${t.acceptedById ? name(t.acceptedById) : "an agent"}`
      : t.status === "waiting"
        ? "Waiting for an agent"
        : `Not answered (${END_REASONS[t.endReason ?? ""] ?? t.status.replace("_", " ")})`;
  return {
    team: t.team?.name ?? "Deleted team",
    outcome,
    waitedSecs: Math.max(0, Math.round((waitedUntil.getTime() - t.createdAt.getTime()) / 1000)),
    rang: t.offeredTo.map(name),
    declined: t.declinedBy.map(name),
  };
}
