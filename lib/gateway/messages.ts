// Message shapes between the web tier and media gateways (Redis). Both sides parse with these.
import { z } from "zod";

export const gatewayInfoSchema = z.object({
  id: z.string().min(1),
  host: z.string(),
  pid: z.number().int(),
  /** Active calls. */
  load: z.number().int().min(0),
  /** Calls it takes: `[gateway] capacity`, but never more than its UDP ports hold. */
  capacity: z.number().int().positive(),
  startedAt: z.number(),
  draining: z.boolean().default(false),
  /** Its event loop runs late (`[gateway] overload_loop_delay_ms`): it takes no new calls until it catches up. */
  overloaded: z.boolean().optional(),
  /**
   * Calls it sets up at once (`[gateway] setup_budget`): the web tier admits no call beyond it while
   * that many are assigned and not yet answered, and rejects at once instead. Absent: no such limit.
   */
  setupBudget: z.number().int().positive().optional(),
});
export type GatewayInfo = z.infer<typeof gatewayInfoSchema>;

const callRef = { callId: z.string().min(1), waCallId: z.string().min(1) };

/** Commands the web tier (or another process) sends to the gateway that owns a call. */
export const gatewayCommandSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("call.assign"),
    ...callRef,
    orgId: z.string(),
    accountId: z.string(),
    phoneNumberId: z.string(),
    flowId: z.string(),
    callerPhone: z.string(),
    sdpOffer: z.string().min(1),
    receivedAt: z.number(),
  }),
  /**
   * An agent places a business-initiated call: the gateway answers the agent's offer, makes the
   * WhatsApp-side offer and sends `connect`; the reply carries the agent's answer and WhatsApp's call id.
   * `waCallId` is a placeholder until `connect` returns the real one.
   */
  z.object({
    type: z.literal("call.outgoing"),
    ...callRef,
    orgId: z.string(),
    accountId: z.string(),
    agentId: z.string(),
    to: z.string().min(1),
    sdp: z.string().min(1),
    receivedAt: z.number(),
  }),
  z.object({ type: z.literal("call.terminated"), ...callRef, reason: z.string() }),
  z.object({ type: z.literal("call.status"), ...callRef, status: z.enum(["RINGING", "ACCEPTED", "REJECTED"]) }),
  z.object({ type: z.literal("call.answer_sdp"), ...callRef, sdp: z.string().min(1) }),
  z.object({ type: z.literal("call.hangup"), ...callRef, by: z.enum(["agent", "system"]), reason: z.string().optional() }),
  /** The agent who claimed the transfer sends their SDP offer; the reply carries the gateway's answer. */
  z.object({ type: z.literal("agent.connect"), ...callRef, transferId: z.string(), agentId: z.string(), sdp: z.string().min(1) }),
  /**
   * The agent on a bridged call comes back from a new page (a reload, another window): the gateway
   * answers this offer with a new leg and moves the bridge onto it. Without `force`, a leg still
   * carrying the agent's audio is left alone and the reply says so (`inUse`).
   */
  z.object({ type: z.literal("agent.rejoin"), ...callRef, agentId: z.string(), sdp: z.string().min(1), force: z.boolean(), window: z.string().optional() }),
  z.object({ type: z.literal("call.hold"), ...callRef }),
  z.object({ type: z.literal("call.resume"), ...callRef }),
]);
export type GatewayCommand = z.infer<typeof gatewayCommandSchema>;

/** Envelope on a gateway's inbox; `replyTo` is set for request/reply. */
export const envelopeSchema = z.object({
  id: z.string().min(1),
  sentAt: z.number(),
  replyTo: z.string().optional(),
  command: gatewayCommandSchema,
});
export type Envelope = z.infer<typeof envelopeSchema>;

export const replySchema = z.object({
  id: z.string(),
  ok: z.boolean(),
  result: z.unknown().optional(),
  error: z.string().optional(),
});
export type Reply = z.infer<typeof replySchema>;

/** The gateway's reply to `call.outgoing`: the agent's SDP answer, or Meta's refusal of `connect`. */
export const outgoingReplySchema = z.union([
  z.object({ sdp: z.string(), waCallId: z.string() }),
  z.object({ refused: z.object({ code: z.number().nullable(), message: z.string() }) }),
]);
export type OutgoingReply = z.infer<typeof outgoingReplySchema>;

/** The gateway's reply to `agent.rejoin`. `bridgedAt`: epoch ms the call was bridged; null while an outgoing call rings. */
export const rejoinReplySchema = z.union([
  z.object({ sdp: z.string(), status: z.enum(["dialing", "in_call", "on_hold"]), bridgedAt: z.number().nullable() }),
  z.object({ inUse: z.literal(true) }),
]);
export type RejoinReply = z.infer<typeof rejoinReplySchema>;

export const keys = {
  registry: "rf:gateways",
  gateway: (id: string) => `rf:gw:${id}`,
  inbox: (id: string) => `rf:gw:${id}:inbox`,
  /** Sorted set of the calls a gateway holds (score: when assigned); the web tier admits against it. */
  calls: (id: string) => `rf:gw:${id}:calls`,
  /** Sorted set of the calls assigned to a gateway and not yet answered (score: when assigned). */
  setups: (id: string) => `rf:gw:${id}:setups`,
  owner: (callId: string) => `rf:call:${callId}:owner`,
  reply: (requestId: string) => `rf:reply:${requestId}`,
  /** When a reaper first saw this gateway's heartbeat missing. */
  suspect: (id: string) => `rf:gw:${id}:suspect`,
  /** Set when a gateway was reaped: its calls were ended at WhatsApp and in the log. */
  fenced: (id: string) => `rf:gw:${id}:fenced`,
};

export const HEARTBEAT_TTL_MS = 5_000;
export const OWNER_TTL_SECS = 6 * 60 * 60;
