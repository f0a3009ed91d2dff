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

type Channel = ReturnType<Pusher["subscribe"]>;

/** What this tab knows of one channel, whichever page binds to it (pages come and go, the channel stays). */
interface ChannelWatch {
  /** A subscription has failed or succeeded before: one succeeding now may have missed events. */
  settled: boolean;
  /** The bindings' `onMissed` callbacks and how many bindings there are. */
  missed: Set<() => void>;
  bindings: number;
  retry?: ReturnType<typeof setTimeout>;
  wait: number;
}

const watches = new WeakMap<Channel, ChannelWatch>();

function watch(pusher: Pusher, name: string, channel: Channel): ChannelWatch {
  const known = watches.get(channel);
  if (known) return known;
  const w: ChannelWatch = { settled: channel.subscribed, missed: new Set(), bindings: 0, wait: RESUBSCRIBE_MS };
  channel.bind("pusher:subscription_error", () => {
    w.settled = true;
    clearTimeout(w.retry);
    w.retry = setTimeout(() => {
      if (w.bindings > 0) pusher.subscribe(name);
    }, w.wait);
    w.wait = Math.min(w.wait * 2, 30_000);
  });
  channel.bind("pusher:subscription_succeeded", () => {
    w.wait = RESUBSCRIBE_MS;
    if (w.settled) for (const missed of [...w.missed]) missed();
    w.settled = true;
  });
  watches.set(channel, w);
  return w;
}

/**
 * Binds `handler` to `event` on `channel` (subscribing if needed); returns the unbind function. A
 * subscription that fails (its authorisation request, say, on a loaded server) is tried again: the
 * channel would otherwise stay deaf for the life of the tab, and the page would never update by itself.
 * Events published while the channel was not subscribed (before such a retry succeeds, or while the
 * connection was down: pusher-js subscribes again on reconnection) are not replayed by the server, so
 * `onMissed` runs each time the channel is subscribed after a failed or an earlier subscription, whichever
 * binding saw it: the page re-reads what it shows.
 */
export function onChannelEvent(config: RealtimeConfig, channel: string, event: string, handler: (data: unknown) => void, onMissed?: () => void): () => void {
  let stopped = false;
  let off = () => {};
  pusherClient(config)
    .then((pusher) => {
      if (stopped) return;
      // subscribe() hands back the channel already there, and subscribes it again if an earlier try failed.
      const ch = pusher.subscribe(channel);
      const w = watch(pusher, channel, ch);
      // A wrapper of its own, so that two bindings sharing one callback are added and removed apart.
      const missed = () => onMissed?.();
      w.bindings++;
      w.missed.add(missed);
      ch.bind(event, handler);
      off = () => {
        w.bindings--;
        w.missed.delete(missed);
        ch.unbind(event, handler);
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
