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

/** Binds `handler` to `event` on `channel` (subscribing if needed); returns the unbind function. */
export function onChannelEvent(config: RealtimeConfig, channel: string, event: string, handler: (data: unknown) => void): () => void {
  let stopped = false;
  let off = () => {};
  pusherClient(config)
    .then((pusher) => {
      if (stopped) return;
      const ch = pusher.channel(channel) ?? pusher.subscribe(channel);
      ch.bind(event, handler);
      off = () => ch.unbind(event, handler);
    })
    .catch(() => {
      // Without realtime the page still works; it just does not update by itself.
    });
  return () => {
    stopped = true;
    off();
  };
}
