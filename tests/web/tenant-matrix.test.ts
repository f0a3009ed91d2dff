// Tenant isolation, route by route: every API route × {another org's admin, another org's agent,
// this org's agent, anonymous} is refused (401/403/404) on organisation A's resources, and lists
// never show A's data to anyone else. The routes come from app/api itself: a new route without a
// case here fails the first test, so isolation is decided when the route is written.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAccount, createFlow, createOrg, createTeam, createUser } from "../../lib/seed/factories";
import { discoverRoutes } from "../helpers/api-routes";
import { fakeGraph } from "../helpers/fake-graph";
import { api, signIn } from "../helpers/http-session";
import { testDb as db } from "../helpers/test-db";

const PASSWORD = "tenant-matrix-pass";
const ACCOUNT_TOKEN = `EAAG-matrix-${Date.now()}`;
const MARK = `zz${Math.random().toString(36).slice(2, 8)}`;
const CONTACT_NAME = "Dora Matrix";
let contactId = "";

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
type Actor = "otherAdmin" | "otherAgent" | "ownAgent" | "anonymous";
type Ids = { account: string; flow: string; team: string; call: string; transfer: string; audio: string; adminA: string; orgA: string; callback: string };

/**
 * How each route is protected:
 * - `resource`: acts on one of A's records (path params filled with A's ids); everyone but A's
 *   admin is refused. `agentMaySee: false` means A's own agent has no business with it either.
 * - `list`: answers with the caller's own org's records; others get 200 without any of A's data.
 * - `create`: makes something in the caller's own org; only anonymous is refused here.
 * - `public`: authenticated another way (signature, cron secret, signed URL); why is given.
 */
type Case =
  | { kind: "resource"; body?: (ids: Ids) => unknown; form?: (ids: Ids) => Record<string, string>; ownAgentMay?: true }
  | { kind: "list" }
  | { kind: "create" }
  | { kind: "public"; why: string; anonymous?: number[] };

const AGENT_OFFER = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=rtpmap:111 opus/48000/2\r\n";

