// The panel's realtime subscriptions on the tab's one Pusher connection: this user's private channel
// (offers, withdrawals, call state) and the organisation's presence channel. Every payload is parsed
// with the shared contract before use.
import { callMovedSchema, callUpdatedSchema, channels, events, offerSchema, withdrawnSchema } from "@/lib/agents/contract";
import { pusherClient, type RealtimeConfig } from "../realtime/client";
import type { PanelEvent } from "./reducer";

export type { RealtimeConfig };

export interface RealtimeHandlers {
  onEvent(event: PanelEvent): void;
  /** Called on every (re)connection: whatever was published while we were away is lost, so re-read. */
  onConnected(): void;
}

/** Subscribes in the background; the returned function unsubscribes (safe before the connection exists). */
export function connectRealtime(config: RealtimeConfig, ids: { userId: string; orgId: string }, handlers: RealtimeHandlers): () => void {
  let stopped = false;
  let disconnect = () => {};
  pusherClient(config)
    .then((pusher) => {
      if (stopped) return;
      const onConnected = () => handlers.onConnected();
      pusher.connection.bind("connected", onConnected);
      if (pusher.connection.state === "connected") onConnected();
      const mine = pusher.subscribe(channels.user(ids.userId));
      mine.bind(events.transferOffered, (data: unknown) => {
        const offer = offerSchema.safeParse(data);
        if (offer.success) handlers.onEvent({ type: "transfer.offered", offer: offer.data });
      });
      mine.bind(events.transferWithdrawn, (data: unknown) => {
        const w = withdrawnSchema.safeParse(data);
        if (w.success) handlers.onEvent({ type: "transfer.withdrawn", transferId: w.data.transferId });
      });
      mine.bind(events.callUpdated, (data: unknown) => {
        const u = callUpdatedSchema.safeParse(data);
        if (u.success) handlers.onEvent({ type: "call.updated", ...u.data });
      });
      mine.bind(events.callMoved, (data: unknown) => {
        const m = callMovedSchema.safeParse(data);
        if (m.success) handlers.onEvent({ type: "call.moved", ...m.data });
      });
      // Presence tells colleagues (and the server) which agents have a panel open.
      const presence = channels.presence(ids.orgId);
      pusher.subscribe(presence);
      disconnect = () => {
        pusher.connection.unbind("connected", onConnected);
        pusher.unsubscribe(channels.user(ids.userId));
        pusher.unsubscribe(presence);
      };
    })
    .catch(() => {
      // Without realtime the panel still works: it polls what rings and hears call state from route replies.
    });
  return () => {
    stopped = true;
    disconnect();
  };
}
