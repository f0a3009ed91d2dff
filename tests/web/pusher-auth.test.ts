// /api/pusher/auth over HTTP: who may subscribe to which channel, and that the signatures it hands
// out are accepted by the Pusher-protocol server global setup runs on the test config's port.
import { createHmac } from "node:crypto";
import Pusher from "pusher";
import PusherJS from "pusher-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOrg, createUser } from "../../lib/seed/factories";
import { api, signIn, WEB_URL } from "../helpers/http-session";
import { testPusherApp } from "../helpers/realtime";
import { testDb as db } from "../helpers/test-db";

const PASSWORD = "correct horse battery";
const SOCKET_ID = "1234.5678";
const app = testPusherApp();
let agentA: string;
let userA: { id: string };
let userB: { id: string };
let orgA: { id: string };
let orgB: { id: string };

/** The request pusher-js's ajax authorizer sends: a form post with the session cookie. */
function authRequest(cookie: string | null, channel: string, socketId = SOCKET_ID) {
  return fetch(`${WEB_URL}/api/pusher/auth`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", ...(cookie ? { cookie } : {}) },
    body: new URLSearchParams({ socket_id: socketId, channel_name: channel }).toString(),
  });
}

const signature = (text: string) => `${app.key}:${createHmac("sha256", app.secret).update(text).digest("hex")}`;

beforeAll(async () => {
  orgA = await createOrg(db, { name: "Realtime A" });
  orgB = await createOrg(db, { name: "Realtime B" });
  userA = await createUser(db, orgA.id, { role: "agent", name: "Ana Agent", password: PASSWORD });
  userB = await createUser(db, orgB.id, { role: "agent", password: PASSWORD });
  agentA = await signIn((await db.user.findUniqueOrThrow({ where: { id: userA.id } })).email, PASSWORD);
});

afterAll(() => db.$disconnect());

describe("POST /api/pusher/auth", () => {
  it("answers 401 when not signed in", async () => {
    const res = await authRequest(null, `private-user-${userA.id}`);
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe("unauthenticated");
  });

  it("signs the agent's own user channel and their organisation's channel", async () => {
    const own = await authRequest(agentA, `private-user-${userA.id}`);
    expect(own.status).toBe(200);
    expect(await own.json()).toEqual({ auth: signature(`${SOCKET_ID}:private-user-${userA.id}`) });
    const org = await authRequest(agentA, `private-org-${orgA.id}`);
    expect(org.status).toBe(200);
    expect(await org.json()).toEqual({ auth: signature(`${SOCKET_ID}:private-org-${orgA.id}`) });
  });

  it("forbids another user's channel and another organisation's channels", async () => {
    for (const channel of [`private-user-${userB.id}`, `private-org-${orgB.id}`, `presence-org-${orgB.id}`, "private-anything"]) {
      const res = await authRequest(agentA, channel);
      expect(res.status, channel).toBe(403);
      expect((await res.json()).error.code).toBe("forbidden");
    }
  });

  it("returns presence channel_data with the user's id and name", async () => {
    const res = await authRequest(agentA, `presence-org-${orgA.id}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { auth: string; channel_data: string };
    expect(JSON.parse(body.channel_data)).toEqual({ user_id: userA.id, user_info: { name: "Ana Agent" } });
    expect(body.auth).toBe(signature(`${SOCKET_ID}:presence-org-${orgA.id}:${body.channel_data}`));
  });

  it("accepts JSON too and rejects a malformed socket id", async () => {
    const json = await api(agentA, "/api/pusher/auth", { method: "POST", json: { socket_id: SOCKET_ID, channel_name: `private-user-${userA.id}` } });
    expect(json.status).toBe(200);
    const bad = await authRequest(agentA, `private-user-${userA.id}`, "not-a-socket");
    expect(bad.status).toBe(422);
  });

  it("hands out signatures the Pusher server accepts, so published events reach the agent", async () => {
    const client = new PusherJS(app.key, {
      cluster: "mt1",
      wsHost: "127.0.0.1",
      wsPort: app.port,
      forceTLS: false,
      enabledTransports: ["ws"],
      channelAuthorization: {
        // What the browser does with endpoint "/api/pusher/auth", plus the session cookie Node must pass itself.
        customHandler: ({ socketId, channelName }, callback) => {
          authRequest(agentA, channelName, socketId)
            .then(async (res) => (res.ok ? callback(null, await res.json()) : callback(new Error(`auth ${res.status}`), null)))
            .catch((err: Error) => callback(err, null));
        },
      },
    });
    try {
      const channel = client.subscribe(`private-user-${userA.id}`);
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("subscription timed out")), 5_000);
        channel.bind("pusher:subscription_succeeded", () => {
          clearTimeout(timer);
          resolve();
        });
      });
      const arrived = new Promise((resolve) => channel.bind("call.updated", resolve));
      const sdk = new Pusher({ appId: app.appId, key: app.key, secret: app.secret, host: "127.0.0.1", port: String(app.port), useTLS: false });
      await sdk.trigger(`private-user-${userA.id}`, "call.updated", { callId: "c1", status: "in_call" });
      expect(await arrived).toEqual({ callId: "c1", status: "in_call" });
    } finally {
      client.disconnect();
    }
  });
});