const CASES: Record<string, Case> = {
  "GET /api/accounts": { kind: "list" },
  "POST /api/accounts": { kind: "create" },
  "PATCH /api/accounts/[id]": { kind: "resource", body: () => ({ name: "Hijacked" }) },
  "DELETE /api/accounts/[id]": { kind: "resource" },
  "GET /api/agent/call": { kind: "list" },
  "GET /api/agent/offers": { kind: "list" },
  "GET /api/agent/status": { kind: "list" },
  "POST /api/agent/status": { kind: "create" },
  // Acts on the caller's own membership in their own organisation only.
  "POST /api/agent/page-left": { kind: "create" },
  "POST /api/audio/[id]/uploaded": { kind: "resource" },
  "GET /api/audio/[id]": { kind: "resource" },
  "PATCH /api/audio/[id]": { kind: "resource", body: () => ({ name: "Hijacked" }) },
  "DELETE /api/audio/[id]": { kind: "resource" },
  "POST /api/audio/[id]/replace": { kind: "resource", body: () => ({ contentType: "audio/ogg", size: 100 }) },
  "GET /api/audio": { kind: "list" },
  "POST /api/audio/tts": { kind: "create" },
  "POST /api/audio/uploads": { kind: "create" },
  "GET /api/auth/[...nextauth]": { kind: "public", why: "next-auth's own endpoints (session, csrf, sign-in)" },
  "POST /api/auth/[...nextauth]": { kind: "public", why: "next-auth's own endpoints (session, csrf, sign-in)" },
  "POST /api/callbacks/[id]/cancel": { kind: "resource" },
  "GET /api/callbacks": { kind: "list" },
  "POST /api/calls": { kind: "create" },
  "POST /api/calls/[id]/hangup": { kind: "resource" },
  "POST /api/calls/[id]/hold": { kind: "resource" },
  "POST /api/calls/[id]/notes": { kind: "resource", body: () => ({ notes: "Hijacked" }) },
  "GET /api/calls/[id]/recording": { kind: "resource" },
  "POST /api/calls/[id]/rejoin": { kind: "resource", body: () => ({ sdp: AGENT_OFFER }) },
  "POST /api/calls/[id]/resume": { kind: "resource" },
  "GET /api/analytics": { kind: "list" },
  "GET /api/board": { kind: "list" },
  "GET /api/calls/export": { kind: "list" },
  "GET /api/calls": { kind: "list" },
  // Contacts are the whole organisation's: A's agents may use them (the contact is not named with
  // MARK and kept out of `ids`, so A's own agent listing contacts is not a leak of A's records).
  "GET /api/contacts": { kind: "list" },
  "POST /api/contacts": { kind: "create" },
  "GET /api/contacts/[id]": { kind: "resource", ownAgentMay: true },
  "PATCH /api/contacts/[id]": { kind: "resource", ownAgentMay: true, body: () => ({ name: CONTACT_NAME }) },
  "GET /api/contacts/[id]/permission": { kind: "resource", ownAgentMay: true },
  "POST /api/contacts/[id]/permission-request": { kind: "resource", ownAgentMay: true, body: (ids) => ({ accountId: ids.account }) },
  "GET /api/cron/reap-gateways": { kind: "public", why: "cron secret", anonymous: [401] },
  "PUT /api/flows/[id]/draft": { kind: "resource", body: () => ({ document: { version: 1, entryNodeId: null, nodes: [], edges: [] } }) },
  "GET /api/flows/[id]/dropoff": { kind: "resource" },
  "POST /api/flows/[id]/duplicate": { kind: "resource" },
  "POST /api/flows/[id]/publish": { kind: "resource" },
  "GET /api/flows/[id]/versions": { kind: "resource" },
  "GET /api/flows/[id]/versions/[number]": { kind: "resource" },
  "POST /api/flows/[id]/versions/[number]/rollback": { kind: "resource" },
  "GET /api/flows/[id]": { kind: "resource" },
  "PATCH /api/flows/[id]": { kind: "resource", body: () => ({ name: "Hijacked", accountId: null, active: true, isCallStart: false }) },
  "DELETE /api/flows/[id]": { kind: "resource" },
  "POST /api/flows/import": { kind: "create" },
  "GET /api/flows": { kind: "list" },
  "POST /api/flows": { kind: "create" },
  "GET /api/health": { kind: "public", why: "liveness; details only with the cron secret or an admin session", anonymous: [200] },
  "GET /api/org/calling": { kind: "list" },
  "PUT /api/org/calling": { kind: "create" },
  "GET /api/people": { kind: "list" },
  "POST /api/people": { kind: "create" },
  // The caller's own account, never named in the request: nobody can reach another's.
  "PATCH /api/me": { kind: "create" },
  "POST /api/me/password": { kind: "create" },
  "PATCH /api/people/[id]": { kind: "resource", body: () => ({ role: "agent" }) },
  "POST /api/people/[id]/password": { kind: "resource", body: () => ({ password: "taken-over-1" }) },
  "DELETE /api/people/[id]": { kind: "resource" },
  // A's agent may join A's org channel; nobody else may.
  "POST /api/pusher/auth": { kind: "resource", ownAgentMay: true, form: (ids) => ({ socket_id: "1234.5678", channel_name: `private-org-${ids.orgA}` }) },
  "GET /api/storage/[...key]": { kind: "public", why: "signed URLs", anonymous: [400, 401, 403, 404] },
  "PUT /api/storage/[...key]": { kind: "public", why: "signed URLs", anonymous: [400, 401, 403, 404] },
  "DELETE /api/teams/[id]/members/[userId]": { kind: "resource" },
  "PATCH /api/teams/[id]/members/[userId]": { kind: "resource", body: () => ({ supervisor: true }) },
  "POST /api/teams/[id]/members": { kind: "resource", body: (ids) => ({ userId: ids.adminA }) },
  "PATCH /api/teams/[id]": { kind: "resource", body: () => ({ name: "Hijacked" }) },
  "DELETE /api/teams/[id]": { kind: "resource" },
  "GET /api/teams": { kind: "list" },
  "POST /api/teams": { kind: "create" },
  "POST /api/transfers/[id]/accept": {
    kind: "resource",
    body: () => ({ sdp: AGENT_OFFER }),
  },
  "POST /api/transfers/[id]/decline": { kind: "resource" },
  "GET /api/webhooks/whatsapp": { kind: "public", why: "Meta's verification handshake (verify token)", anonymous: [400, 403] },
  "POST /api/webhooks/whatsapp": { kind: "public", why: "X-Hub-Signature-256", anonymous: [400, 401, 403] },
};

