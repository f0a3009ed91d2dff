// Browser notifications through the Pusher Channels protocol: real Pusher by config, or our own
// Pusher-protocol server in dev, demo and tests. Publishing is best effort: a realtime outage
// never fails a call or a request (clients also poll what matters, e.g. GET /api/agent/offers).
import Pusher from "pusher";
import { type Config, config } from "../config";
import { logger } from "../log";

const globalForPusher = globalThis as unknown as { ringflowPusher?: Pusher | null };

function pusherOptions(p: Config["pusher"]) {
  if (!p.app_id || !p.key || !p.secret) return null;
  return {
    appId: p.app_id,
    key: p.key,
    secret: p.secret,
    useTLS: p.use_tls,
    ...(p.host ? { host: p.host, port: p.port ? String(p.port) : undefined } : { cluster: p.cluster }),
  };
}

/** The server SDK client, or null when `[pusher]` is not configured. */
export function pusher(): Pusher | null {
  if (globalForPusher.ringflowPusher === undefined) {
    const opts = pusherOptions(config().pusher);
    globalForPusher.ringflowPusher = opts ? new Pusher(opts) : null;
  }
  return globalForPusher.ringflowPusher;
}

// While the realtime server is down every publish fails: log one line per 10 s (with how many were
// dropped) instead of a stack per event, which slowed the webhook path ~4× in bench/webhook-latency.
const FAILURE_LOG_EVERY_MS = 10_000;
let lastFailureLog = 0;
let unlogged = 0;

function publishFailed(err: unknown, channel: string, event: string) {
  const now = Date.now();
  if (now - lastFailureLog < FAILURE_LOG_EVERY_MS) {
    unlogged += 1;
    return;
  }
  logger.warn({ error: (err as Error).message, channel, event, alsoFailedSinceLastLog: unlogged }, "realtime publish failed");
  lastFailureLog = now;
  unlogged = 0;
}

/** Sends one event to one channel; logs and swallows failures. */
export async function publish(channel: string, event: string, data: unknown): Promise<void> {
  const client = pusher();
  if (!client) return;
  try {
    await client.trigger(channel, event, data);
  } catch (err) {
    publishFailed(err, channel, event);
  }
}

/** Sends the same event to several channels (Pusher allows up to 100 per request). */
export async function publishMany(channelNames: string[], event: string, data: unknown): Promise<void> {
  const client = pusher();
  if (!client || channelNames.length === 0) return;
  for (let i = 0; i < channelNames.length; i += 100) {
    try {
      await client.trigger(channelNames.slice(i, i + 100), event, data);
    } catch (err) {
      publishFailed(err, channelNames[i] ?? "", event);
    }
  }
}

/** What a browser needs to connect (never the secret). Null when realtime is not configured. */
export function publicRealtimeConfig(): { key: string; host?: string; port?: number; useTLS: boolean; cluster: string } | null {
  const p = config().pusher;
  if (!p.app_id || !p.key || !p.secret) return null;
  return { key: p.key, host: p.public_host ?? p.host, port: p.public_port ?? p.port, useTLS: p.use_tls, cluster: p.cluster };
}
