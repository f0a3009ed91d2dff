// PusherServer: a small Pusher Channels server for dev, demo and tests (WebSocket protocol 7 on
// /app/{key} plus the signed HTTP events API), one app, everything in memory.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";
import { ChannelRegistry } from "./channels";
import { ClientConnection, frame, type ServerLog } from "./connection";
import { handleHttp } from "./http-api";
import { type AppCredentials, safeDecode } from "./signature";

/** Pusher's own limit on one WebSocket message from a client. */
const MAX_CLIENT_MESSAGE_BYTES = 64 * 1024;
const SWEEP_MS = 60_000;
const SUPPORTED_PROTOCOLS = new Set(["5", "6", "7"]);

const silent: ServerLog = { debug() {}, info() {}, warn() {} };

export interface PusherServerOptions extends AppCredentials {
  /** A pino logger (or anything with debug/info/warn); silent when omitted. */
  log?: ServerLog;
}

export class PusherServer {
  private readonly app: AppCredentials;
  private readonly log: ServerLog;
  private readonly registry = new ChannelRegistry();
  private readonly connections = new Set<ClientConnection>();
  private readonly http: http.Server;
  private readonly wss: WebSocketServer;
  private sweepTimer: NodeJS.Timeout | undefined;
  private closing: Promise<void> | undefined;

  constructor({ appId, key, secret, log }: PusherServerOptions) {
    this.app = { appId, key, secret };
    this.log = log ?? silent;
    const ctx = { app: this.app, registry: this.registry, log: this.log, deliver: this.deliver.bind(this) };
    this.http = http.createServer((req, res) => void handleHttp(req, res, ctx));
    this.wss = new WebSocketServer({ noServer: true, maxPayload: MAX_CLIENT_MESSAGE_BYTES });
    this.http.on("upgrade", (req, socket, head) => {
      if (this.closing) return socket.destroy();
      this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, req.url ?? "/"));
    });
  }

  /** Listens on `port` (0 picks a free one) and resolves with the bound port. */
  listen(port: number, host = "127.0.0.1"): Promise<number> {
    return new Promise((resolve, reject) => {
      this.http.once("error", reject);
      this.http.listen(port, host, () => {
        this.http.off("error", reject);
        this.sweepTimer = setInterval(() => {
          for (const c of this.connections) c.sweep();
        }, SWEEP_MS);
        this.sweepTimer.unref();
        resolve((this.http.address() as AddressInfo).port);
      });
    });
  }

  /** Number of open client connections (for tests and logs). */
  get connectionCount(): number {
    return this.connections.size;
  }

  /** Closes every client socket, then the listener. Safe to call more than once. */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      clearInterval(this.sweepTimer);
      for (const c of this.connections) c.close();
      this.connections.clear();
      this.registry.clear();
      for (const ws of this.wss.clients) ws.terminate();
      this.wss.close();
      this.http.closeAllConnections();
      if (!this.http.listening) return resolve();
      this.http.close(() => resolve());
    });
    return this.closing;
  }

  private deliver(channel: string, event: string, data: string, exceptSocketId?: string): void {
    const message = frame(event, data, channel);
    for (const sub of this.registry.subscribers(channel)) if (sub.socketId !== exceptSocketId) sub.send(message);
  }

  private accept(ws: WebSocket, rawUrl: string): void {
    let url: URL;
    try {
      url = new URL(rawUrl, "http://localhost");
    } catch {
      ws.close(4001, "Invalid path");
      return;
    }
    const key = /^\/app\/([^/]+)$/.exec(url.pathname)?.[1];
    // Pusher reports handshake errors as pusher:error followed by a close with the same code.
    const refuse = (code: number, message: string) => {
      this.log.info({ path: url.pathname, code }, "refused websocket connection");
      ws.send(frame("pusher:error", { code, message }));
      ws.close(code, message);
    };
    if (key === undefined || safeDecode(key) !== this.app.key) {
      refuse(4001, `App key ${key ?? ""} does not exist`);
      return;
    }
    if (!SUPPORTED_PROTOCOLS.has(url.searchParams.get("protocol") ?? "")) {
      refuse(4007, "Unsupported protocol version");
      return;
    }
    const connection = new ClientConnection(ws, { app: this.app, registry: this.registry, log: this.log });
    this.connections.add(connection);
    ws.on("close", () => this.connections.delete(connection));
    this.log.debug({ socketId: connection.socketId }, "client connected");
  }
}