let ids: Ids;
const cookies: Partial<Record<Actor, string | null>> = {};

beforeAll(async () => {
  const orgA = await createOrg(db, { name: `Org A ${MARK}`, callingEnabled: true });
  const orgB = await createOrg(db, { name: "Org B (another tenant)" });
  const adminA = await createUser(db, orgA.id, { role: "admin", password: PASSWORD });
  const agentA = await createUser(db, orgA.id, { role: "agent", password: PASSWORD });
  const adminB = await createUser(db, orgB.id, { role: "admin", password: PASSWORD });
  const agentB = await createUser(db, orgB.id, { role: "agent", password: PASSWORD });
  const team = await createTeam(db, orgA.id, `Team ${MARK}`, [adminA.id]);
  const account = await createAccount(db, orgA.id, { name: `Line ${MARK}`, accessToken: ACCOUNT_TOKEN });
  const flow = await createFlow(db, orgA.id, { name: `Flow ${MARK}`, teamId: team.id, accountId: account.id });
  const call = await db.call.create({
    data: {
      orgId: orgA.id,
      accountId: account.id,
      waCallId: `wacid.${MARK}`,
      direction: "incoming",
      status: "answered",
      callerPhone: "5511977776666",
      flowId: flow.id,
      agentId: adminA.id,
      answeredAt: new Date(),
      notes: `Notes ${MARK}`,
      transfers: { create: { teamId: team.id, status: "waiting", offeredTo: [adminA.id] } },
      recordings: { create: { status: "ready", storageKey: `recordings/${orgA.id}/${MARK}.ogg`, durationMs: 1000, sizeBytes: 100 } },
    },
    include: { transfers: true },
  });
  const contact = await db.contact.create({ data: { orgId: orgA.id, waId: `55119${Date.now() % 1e8}`, name: CONTACT_NAME } });
  contactId = contact.id;
  await db.call.update({ where: { id: call.id }, data: { contactId } });
  const callback = await db.callbackTask.create({ data: { orgId: orgA.id, contactId, accountId: account.id, missedCallId: call.id, reason: "timeout" } });
  await fakeGraph.registerAccount(account.phoneNumberId, ACCOUNT_TOKEN);
  const audio = await db.audioAsset.create({
    data: { orgId: orgA.id, name: `Audio ${MARK}`, kind: "upload", status: "pending", storageKey: `audio/${orgA.id}/${MARK}.ogg` },
  });
  ids = {
    account: account.id,
    flow: flow.id,
    team: team.id,
    call: call.id,
    transfer: call.transfers[0]!.id,
    audio: audio.id,
    adminA: adminA.id,
    orgA: orgA.id,
    callback: callback.id,
  };
  cookies.otherAdmin = await signIn(adminB.email, PASSWORD);
  cookies.otherAgent = await signIn(agentB.email, PASSWORD);
  cookies.ownAgent = await signIn(agentA.email, PASSWORD);
  cookies.anonymous = null;
}, 60_000);

afterAll(() => db.$disconnect());

function urlFor(route: string): string {
  return route
    .replace("/api/accounts/[id]", `/api/accounts/${ids.account}`)
    .replace("/api/audio/[id]", `/api/audio/${ids.audio}`)
    .replace("/api/calls/[id]", `/api/calls/${ids.call}`)
    .replace("/api/callbacks/[id]", `/api/callbacks/${ids.callback}`)
    .replace(/\/api\/contacts\/\[id\]\/permission$/, `/api/contacts/${contactId}/permission?accountId=${ids.account}`)
    .replace("/api/contacts/[id]", `/api/contacts/${contactId}`)
    .replace("/api/flows/[id]", `/api/flows/${ids.flow}`)
    .replace("/versions/[number]", "/versions/1")
    .replace("/api/teams/[id]", `/api/teams/${ids.team}`)
    .replace("/members/[userId]", `/members/${ids.adminA}`)
    .replace("/api/transfers/[id]", `/api/transfers/${ids.transfer}`)
    .replace("/api/people/[id]", `/api/people/${ids.adminA}`)
    .replace("/api/storage/[...key]", `/api/storage/recordings/${ids.orgA}/${MARK}.ogg`)
    .replace("/api/auth/[...nextauth]", "/api/auth/session");
}

