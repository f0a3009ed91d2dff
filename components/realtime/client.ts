// One Pusher connection per browser tab, shared by the call panel and live pages. Loaded lazily so
// pages without realtime never download pusher-js.
import type Pusher from "pusher-js";

/** What the server passes to the browser (lib/realtime `publicRealtimeConfig()`); never the secret. */
export interface RealtimeConfig {
  key: string;
  host?: string;
  port?: number;
  useTLS: boolean;
  cluster: string;
}

let shared: Promise<Pusher> | null = null;

export function pusherClient(config: RealtimeConfig): Promise<Pusher> {
  shared ??= import("pusher-js").then(
    ({ default: PusherJS }) =>
      new PusherJS(config.key, {
        cluster: config.cluster,
        forceTLS: config.useTLS,
        channelAuthorization: { endpoint: "/api/pusher/auth", transport: "ajax" },
        ...(config.host ? { wsHost: config.host, wsPort: config.port, wssPort: config.port, enabledTransports: ["ws", "wss"] } : {}),
      }),
  );
  return shared;
}

/** The first wait before subscribing again after a failed subscription; doubled each time up to 30 s. */
const RESUBSCRIBE_MS = 2_000;

/**
 * Binds `handler` to `event` on `channel` (subscribing if needed); returns the unbind function. A
 * subscription that fails (its authorisation request, say, on a loaded server) is tried again: the
 * channel would otherwise stay deaf for the life of the tab, and the page would never update by itself.
 */
export function onChannelEvent(config: RealtimeConfig, channel: string, event: string, handler: (data: unknown) => void): () => void {
  let stopped = false;
  let off = () => {};
  pusherClient(config)
    .then((pusher) => {
      if (stopped) return;
      // subscribe() hands back the channel already there, and subscribes it again if an earlier try failed.
      const ch = pusher.subscribe(channel);
      let wait = RESUBSCRIBE_MS;
      let retry: ReturnType<typeof setTimeout> | undefined;
      const failed = () => {
        clearTimeout(retry);
        retry = setTimeout(() => {
          if (!stopped) pusher.subscribe(channel);
        }, wait);
        wait = Math.min(wait * 2, 30_000);
      };
      const subscribed = () => {
        wait = RESUBSCRIBE_MS;
      };
      ch.bind(event, handler);
      ch.bind("pusher:subscription_error", failed);
      ch.bind("pusher:subscription_succeeded", subscribed);
      off = () => {
        clearTimeout(retry);
        ch.unbind(event, handler);
        ch.unbind("pusher:subscription_error", failed);
        ch.unbind("pusher:subscription_succeeded", subscribed);
      };
    })
    .catch(() => {
      // Without realtime the page still works; it just does not update by itself.
    });
  return () => {
    stopped = true;
    off();
  };
}
