// The People page's routes: an admin adds agents and admins (a new account with a first password,
// or an existing account joining), changes roles without leaving the organisation without an
// admin, and removes people, who then cannot use it, while their calls stay in the log.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAccount, createOrg, createTeam, createUser } from "../../lib/seed/factories";
import { ACCOUNT_FAILURES } from "../../lib/auth/sign-in-guard";
import { postCredentials } from "../../tools/agent-sim/sign-in";
import { api, signIn, WEB_URL } from "../helpers/http-session";
import { testDb as db } from "../helpers/test-db";

const PASSWORD = "people-admin-pass";
const MARK = Math.random().toString(36).slice(2, 8);
let orgId: string;
let adminId: string;
let admin: string;

beforeAll(async () => {
  orgId = (await createOrg(db, { name: "People Org" })).id;
  const user = await createUser(db, orgId, { role: "admin", password: PASSWORD, name: "Pia Admin" });
  adminId = user.id;
  admin = await signIn(user.email, PASSWORD);
});
afterAll(() => db.$disconnect());

type Body = { error?: { message: string; details?: { fieldErrors?: Record<string, string[]> } } } & Record<string, unknown>;
const add = async (json: Record<string, unknown>) => {
  const res = await api(admin, "/api/people", { method: "POST", json });
  return { status: res.status, body: (await res.json()) as Body };
};