async function send(actor: Actor, key: string, c: Case): Promise<Response> {
  const [method, route] = key.split(" ") as [Method, string];
  const cookie = cookies[actor] ?? null;
  if (c.kind === "resource" && c.form) {
    return api(cookie, urlFor(route), {
      method,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(c.form(ids)),
    } as RequestInit);
  }
  const body = c.kind === "resource" && c.body ? c.body(ids) : method === "GET" || method === "DELETE" ? undefined : {};
  return api(cookie, urlFor(route), { method, ...(body !== undefined ? { json: body } : {}) });
}

const ROUTES = discoverRoutes();
const ACTORS: Actor[] = ["otherAdmin", "otherAgent", "ownAgent", "anonymous"];

describe("tenant isolation matrix", () => {
  it("has a case for every route app/api exports (and none for routes that are gone)", () => {
    expect(
      ROUTES.filter((r) => !CASES[r]),
      "routes without a tenancy case",
    ).toEqual([]);
    expect(
      Object.keys(CASES).filter((r) => !ROUTES.includes(r)),
      "cases for routes that no longer exist",
    ).toEqual([]);
  });

  for (const key of ROUTES) {
    const c = CASES[key];
    if (!c) continue;
    it(`${key}`, async () => {
      for (const actor of ACTORS) {
        if (c.kind === "public") {
          if (actor !== "anonymous" || !c.anonymous) continue;
          const res = await send(actor, key, c);
          expect(c.anonymous, `${key} as ${actor} answered ${res.status}`).toContain(res.status);
          continue;
        }
        if (c.kind === "create" && actor !== "anonymous") continue;
        const res = await send(actor, key, c);
        const text = await res.text();
        if (actor === "anonymous") {
          expect(res.status, `${key} as anonymous: ${text.slice(0, 200)}`).toBe(401);
        } else if (c.kind === "list") {
          expect([200, 403], `${key} as ${actor}: ${text.slice(0, 200)}`).toContain(res.status);
          expect(text, `${key} as ${actor} shows organisation A's data`).not.toContain(MARK);
          // A's own agent may of course see A's org id; nothing else of A's.
          for (const [name, id] of Object.entries(ids))
            if (!(actor === "ownAgent" && name === "orgA")) expect(text, `${key} as ${actor} shows A's ${name} id`).not.toContain(id);
        } else if (actor === "ownAgent" && c.kind === "resource" && c.ownAgentMay) {
          expect(res.status, `${key} as ${actor}: ${text.slice(0, 200)}`).toBe(200);
        } else {
          expect([403, 404], `${key} as ${actor}: ${res.status} ${text.slice(0, 200)}`).toContain(res.status);
          expect(text).not.toContain(MARK);
        }
      }
    }, 60_000);
  }

  it("left every one of organisation A's records as it was", async () => {
    expect(await db.team.findUnique({ where: { id: ids.team } })).toMatchObject({ name: `Team ${MARK}` });
    expect(await db.whatsAppAccount.findUnique({ where: { id: ids.account } })).toMatchObject({ name: `Line ${MARK}` });
    expect(await db.ivrFlow.findUnique({ where: { id: ids.flow } })).toMatchObject({ name: `Flow ${MARK}`, version: 1 });
    expect(await db.ivrFlow.count({ where: { name: { contains: MARK } } })).toBe(1);
    expect(await db.call.findUnique({ where: { id: ids.call } })).toMatchObject({ status: "answered", endedAt: null, notes: `Notes ${MARK}` });
    expect(await db.callTransfer.findUnique({ where: { id: ids.transfer } })).toMatchObject({ status: "waiting", declinedBy: [] });
    expect(await db.teamMember.count({ where: { teamId: ids.team } })).toBe(1);
    expect(await db.membership.findUnique({ where: { orgId_userId: { orgId: ids.orgA, userId: ids.adminA } } })).toMatchObject({ role: "admin" });
    expect(await db.audioAsset.findUnique({ where: { id: ids.audio } })).toMatchObject({ status: "pending" });
    expect(await db.contact.findUnique({ where: { id: contactId } })).toMatchObject({ name: CONTACT_NAME });
    expect(await db.callbackTask.findUnique({ where: { id: ids.callback } })).toMatchObject({ status: "open" });
  });
});
