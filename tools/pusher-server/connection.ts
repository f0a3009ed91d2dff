// One client WebSocket speaking Pusher protocol 7: handshake, ping/pong, (un)subscribe with
// private/presence auth checks, and presence member_added/member_removed to the other members.
import { randomInt } from "node:crypto";
import type { WebSocket } from "ws";
import { type ChannelRegistry, isPresence, isPrivate, isValidChannelName, type Subscriber } from "./channels";
import { type AppCredentials, verifyChannelAuth } from "./signature";

/** Seconds of silence after which pusher-js pings us (it takes the smaller of ours and its own). */
export const ACTIVITY_TIMEOUT_SECS = 30;

export interface ServerLog {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

interface PresenceMember {
  userId: string;
  info: unknown;
}

export interface ConnectionContext {
  app: AppCredentials;
  registry: ChannelRegistry;
  log: ServerLog;
}

/** A protocol frame: `data` is a JSON string for events, an object for pusher:error (as Pusher does). */
export function frame(event: string, data: unknown, channel?: string): string {
  return JSON.stringify(channel === undefined ? { event, data } : { event, channel, data });
}

function parseData(data: unknown): Record<string, unknown> {
  if (typeof data === "string") {
    try {
      data = JSON.parse(data);
    } catch {
      return {};
    }
  }
  return data && typeof data === "object" ? (data as Record<string, unknown>) : {};
}

export class ClientConnection implements Subscriber {
  readonly socketId = `${randomInt(1, 2 ** 40)}.${randomInt(1, 2 ** 40)}`;
  /** Cleared by the server's idle sweep, set again by any traffic or a pong. */
  alive = true;
  private readonly channels = new Set<string>();
  private closed = false;

  constructor(
    private readonly ws: WebSocket,
    private readonly ctx: ConnectionContext,
  ) {
    ws.on("message", (raw) => this.onMessage(raw.toString()));
    ws.on("pong", () => {
      this.alive = true;
    });
    ws.on("close", () => this.dispose());
    ws.on("error", (err) => ctx.log.debug({ err, socketId: this.socketId }, "websocket error"));
    this.send(frame("pusher:connection_established", JSON.stringify({ socket_id: this.socketId, activity_timeout: ACTIVITY_TIMEOUT_SECS })));
  }

  send(message: string): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(message);
  }

  /** Pings at the WebSocket level; a socket that missed the previous ping is dropped. */
  sweep(): void {
    if (!this.alive) {
      this.ws.terminate();
      return;
    }
    this.alive = false;
    if (this.ws.readyState === this.ws.OPEN) this.ws.ping();
  }

  close(code = 1001, reason = "Server shutting down"): void {
    this.dispose();
    this.ws.close(code, reason);
  }

  private onMessage(raw: string): void {
    this.alive = true;
    let msg: unknown;
    try {
      msg = JSON.parse(raw);
    } catch {
      msg = undefined;
    }
    if (!msg || typeof msg !== "object") {
      this.send(frame("pusher:error", { code: null, message: "Message must be a JSON object" }));
      return;
    }
    const { event: rawEvent, data: rawData } = msg as { event?: unknown; data?: unknown };
    const event = typeof rawEvent === "string" ? rawEvent : "";
    const data = parseData(rawData);
    if (event === "pusher:ping") this.send(frame("pusher:pong", "{}"));
    else if (event === "pusher:subscribe") this.subscribe(data);
    else if (event === "pusher:unsubscribe") this.unsubscribe(String(data.channel ?? ""));
    else if (event.startsWith("client-")) {
      this.send(frame("pusher:error", { code: null, message: "Client events are not enabled on this server" }));
    }
  }

  private reject(channel: unknown, status: number, error: string): void {
    this.ctx.log.debug({ socketId: this.socketId, channel, error }, "subscription refused");
    const type = status === 401 ? "AuthError" : "SubscriptionError";
    this.send(frame("pusher:subscription_error", JSON.stringify({ type, error, status }), String(channel ?? "")));
  }

  /** Checks a subscribe request: the channel name, and for private/presence channels the auth. */
  private check(data: Record<string, unknown>): { channel: string; member?: PresenceMember } | { status: number; error: string } {
    const { channel, auth } = data;
    if (!isValidChannelName(channel)) return { status: 400, error: "Invalid channel name" };
    const badAuth = { status: 401, error: "Invalid signature for this socket and channel" };
    if (isPresence(channel)) {
      const channelData = typeof data.channel_data === "string" ? data.channel_data : undefined;
      if (!channelData || !verifyChannelAuth(this.ctx.app, this.socketId, channel, auth, channelData)) return badAuth;
      const parsed = parseData(channelData);
      const userId = parsed.user_id;
      if ((typeof userId !== "string" || userId === "") && typeof userId !== "number") {
        return { status: 400, error: "channel_data must contain a user_id" };
      }
      return { channel, member: { userId: String(userId), info: parsed.user_info ?? {} } };
    }
    if (isPrivate(channel) && !verifyChannelAuth(this.ctx.app, this.socketId, channel, auth)) return badAuth;
    return { channel };
  }

  private subscribe(data: Record<string, unknown>): void {
    const checked = this.check(data);
    if ("error" in checked) {
      this.reject(data.channel, checked.status, checked.error);
      return;
    }
    const { channel, member } = checked;
    // Subscribing twice on one socket changes nothing and is answered with success again.
    const added = this.ctx.registry.subscribe(channel, this, member);
    this.channels.add(channel);
    const reply = member ? { presence: this.ctx.registry.presence(channel) } : {};
    this.send(frame("pusher_internal:subscription_succeeded", JSON.stringify(reply), channel));
    if (member && added) {
      this.toOthers(channel, frame("pusher_internal:member_added", JSON.stringify({ user_id: member.userId, user_info: member.info }), channel));
    }
  }

  private unsubscribe(channel: string): void {
    if (!this.channels.delete(channel)) return;
    const gone = this.ctx.registry.unsubscribe(channel, this);
    if (gone !== null) this.toOthers(channel, frame("pusher_internal:member_removed", JSON.stringify({ user_id: gone }), channel));
  }

  private toOthers(channel: string, message: string): void {
    for (const sub of this.ctx.registry.subscribers(channel)) if (sub !== this) sub.send(message);
  }

  /** Leaves every channel once, whichever of close() and the socket's close event comes first. */
  private dispose(): void {
    if (this.closed) return;
    this.closed = true;
    for (const channel of [...this.channels]) this.unsubscribe(channel);
  }
}
