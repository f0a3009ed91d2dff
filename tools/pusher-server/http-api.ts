// The Pusher HTTP API subset the `pusher` server SDK uses: signed POST /apps/{id}/events and
// /batch_events (delivered to subscribers), GET channel info and presence users, and a health check.
import type http from "node:http";
import { type ChannelRegistry, isPresence, isValidChannelName } from "./channels";
import type { ServerLog } from "./connection";
import { type AppCredentials, safeDecode, verifyApiRequest } from "./signature";

export const MAX_BODY_BYTES = 256 * 1024;
/** Pusher's default limits: event data size, channels per trigger, events per batch. */
export const MAX_DATA_BYTES = 10 * 1024;
const MAX_CHANNELS = 100;
const MAX_BATCH = 10;
const SOCKET_ID = /^\d+\.\d+$/;

export interface ApiContext {
  app: AppCredentials;
  registry: ChannelRegistry;
  log: ServerLog;
  /** Sends one event to a channel's subscribers, except `exceptSocketId`. */
  deliver(channel: string, event: string, data: string, exceptSocketId?: string): void;
}

interface ApiEvent {
  channels: string[];
  name: string;
  data: string;
  socketId?: string;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const tooLarge = () => reject(new HttpError(413, "Request body too large"));
    if (Number(req.headers["content-length"] ?? 0) > MAX_BODY_BYTES) return tooLarge();
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge();
      else chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** Validates one event the way Pusher does (name, string data within the size limit, channels, socket_id). */
function toEvent(raw: unknown): ApiEvent {
  if (!raw || typeof raw !== "object") throw new HttpError(400, "Event must be an object");
  const e = raw as Record<string, unknown>;
  const channels = Array.isArray(e.channels) ? e.channels : e.channel !== undefined ? [e.channel] : [];
  if (channels.length === 0 || channels.length > MAX_CHANNELS) throw new HttpError(400, `Give 1 to ${MAX_CHANNELS} channels`);
  if (!channels.every(isValidChannelName)) throw new HttpError(400, "Invalid channel name");
  if (typeof e.name !== "string" || e.name.length === 0 || e.name.length > 200) throw new HttpError(400, "Invalid event name");
  if (typeof e.data !== "string") throw new HttpError(400, "Event data must be a string");
  if (Buffer.byteLength(e.data) > MAX_DATA_BYTES) throw new HttpError(413, `Event data is larger than ${MAX_DATA_BYTES} bytes`);
  if (e.socket_id !== undefined && (typeof e.socket_id !== "string" || !SOCKET_ID.test(e.socket_id))) {
    throw new HttpError(400, "Invalid socket_id");
  }
  return { channels, name: e.name, data: e.data, socketId: e.socket_id as string | undefined };
}

function parseJson(body: Buffer): Record<string, unknown> {
  try {
    const value = JSON.parse(body.toString("utf8"));
    if (value && typeof value === "object" && !Array.isArray(value)) return value;
  } catch {
    // answered below
  }
  throw new HttpError(400, "Body must be a JSON object");
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  res.writeHead(status, { "content-type": typeof body === "string" ? "text/plain; charset=utf-8" : "application/json" });
  res.end(text);
}

async function route(req: http.IncomingMessage, ctx: ApiContext): Promise<[number, unknown]> {
  const url = new URL(req.url ?? "/", "http://localhost");
  const method = req.method ?? "GET";
  // Liveness and readiness are the same here: the server depends on nothing but itself.
  if (method === "GET" && ["/", "/healthz", "/readyz"].includes(url.pathname)) return [200, { ok: true }];
  const m = /^\/apps\/([^/]+)(\/.*)$/.exec(url.pathname);
  if (!m) throw new HttpError(404, "Not found");
  if (safeDecode(m[1]!) !== ctx.app.appId) throw new HttpError(404, "Unknown app");
  const body = await readBody(req);
  const rawQuery = (req.url ?? "").split("?")[1] ?? "";
  const authError = verifyApiRequest(ctx.app, method, url.pathname, rawQuery, body);
  if (authError) throw new HttpError(401, authError);

  const sub = m[2]!;
  if (method === "POST" && sub === "/events") {
    const event = toEvent(parseJson(body));
    for (const channel of event.channels) ctx.deliver(channel, event.name, event.data, event.socketId);
    return [200, {}];
  }
  if (method === "POST" && sub === "/batch_events") {
    const batch = parseJson(body).batch;
    if (!Array.isArray(batch) || batch.length === 0 || batch.length > MAX_BATCH) throw new HttpError(400, `batch must hold 1 to ${MAX_BATCH} events`);
    const events = batch.map((e) => {
      const event = toEvent(e);
      if (event.channels.length !== 1) throw new HttpError(400, "Each batch event names one channel");
      return event;
    });
    for (const e of events) ctx.deliver(e.channels[0]!, e.name, e.data, e.socketId);
    return [200, {}];
  }
  const channelPath = /^\/channels\/([^/]+)(\/users)?$/.exec(sub);
  if (method === "GET" && channelPath) {
    const channel = safeDecode(channelPath[1]!);
    if (!isValidChannelName(channel)) throw new HttpError(400, "Invalid channel name");
    if (channelPath[2]) {
      if (!isPresence(channel)) throw new HttpError(400, "Users are only available for presence channels");
      return [200, { users: ctx.registry.presence(channel).ids.map((id) => ({ id })) }];
    }
    const info = (url.searchParams.get("info") ?? "").split(",");
    const subscriptions = ctx.registry.subscriptionCount(channel);
    return [
      200,
      {
        occupied: subscriptions > 0,
        ...(info.includes("subscription_count") ? { subscription_count: subscriptions } : {}),
        ...(info.includes("user_count") && isPresence(channel) ? { user_count: ctx.registry.memberCount(channel) } : {}),
      },
    ];
  }
  throw new HttpError(404, "Not found");
}

/** Answers one HTTP request; errors are plain text with Pusher's status codes. */
export async function handleHttp(req: http.IncomingMessage, res: http.ServerResponse, ctx: ApiContext): Promise<void> {
  try {
    const [status, body] = await route(req, ctx);
    send(res, status, body);
  } catch (err) {
    if (err instanceof HttpError) {
      if (err.status === 401) ctx.log.warn({ path: req.url?.split("?")[0], reason: err.message }, "rejected unsigned or badly signed API request");
      send(res, err.status, err.message);
    } else {
      ctx.log.warn({ err }, "API request failed");
      send(res, 500, "Internal error");
    }
  }
}
