// Our Pusher-protocol server against the real clients: pusher-js (Node build) over WebSocket and
// the `pusher` server SDK over the signed HTTP API, on loopback.
import Pusher from "pusher";
import PusherJS, { type Channel, type PresenceChannel } from "pusher-js";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { AppError } from "../../lib/errors";
import { authorizeChannel } from "../../lib/realtime/auth";
import type { PusherServer } from "../../tools/pusher-server/server";
import { startPusherServer, testPusherApp } from "../helpers/realtime";

const app = testPusherApp();
const WAIT_MS = 2_000;
let server: PusherServer;
let port: number;
let sdk: Pusher;
const clients: PusherJS[] = [];
const sockets: WebSocket[] = [];

function within<T>(what: string, promise: Promise<T>, ms = WAIT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A pusher-js client for `userId` in org `orgId`, authorised by lib/realtime/auth.ts (or `sign`). */
async function connect(userId: string, orgId = "org-a", sign?: (socketId: string, channel: string) => { auth: string }): Promise<PusherJS> {
  const client = new PusherJS(app.key, {
    cluster: "mt1",
    wsHost: "127.0.0.1",
    wsPort: port,
    forceTLS: false,
    enabledTransports: ["ws"],
    channelAuthorization: {
      customHandler: ({ socketId, channelName }, callback) => {
        try {
          callback(null, sign ? sign(socketId, channelName) : authorizeChannel({ socketId, channel: channelName, userId, orgId, userName: `Name ${userId}` }));
        } catch (err) {
          callback(err as Error, null);
        }
      },
    },
  });
  clients.push(client);
  await within("pusher-js to connect", new Promise<void>((resolve) => client.connection.bind("connected", () => resolve())));
  return client;
}

function subscribed(client: PusherJS, name: string): Promise<Channel> {
  const channel = client.subscribe(name);
  return within(
    `subscription to ${name}`,
    new Promise<Channel>((resolve, reject) => {
      channel.bind("pusher:subscription_succeeded", () => resolve(channel));
      channel.bind("pusher:subscription_error", (e: unknown) => reject(new Error(`subscription error ${JSON.stringify(e)}`)));
    }),
  );
}

/** Every event `channel` receives, in order (pusher-js parses the JSON data for us). */
function record(channel: Channel): { name: string; data: unknown }[] {
  const seen: { name: string; data: unknown }[] = [];
  channel.bind_global((name: string, data: unknown) => {
    if (!name.startsWith("pusher:")) seen.push({ name, data });
  });
  return seen;
}

function nextEvent(channel: Channel, name: string): Promise<unknown> {
  return within(`${name} on ${channel.name}`, new Promise((resolve) => channel.bind(name, resolve)));
}

function rawSocket(path: string): Promise<{ ws: WebSocket; messages: { event: string; data: unknown }[]; closed: Promise<number> }> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`);
  sockets.push(ws);
  const messages: { event: string; data: unknown }[] = [];
  ws.on("message", (raw) => messages.push(JSON.parse(raw.toString())));
  const closed = new Promise<number>((resolve) => ws.on("close", (code) => resolve(code)));
  return within("raw websocket to open", new Promise((resolve) => ws.on("open", () => resolve({ ws, messages, closed }))));
}

async function until(what: string, check: () => boolean): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

beforeAll(async () => {
  const started = await startPusherServer(0);
  server = started.server;
  port = started.port;
  sdk = new Pusher({ appId: app.appId, key: app.key, secret: app.secret, host: "127.0.0.1", port: String(port), useTLS: false });
});

afterEach(() => {
  for (const c of clients.splice(0)) c.disconnect();
  for (const s of sockets.splice(0)) s.terminate();
});

afterAll(async () => {
  await server.close();
  await server.close();
});

describe("pusher-server WebSocket protocol", () => {
  it("greets with a socket id and activity timeout, survives junk, answers pings, refuses unknown app keys", async () => {
    const { ws, messages } = await rawSocket(`/app/${app.key}?protocol=7&client=js&version=8.6.0`);
    await until("connection_established", () => messages.length > 0);
    expect(messages[0]!.event).toBe("pusher:connection_established");
    const data = JSON.parse(messages[0]!.data as string);
    expect(data).toEqual({ socket_id: expect.stringMatching(/^\d+\.\d+$/), activity_timeout: 30 });
    for (const junk of ["null", "not json", '{"event":"pusher:subscribe","data":null}']) ws.send(junk);
    ws.send(JSON.stringify({ event: "pusher:ping", data: {} }));
    await until("pong", () => messages.some((m) => m.event === "pusher:pong"));
    expect(messages.map((m) => m.event)).toEqual(["pusher:connection_established", "pusher:error", "pusher:error", "pusher:subscription_error", "pusher:pong"]);

    const bad = await rawSocket("/app/not-our-key?protocol=7");
    expect(await within("close", bad.closed)).toBe(4001);
    expect(bad.messages[0]).toMatchObject({ event: "pusher:error", data: { code: 4001 } });
  });

  it("delivers a server-triggered event to a private channel subscriber", async () => {
    const client = await connect("u1");
    const channel = await subscribed(client, "private-user-u1");
    const arrived = nextEvent(channel, "transfer.offered");
    await sdk.trigger("private-user-u1", "transfer.offered", { transferId: "t1", callId: "c1" });
    expect(await arrived).toEqual({ transferId: "t1", callId: "c1" });
  });

  it("refuses a private subscription signed with the wrong secret and delivers nothing to it", async () => {
    const forged = new Pusher({ appId: app.appId, key: app.key, secret: "not-the-secret", cluster: "mt1" });
    const client = await connect("u1", "org-a", (socketId, channel) => forged.authorizeChannel(socketId, channel));
    const channel = client.subscribe("private-user-u1");
    const seen = record(channel);
    const error = await nextEvent(channel, "pusher:subscription_error");
    expect(error).toMatchObject({ type: "AuthError", status: 401 });
    await sdk.trigger("private-user-u1", "transfer.offered", { transferId: "t2" });
    const info = (await (await sdk.get({ path: "/channels/private-user-u1", params: { info: "subscription_count" } })).json()) as object;
    expect(info).toEqual({ occupied: false, subscription_count: 0 });
    expect(seen).toEqual([]);
  });

  it("lib/realtime/auth refuses channels of other users and other organisations", () => {
    const base = { socketId: "1.2", userId: "u1", orgId: "org-a", userName: "U" };
    for (const channel of ["private-user-u2", "private-org-org-b", "presence-org-org-b", "private-anything", "public"]) {
      expect(() => authorizeChannel({ ...base, channel })).toThrow(expect.objectContaining({ code: "forbidden" }));
    }
    expect(() => authorizeChannel({ ...base, socketId: "nope", channel: "private-user-u1" })).toThrow(AppError);
    const presence = authorizeChannel({ ...base, channel: "presence-org-org-a" });
    expect(JSON.parse(presence.channel_data!)).toEqual({ user_id: "u1", user_info: { name: "U" } });
  });

  it("tracks presence members, counting a user with two sockets once", async () => {
    const a = await connect("ua");
    const chA = (await subscribed(a, "presence-org-org-a")) as PresenceChannel;
    expect(chA.members.count).toBe(1);
    const added: string[] = [];
    const removed: string[] = [];
    chA.bind("pusher:member_added", (m: { id: string }) => added.push(m.id));
    chA.bind("pusher:member_removed", (m: { id: string }) => removed.push(m.id));

    const b1 = await connect("ub");
    const chB = (await subscribed(b1, "presence-org-org-a")) as PresenceChannel;
    expect(chB.members.count).toBe(2);
    expect(chB.members.get("ua")).toEqual({ id: "ua", info: { name: "Name ua" } });
    await until("member_added ub", () => added.length === 1);
    expect(chA.members.get("ub")).toEqual({ id: "ub", info: { name: "Name ub" } });

    const b2 = await connect("ub");
    expect(((await subscribed(b2, "presence-org-org-a")) as PresenceChannel).members.count).toBe(2);
    const users = (await (await sdk.get({ path: "/channels/presence-org-org-a/users" })).json()) as { users: { id: string }[] };
    expect(users.users.map((u) => u.id).sort()).toEqual(["ua", "ub"]);

    b2.disconnect();
    await until("b2's socket to close", () => server.connectionCount === 2);
    b1.disconnect();
    await until("member_removed ub", () => removed.length === 1);
    expect({ added, removed, count: chA.members.count }).toEqual({ added: ["ub"], removed: ["ub"], count: 1 });
  });

  it("leaves out the socket named by socket_id", async () => {
    const one = await connect("u1");
    const two = await connect("u2");
    const seenOne = record(await subscribed(one, "private-org-org-a"));
    const seenTwo = record(await subscribed(two, "private-org-org-a"));
    await sdk.trigger("private-org-org-a", "call.changed", { n: 1 }, { socket_id: one.connection.socket_id });
    await sdk.trigger("private-org-org-a", "call.changed", { n: 2 });
    await until("both events at the second client", () => seenTwo.length === 2);
    await until("the second event at the first client", () => seenOne.length === 1);
    expect(seenOne).toEqual([{ name: "call.changed", data: { n: 2 } }]);
    expect(seenTwo.map((e) => e.data)).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it("delivers batch_events to each event's channel", async () => {
    const client = await connect("u1");
    const user = record(await subscribed(client, "private-user-u1"));
    const org = record(await subscribed(client, "private-org-org-a"));
    await sdk.triggerBatch([
      { channel: "private-user-u1", name: "call.updated", data: { status: "in_call" } },
      { channel: "private-org-org-a", name: "call.changed", data: { id: "c9" } },
    ]);
    await until("both batch events", () => user.length === 1 && org.length === 1);
    expect(user).toEqual([{ name: "call.updated", data: { status: "in_call" } }]);
    expect(org).toEqual([{ name: "call.changed", data: { id: "c9" } }]);
    const tooMany = Array.from({ length: 11 }, () => ({ channel: "private-user-u1", name: "x", data: "{}" }));
    await expect(sdk.triggerBatch(tooMany)).rejects.toMatchObject({ status: 400 });
  });
});

describe("pusher-server HTTP API", () => {
  const eventsPath = () => `/apps/${app.appId}/events`;
  const body = JSON.stringify({ name: "call.changed", channels: ["private-org-org-a"], data: '{"stolen":true}' });

  it("rejects unsigned, badly signed and tampered requests with 401 and delivers nothing", async () => {
    const client = await connect("u1");
    const seen = record(await subscribed(client, "private-org-org-a"));
    const post = (query: string, payload = body) =>
      fetch(`http://127.0.0.1:${port}${eventsPath()}?${query}`, { method: "POST", headers: { "content-type": "application/json" }, body: payload });

    expect((await post("")).status).toBe(401);
    const forged = new Pusher({ appId: app.appId, key: app.key, secret: "wrong", host: "127.0.0.1", port: String(port), useTLS: false });
    await expect(forged.trigger("private-org-org-a", "call.changed", { stolen: true })).rejects.toMatchObject({ status: 401 });
    const signed = sdk.createSignedQueryString({ method: "POST", path: eventsPath(), body });
    expect((await post(signed, body.replace("org-a", "org-b"))).status).toBe(401);
    const stale = sdk.createSignedQueryString({ method: "POST", path: eventsPath(), body }).replace(/auth_timestamp=\d+/, "auth_timestamp=1000");
    expect((await post(stale)).status).toBe(401);

    // Events on one socket arrive in order, so a marker sent last proves nothing came before it.
    await sdk.trigger("private-org-org-a", "marker", {});
    await until("the marker", () => seen.length > 0);
    expect(seen).toEqual([{ name: "marker", data: {} }]);
    expect((await post(signed)).status).toBe(200);
  });

  it("answers health checks, 400 for bad JSON, 413 for oversized bodies, 404 for other apps", async () => {
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
    const send = (payload: string, path = eventsPath()) =>
      fetch(`http://127.0.0.1:${port}${path}?${sdk.createSignedQueryString({ method: "POST", path, body: payload })}`, { method: "POST", body: payload });
    expect((await send("{not json")).status).toBe(400);
    expect((await send(JSON.stringify({ name: "x", channel: "bad channel!", data: "{}" }))).status).toBe(400);
    expect((await send(JSON.stringify({ name: "x", channel: "c", data: "x".repeat(300 * 1024) }))).status).toBe(413);
    expect((await send(body, "/apps/someone-else/events")).status).toBe(404);
  });
});