describe("people", () => {
  it("adds an agent who can then sign in to this organisation, as an agent", async () => {
    const email = `New.Agent.${MARK}@Example.com`;
    const { status, body } = await add({ name: "Nina Novak", email, password: "first-pass-1" });
    expect(status).toBe(200);
    expect(body).toMatchObject({ name: "Nina Novak", email: email.toLowerCase(), role: "agent", existing: false });
    const nina = await signIn(email.toLowerCase(), "first-pass-1");
    expect((await api(nina, "/api/agent/status")).status).toBe(200);
    expect((await api(nina, "/api/people")).status).toBe(403);
    const list = (await (await api(admin, "/api/people")).json()) as { email: string; role: string; status: string; teams: string[] }[];
    expect(list.find((p) => p.email === email.toLowerCase())).toMatchObject({ role: "agent", status: "offline", teams: [] });
    // The same address again is refused, naming who.
    const again = await add({ name: "Nina again", email: email.toLowerCase(), password: "first-pass-1" });
    expect(again.status).toBe(409);
    expect(again.body.error?.message).toBe(`Nina Novak (${email.toLowerCase()}) is already in this organisation`);
  });

  it("refuses bad input field by field, in plain words", async () => {
    const { status, body } = await add({ name: "", email: "not-an-email", password: "short", role: "boss" });
    expect(status).toBe(422);
    expect(body.error?.details?.fieldErrors).toEqual({
      name: ["Name is required"],
      email: ["Enter an email address like name@example.com"],
      password: ["The first password needs at least 8 characters"],
      role: ["Role must be agent or admin"],
    });
    expect(await db.user.count({ where: { email: "not-an-email" } })).toBe(0);
  });

  it("lets an account of another organisation join, keeping its own name and password", async () => {
    const elsewhere = await createOrg(db, { name: "Elsewhere Org" });
    const theirs = await createUser(db, elsewhere.id, { name: "Otto Other", password: "otto-own-pass" });
    const { status, body } = await add({ name: "Someone Else", email: theirs.email, password: "not-his-pass", role: "admin" });
    expect(status).toBe(200);
    expect(body).toMatchObject({ name: "Otto Other", role: "admin", existing: true });
    await expect(signIn(theirs.email, "not-his-pass")).rejects.toThrow();
    await signIn(theirs.email, "otto-own-pass");
    expect(await db.membership.count({ where: { userId: theirs.id } })).toBe(2);
  });

  it("changes roles, but never leaves the organisation without an admin", async () => {
    const demote = await api(admin, `/api/people/${adminId}`, { method: "PATCH", json: { role: "agent" } });
    // Otto joined as an admin above, so Pia may step down; then Otto may not.
    expect(demote.status).toBe(200);
    const otto = await db.membership.findFirstOrThrow({ where: { orgId, role: "admin" }, select: { userId: true } });
    const last = await api(admin, `/api/people/${otto.userId}`, { method: "PATCH", json: { role: "agent" } });
    // Pia is an agent now: admin routes refuse her.
    expect(last.status).toBe(403);
    await db.membership.update({ where: { orgId_userId: { orgId, userId: adminId } }, data: { role: "admin" } });
    await db.membership.update({ where: { orgId_userId: { orgId, userId: otto.userId } }, data: { role: "agent" } });
    const only = await api(admin, `/api/people/${adminId}`, { method: "PATCH", json: { role: "agent" } });
    expect(only.status).toBe(409);
    expect(((await only.json()) as Body).error?.message).toBe(
      "Pia Admin stays an admin: the organisation needs at least one admin. Make someone else an admin first.",
    );
  });

  it("renames someone added with a typo, but not an account another organisation shares", async () => {
    const { body } = await add({ name: "Rosa Typo", email: `rename.${MARK}@example.com`, password: "rename-pass-1" });
    const rosaId = body.id as string;
    const patch = (id: string, json: unknown) => api(admin, `/api/people/${id}`, { method: "PATCH", json });
    const renamed = await patch(rosaId, { name: "  Rosa Tavares " });
    expect(renamed.status).toBe(200);
    expect(await renamed.json()).toEqual({ id: rosaId, role: "agent", name: "Rosa Tavares" });
    const list = (await (await api(admin, "/api/people")).json()) as { id: string; name: string; shared: boolean }[];
    expect(list.find((p) => p.id === rosaId)).toMatchObject({ name: "Rosa Tavares", shared: false });

    const empty = await patch(rosaId, { name: "\u200b" });
    expect(empty.status).toBe(422);
    expect(((await empty.json()) as Body).error?.details?.fieldErrors).toEqual({ name: ["Name is required"] });
    const nothing = await patch(rosaId, {});
    expect(nothing.status).toBe(422);
    expect(((await nothing.json()) as Body).error?.message).toContain("Nothing to change: send a role or a name");
    expect((await db.user.findUniqueOrThrow({ where: { id: rosaId } })).name).toBe("Rosa Tavares");

    const other = await createOrg(db, { name: "Rename Shared Org" });
    const shared = await createUser(db, other.id, { name: "Sara Shared", password: "sara-own-pass" });
    await db.membership.create({ data: { orgId, userId: shared.id, role: "agent" } });
    const refused = await patch(shared.id, { name: "Not Sara", role: "admin" });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as Body).error?.message).toBe(
      "Sara Shared also belongs to another organisation, so only they can change their name (under Name and password)",
    );
    // Nothing of the refused change happened: neither the name nor the role.
    expect((await db.user.findUniqueOrThrow({ where: { id: shared.id } })).name).toBe("Sara Shared");
    expect((await db.membership.findUniqueOrThrow({ where: { orgId_userId: { orgId, userId: shared.id } } })).role).toBe("agent");
    // Sending the name it already has changes only the role.
    const roleOnly = await patch(shared.id, { name: "Sara Shared", role: "admin" });
    expect(roleOnly.status).toBe(200);
    await db.membership.update({ where: { orgId_userId: { orgId, userId: shared.id } }, data: { role: "agent" } });
    expect((await patch("nobody-here", { name: "Who" })).status).toBe(404);
  });

  it("sets a new password for someone who lost theirs: it lifts their sign-in lock and signs them out", async () => {
    const email = `forgot.${MARK}@example.com`;
    const { body } = await add({ name: "Fay Forgot", email, password: "forgot-pass-1" });
    const fayId = body.id as string;
    const fay = await signIn(email, "forgot-pass-1");
    expect((await api(fay, "/api/agent/status", { method: "POST", json: { status: "available" } })).status).toBe(200);
    // Fay tries passwords until her account is locked.
    for (let i = 0; i < ACCOUNT_FAILURES; i++) await postCredentials(WEB_URL, { email, password: `guess-${i}` }, { "x-forwarded-for": "10.9.0.7" });
    await expect(signIn(email, "forgot-pass-1")).rejects.toThrow(/sign-in failed/);
    const reset = (id: string, json: unknown, cookie = admin) => api(cookie, `/api/people/${id}/password`, { method: "POST", json });

    const weak = await reset(fayId, { password: "short" });
    expect(weak.status).toBe(422);
    expect(((await weak.json()) as Body).error?.details?.fieldErrors).toEqual({ password: ["The new password needs at least 8 characters"] });
    expect((await reset(adminId, { password: "new-pass-123" }, fay)).status).toBe(403);

    const statusOf = async () => ((await (await api(admin, "/api/people")).json()) as { id: string; status: string }[]).find((p) => p.id === fayId)?.status;
    expect(await statusOf()).toBe("available");
    const done = await reset(fayId, { password: "handed-over-2" });
    expect(done.status).toBe(200);
    expect(await done.json()).toEqual({ id: fayId, signedOut: true });
    expect((await api(fay, "/api/agent/status")).status).toBe(401);
    expect(await statusOf()).toBe("offline"); // nobody rings a signed-out agent
    await expect(signIn(email, "forgot-pass-1")).rejects.toThrow(/sign-in failed/);
    expect((await api(await signIn(email, "handed-over-2"), "/api/agent/status")).status).toBe(200);

    // Not your own (that asks for the current one), and not an account another organisation shares.
    const own = await reset(adminId, { password: "new-pass-123" });
    expect(own.status).toBe(409);
    expect(((await own.json()) as Body).error?.message).toBe("Change your own password under Name and password (it asks for your current one)");
    const other = await createOrg(db, { name: "Shared Org" });
    const shared = await createUser(db, other.id, { name: "Sven Shared", password: "sven-own-pass" });
    await db.membership.create({ data: { orgId, userId: shared.id, role: "agent" } });
    const refused = await reset(shared.id, { password: "taken-over-1" });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as Body).error?.message).toBe(
      "Sven Shared also belongs to another organisation, so only they can change their password (under Name and password)",
    );
    await signIn(shared.email, "sven-own-pass");
    expect((await reset("nobody-here", { password: "taken-over-1" })).status).toBe(404);
  });

  it("removes someone from the organisation and its teams; their calls stay, their session stops working", async () => {
    const email = `leaver.${MARK}@example.com`;
    const { body } = await add({ name: "Leo Leaver", email, password: "leaver-pass-1" });
    const leoId = body.id as string;
    const team = await createTeam(db, orgId, `Team ${MARK}`, [leoId]);
    const account = await createAccount(db, orgId);
    const call = await db.call.create({
      data: {
        orgId,
        accountId: account.id,
        waCallId: `wacid.people.${MARK}`,
        direction: "incoming",
        status: "completed",
        callerPhone: "5511900001234",
        agentId: leoId,
      },
    });
    const leo = await signIn(email, "leaver-pass-1");
    expect((await api(admin, `/api/people/${adminId}`, { method: "DELETE" })).status).toBe(409);
    const removed = await api(admin, `/api/people/${leoId}`, { method: "DELETE" });
    expect(removed.status).toBe(200);
    expect(await db.membership.count({ where: { orgId, userId: leoId } })).toBe(0);
    expect(await db.teamMember.count({ where: { teamId: team.id } })).toBe(0);
    expect(await db.call.findUniqueOrThrow({ where: { id: call.id } })).toMatchObject({ agentId: leoId });
    expect((await api(leo, "/api/agent/status")).status).toBe(401);
    // Gone is gone: a second removal finds nobody.
    const again = await api(admin, `/api/people/${leoId}`, { method: "DELETE" });
    expect(again.status).toBe(404);
    expect(((await again.json()) as Body).error?.message).toBe("Person was not found");
  });
});
