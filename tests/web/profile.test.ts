// A person's own account (/profile's routes): anyone signed in renames themselves and changes the
// password an admin gave them. The change needs the current password (wrong ones count like failed
// sign-ins), the old password stops working, and every other session of the account is signed out
// while the browser that changed it stays signed in.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCOUNT_FAILURES } from "../../lib/auth/sign-in-guard";
import { createOrg, createUser } from "../../lib/seed/factories";
import { api, signIn, WEB_URL } from "../helpers/http-session";
import { testDb as db } from "../helpers/test-db";

const MARK = Math.random().toString(36).slice(2, 8);
let orgId: string;

beforeAll(async () => {
  orgId = (await createOrg(db, { name: "Profile Org" })).id;
});
afterAll(() => db.$disconnect());

type Body = { error?: { code: string; message: string; details?: { fieldErrors?: Record<string, string[]> } } } & Record<string, unknown>;

/** POST /api/me/password from one client address; returns the reply and the cookie header renewed by it. */
async function changePassword(cookie: string, json: Record<string, unknown>, address = `10.7.0.${Math.floor(Math.random() * 250) + 1}`) {
  const res = await fetch(`${WEB_URL}/api/me/password`, {
    method: "POST",
    redirect: "manual",
    headers: { cookie, "content-type": "application/json", "x-forwarded-for": address },
    body: JSON.stringify(json),
  });
  const renewed = res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0] ?? "")
    .find((c) => c.includes("session-token="));
  const jar = renewed ? cookie.split("; ").map((c) => (c.includes("session-token=") ? renewed : c)) : cookie.split("; ");
  return { status: res.status, body: (await res.json()) as Body, cookie: jar.join("; "), renewed: Boolean(renewed) };
}

describe("your own account", () => {
  it("renames you (an agent), in every organisation, and refuses an empty or overlong name", async () => {
    const user = await createUser(db, orgId, { role: "agent", password: "agent-pass-1", name: "Rita Old" });
    const rita = await signIn(user.email, "agent-pass-1");
    const res = await api(rita, "/api/me", { method: "PATCH", json: { name: "  Rita Ramos  " } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id: user.id, name: "Rita Ramos" });
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).name).toBe("Rita Ramos");

    for (const [name, message] of [
      ["   ", "Name is required"],
      ["x".repeat(81), "Keep the name to 80 characters or fewer"],
      ["\u200B", "Name is required"], // a zero-width space showed as an empty name
      ["Rita\nRamos", "Keep the name on one line, without tabs or text-direction controls"],
    ] as const) {
      const bad = await api(rita, "/api/me", { method: "PATCH", json: { name } });
      expect(bad.status).toBe(422);
      expect(((await bad.json()) as Body).error?.details?.fieldErrors).toEqual({ name: [message] });
    }
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).name).toBe("Rita Ramos");
    expect((await api(null, "/api/me", { method: "PATCH", json: { name: "Nobody" } })).status).toBe(401);
  });

  it("changes the password: the old one stops working, other sessions are signed out, this one stays", async () => {
    const user = await createUser(db, orgId, { role: "agent", password: "first-pass-1", name: "Sam Switch" });
    const here = await signIn(user.email, "first-pass-1");
    const elsewhere = await signIn(user.email, "first-pass-1");
    expect((await api(elsewhere, "/api/agent/status")).status).toBe(200);

    const wrong = await changePassword(here, { currentPassword: "not-my-pass", newPassword: "second-pass-2" });
    expect(wrong.status).toBe(422);
    expect(wrong.body.error?.details?.fieldErrors).toEqual({ currentPassword: ["The current password is not right"] });
    const weak = await changePassword(here, { currentPassword: "first-pass-1", newPassword: "short" });
    expect(weak.status).toBe(422);
    expect(weak.body.error?.details?.fieldErrors).toEqual({ newPassword: ["The new password needs at least 8 characters"] });
    const same = await changePassword(here, { currentPassword: "first-pass-1", newPassword: "first-pass-1" });
    expect(same.body.error?.details?.fieldErrors).toEqual({ newPassword: ["Choose a password different from the current one"] });
    expect((await api(elsewhere, "/api/agent/status")).status).toBe(200); // nothing changed yet

    const done = await changePassword(here, { currentPassword: "first-pass-1", newPassword: "second-pass-2" });
    expect(done.status).toBe(200);
    expect(done.body).toEqual({ changed: true, stillSignedIn: true });
    expect(done.renewed).toBe(true);
    // This browser goes on with its renewed cookie; the other session is over.
    expect((await api(done.cookie, "/api/agent/status")).status).toBe(200);
    expect((await api(elsewhere, "/api/agent/status")).status).toBe(401);
    // The cookie this browser had before the change is over too (someone who copied it).
    expect((await api(here, "/api/agent/status")).status).toBe(401);
    await expect(signIn(user.email, "first-pass-1")).rejects.toThrow(/sign-in failed/);
    const again = await signIn(user.email, "second-pass-2");
    expect((await api(again, "/api/agent/status")).status).toBe(200);
    expect((await api(done.cookie, "/api/agent/status")).status).toBe(200);
  });

  it("stops guessing the current password after as many wrong ones as sign-in allows", async () => {
    const user = await createUser(db, orgId, { role: "admin", password: "guard-pass-1", name: "Gus Guard", email: `gus.${MARK}@example.com` });
    const gus = await signIn(user.email, "guard-pass-1");
    for (let i = 0; i < ACCOUNT_FAILURES; i++) {
      expect((await changePassword(gus, { currentPassword: `guess-${i}`, newPassword: "taken-over-1" })).status).toBe(422);
    }
    const blocked = await changePassword(gus, { currentPassword: "guard-pass-1", newPassword: "taken-over-1" });
    expect(blocked.status).toBe(429);
    expect(blocked.body.error?.message).toMatch(/^Too many wrong passwords\. Try again in \d+ minutes?\.$/);
    expect(await signIn(user.email, "guard-pass-1").catch(() => "locked")).toBe("locked");
    expect((await api(gus, "/api/agent/status")).status).toBe(200); // still signed in, password unchanged
  });
});
