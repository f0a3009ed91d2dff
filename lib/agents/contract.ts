// The agent leg's shapes: route inputs/replies and the realtime events every agent client receives
// (the browser call panel and headless clients alike). Both sides parse with these.
import { z } from "zod";
import { opusPayloadType } from "../media/sdp-payload-types";

export const agentStatuses = ["available", "away", "offline"] as const;
export type AgentStatus = (typeof agentStatuses)[number];
export const agentStatusInput = z.strictObject({ status: z.enum(agentStatuses) });

/** A browser that has not heartbeated (re-posted its status) for this long counts as offline. */
export const HEARTBEAT_STALE_MS = 60_000;
/**
 * A page of the agent's went away (closed, reloaded, left for another site): unless one of their
 * pages heartbeats within this long, they count as offline (a closed browser stops ringing in
 * seconds, not a minute; a reload heartbeats as it loads).
 */
export const PAGE_LEFT_GRACE_MS = 10_000;

export const channels = {
  user: (userId: string) => `private-user-${userId}`,
  org: (orgId: string) => `private-org-${orgId}`,
  presence: (orgId: string) => `presence-org-${orgId}`,
};

export const events = {
  transferOffered: "transfer.offered",
  transferWithdrawn: "transfer.withdrawn",
  callUpdated: "call.updated",
  /** On private-user-{id}: the agent's call was accepted or rejoined in the page `window`; their other pages let it go. */
  callMoved: "call.moved",
  /** On private-org-{id}: a call-log row changed (created, answered, transferred, ended). */
  callChanged: "call.changed",
  /** On private-org-{id}: a contact's call permission changed (their reply to a request). */
  contactChanged: "contact.changed",
} as const;

export const pathStepView = z.object({
  nodeId: z.string(),
  nodeType: z.string(),
  label: z.string(),
  handle: z.string().nullable(),
  digits: z.string().nullable().optional(),
});

export const offerSchema = z.object({
  transferId: z.string(),
  callId: z.string(),
  team: z.object({ id: z.string(), name: z.string() }),
  caller: z.object({ phone: z.string(), name: z.string().nullable() }),
  /** ISO time the caller started waiting for an agent. */
  waitingSince: z.string(),
  path: z.array(pathStepView),
  variables: z.record(z.string(), z.unknown()),
});
export type Offer = z.infer<typeof offerSchema>;
export const offersReply = z.object({ offers: z.array(offerSchema) });

export const withdrawReasons = ["taken", "timed_out", "cancelled"] as const;
export const withdrawnSchema = z.object({ transferId: z.string(), callId: z.string(), reason: z.enum(withdrawReasons) });
export type Withdrawn = z.infer<typeof withdrawnSchema>;

/** What the agent's side of a call is doing, as the agent's panel shows it. */
export const agentCallStates = ["connecting", "in_call", "on_hold", "ended"] as const;
export type AgentCallState = (typeof agentCallStates)[number];
export const callUpdatedSchema = z.object({
  callId: z.string(),
  status: z.enum(agentCallStates),
  /** Set when status is "ended". */
  endedBy: z.enum(["client", "agent", "system"]).optional(),
  reason: z.string().optional(),
});
export type CallUpdated = z.infer<typeof callUpdatedSchema>;

/** An agent's complete SDP offer (no trickle), for an incoming call's accept or an outgoing call: it must carry Opus. */
export const agentOfferSdp = z
  .string()
  .min(10)
  .max(64_000)
  .refine((sdp) => opusPayloadType(sdp) !== null, "The offer has no Opus audio (no a=rtpmap:<pt> opus/48000 line)");
/** `window`: the page accepting (optional); the agent's other pages hear `call.moved` naming it and stop ringing. */
export const acceptInput = z.strictObject({ sdp: agentOfferSdp, window: z.string().min(1).max(64).optional() });
export const acceptReply = z.object({ callId: z.string(), sdp: z.string() });

/** The agent's side of a call a new page can rejoin: bridged, or an outgoing call still ringing (`dialing`). */
export const liveCallStates = ["dialing", "in_call", "on_hold"] as const;

/**
 * `GET /api/agent/call`: the call the agent is on right now, so a new page (a reload, another
 * window) can rejoin it. `team` is null for a call the agent placed.
 */
export const liveCallSchema = z.object({
  callId: z.string(),
  direction: z.enum(["incoming", "outgoing"]),
  status: z.enum(liveCallStates),
  caller: z.object({ phone: z.string(), name: z.string().nullable() }),
  team: z.object({ id: z.string(), name: z.string() }).nullable(),
});
export type LiveCall = z.infer<typeof liveCallSchema>;
export const liveCallReply = z.object({ call: liveCallSchema.nullable() });

/**
 * `POST /api/calls/{id}/rejoin`: without `force`, a call still connected in another window is not
 * taken from it (409 `in_use`). `window` names the page rejoining, echoed in `call.moved`.
 */
export const rejoinInput = z.strictObject({ sdp: agentOfferSdp, force: z.boolean().optional(), window: z.string().min(1).max(64).optional() });
export const callMovedSchema = z.object({ callId: z.string(), window: z.string() });
/** `bridgedAt`: ISO time the call was first bridged (the panel's timer counts from it); null while it still rings. */
export const rejoinReply = z.object({ callId: z.string(), sdp: z.string(), status: z.enum(liveCallStates), bridgedAt: z.string().nullable() });

export const callControlReply = z.object({ status: z.enum(agentCallStates) });
export const notesInput = z.strictObject({ notes: z.string().max(10_000) });
