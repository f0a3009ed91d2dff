// Second half of the webhook: act on one persisted event. Each handler is idempotent.
import { logger } from "../../log";
import { type CallItem, callItemSchema, contactSchema, messageItemSchema, statusItemSchema } from "../webhook-schema";
import type { HandOffWatch } from "./hand-off-watch";
import { handleIncomingConnect } from "./incoming-call";
import { handlePermissionReply, handleStatus, handleTerminate } from "./call-events";
import { markProcessed } from "./event-rows";

const log = logger.child({ component: "webhook" });

export interface StoredEvent {
  id: string;
  accountId: string;
  dedupeKey: string;
  payload: { kind: string; item: unknown; contacts?: unknown[]; metadata?: unknown };
}

/**
 * `receivedAt`: when the webhook that carried it arrived (epoch ms). `watch`: the hand-off watch of the
 * call it starts, running since the webhook arrived (it may have rejected the call already).
 */
export async function processEvent(event: StoredEvent, receivedAt = Date.now(), watch?: HandOffWatch): Promise<void> {
  let errorText: string | null = null;
  try {
    await dispatch(event, receivedAt, watch);
  } catch (err) {
    errorText = (err as Error).message;
    log.error({ err, eventId: event.id, dedupeKey: event.dedupeKey }, "webhook event processing failed");
  }
  await markProcessed(event.id, errorText);
}

async function dispatch(event: StoredEvent, receivedAt: number, watch?: HandOffWatch) {
  const { kind, item } = event.payload;
  if (kind === "call") {
    const call: CallItem = callItemSchema.parse(item);
    const contacts = (event.payload.contacts ?? []).flatMap((c) => {
      const p = contactSchema.safeParse(c);
      return p.success ? [p.data] : [];
    });
    if (call.event === "terminate") return handleTerminate(event.accountId, call);
    if (call.direction === "BUSINESS_INITIATED" || call.session?.sdp_type === "answer") {
      return handleStatus(event.accountId, call.id, { type: "answer", sdp: call.session?.sdp }, call.biz_opaque_callback_data);
    }
    return handleIncomingConnect(event.accountId, call, contacts, receivedAt, watch);
  }
  if (kind === "status") {
    const s = statusItemSchema.parse(item);
    return handleStatus(event.accountId, s.id, { type: "status", status: s.status }, s.biz_opaque_callback_data);
  }
  if (kind === "permission_reply") return handlePermissionReply(event.accountId, messageItemSchema.parse(item));
}
