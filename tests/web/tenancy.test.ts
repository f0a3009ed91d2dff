import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unseal } from "../../lib/crypto";
import { createAccount, createOrg, createUser } from "../../lib/seed/factories";
import { api, signIn, WEB_URL } from "../helpers/http-session";
import { testDb as db } from "../helpers/test-db";

const PASSWORD = "correct horse battery";
let adminA: string;
let agentA: string;
let accountB: { id: string };
let orgA: { id: string };

beforeAll(async () => {
  orgA = await createOrg(db, { name: "Org A" });
  const orgB = await createOrg(db, { name: "Org B" });
  const a = await createUser(db, orgA.id, { role: "admin", password: PASSWORD });
  const g = await createUser(db, orgA.id, { role: "agent", password: PASSWORD });
  await createUser(db, orgB.id, { role: "admin", password: PASSWORD });
  accountB = await createAccount(db, orgB.id, { name: "B line", accessToken: "EAAG-org-b-token" });
  adminA = await signIn(a.email, PASSWORD);
  agentA = await signIn(g.email, PASSWORD);
});

afterAll(() => db.$disconnect());

describe("auth and tenancy over HTTP", () => {
  it("tells the public only ok / not ok, and operators which service is healthy", async () => {
    const res = await api(null, "/api/health");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
    const operator = await fetch(`${WEB_URL}/api/health`, { headers: { authorization: "Bearer test-cron-secret-0123456789" } });
    // How many media gateways run (none in this suite's web server): with none, every call is rejected.
    expect(await operator.json()).toMatchObject({ ok: true, database: { ok: true }, redis: { ok: true }, gateways: expect.any(Number) });
    const forged = await fetch(`${WEB_URL}/api/health`, { headers: { authorization: "Bearer test-cron-secret-0123456780" } });
    expect(await forged.json()).toEqual({ ok: true });
  });

  it("answers /healthz and /readyz to a load balancer without a session, details only to operators", async () => {
    const live = await api(null, "/healthz");
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ ok: true });
    const ready = await api(null, "/readyz");
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ok: true });
    const operator = await fetch(`${WEB_URL}/readyz`, { headers: { authorization: "Bearer test-cron-secret-0123456789" } });
    // How many media gateways run (none in this suite's web server): with none, every call is rejected.
    expect(await operator.json()).toMatchObject({ ok: true, database: { ok: true }, redis: { ok: true }, gateways: expect.any(Number) });
  });

  it("rejects a wrong password", async () => {
    await expect(signIn("nobody@example.test", "nope")).rejects.toThrow(/sign-in failed/);
  });

  it("answers 401 in the one error shape when not signed in", async () => {
    const res = await api(null, "/api/teams");
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: { code: "unauthenticated", message: "Sign in to continue" } });
  });

  it("sends anonymous page visits to the sign-in page", async () => {
    const res = await api(null, "/teams");
    expect(res.status).toBeGreaterThanOrEqual(300);
    expect(res.headers.get("location")).toContain("/login");
  });

  it("forbids agents from admin APIs and admin pages", async () => {
    const res = await api(agentA, "/api/teams", { method: "POST", json: { name: "Sneaky" } });
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe("forbidden");
    expect(await db.team.count({ where: { orgId: orgA.id, name: "Sneaky" } })).toBe(0);
    const page = await api(agentA, "/teams");
    expect(page.headers.get("location")).toContain("/forbidden");
    const calls = await api(agentA, "/calls");
    expect(calls.status).toBe(200);
  });

  it("never shows or changes another organisation's data", async () => {
    const list = await api(adminA, "/api/accounts");
    const body = await list.text();
    expect(body).not.toContain("B line");
    const patch = await api(adminA, `/api/accounts/${accountB.id}`, { method: "PATCH", json: { name: "Stolen" } });
    expect(patch.status).toBe(404);
    const del = await api(adminA, `/api/accounts/${accountB.id}`, { method: "DELETE" });
    expect(del.status).toBe(404);
    const row = await db.whatsAppAccount.findUniqueOrThrow({ where: { id: accountB.id } });
    expect(row.name).toBe("B line");
  });

  it("stores account secrets encrypted and never returns them", async () => {
    const input = {
      name: "Main line",
      phoneNumberId: "100200300400500",
      displayPhone: "15550009999",
      wabaId: "200300400500600",
      accessToken: "EAAG-plaintext-access-token",
      appSecret: "plaintext-app-secret",
      verifyToken: "verify-me-please",
    };
    const res = await api(adminA, "/api/accounts", { method: "POST", json: input });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain(input.accessToken);
    expect(text).not.toContain(input.appSecret);
    const { id } = JSON.parse(text) as { id: string };
    const [raw] = await db.$queryRaw<{ access_token_enc: string; app_secret_enc: string }[]>`
      SELECT access_token_enc, app_secret_enc FROM whatsapp_accounts WHERE id = ${id}`;
    expect(raw?.access_token_enc).not.toContain("plaintext");
    expect(raw?.app_secret_enc).not.toContain("plaintext");
    expect(unseal(raw!.access_token_enc)).toBe(input.accessToken);
    expect(unseal(raw!.app_secret_enc)).toBe(input.appSecret);
    const page = await (await api(adminA, "/accounts")).text();
    expect(page).toContain("Main line");
    expect(page).not.toContain(input.accessToken);
  });

  it("lets one of two concurrent requests with the same verify token through and answers the other 409", async () => {
    const line = (n: number) => ({
      name: `Line ${n}`,
      phoneNumberId: `3003003${n}`,
      displayPhone: "15550003000",
      wabaId: "300300300",
      accessToken: "EAAG-concurrent-token",
      appSecret: "concurrent-secret",
      verifyToken: "same-token-twice",
    });
    const [a, b] = await Promise.all([
      api(adminA, "/api/accounts", { method: "POST", json: line(1) }),
      api(adminA, "/api/accounts", { method: "POST", json: line(2) }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const refused = (a.status === 409 ? a : b).json() as Promise<{ error: { code: string; message: string } }>;
    expect((await refused).error).toMatchObject({
      code: "conflict",
      message: "This verify token is already used by another WhatsApp number; choose a different one",
    });
    expect(await db.whatsAppAccount.count({ where: { verifyToken: "same-token-twice" } })).toBe(1);
  });

  it("explains invalid input and stores nothing", async () => {
    const res = await api(adminA, "/api/accounts", {
      method: "POST",
      json: { name: "X", phoneNumberId: "abc", displayPhone: "1", wabaId: "1", accessToken: "t", appSecret: "s", verifyToken: "v" },
    });
    expect(res.status).toBe(422);
    const { error } = await res.json();
    expect(error.code).toBe("validation_failed");
    expect(error.message).toContain("phoneNumberId: Phone number ID must be 5–20 digits");
    expect(await db.whatsAppAccount.count({ where: { orgId: orgA.id, name: "X" } })).toBe(0);
  });

  it("keeps team names unique per organisation with a clear message", async () => {
    expect((await api(adminA, "/api/teams", { method: "POST", json: { name: "Support" } })).status).toBe(200);
    const dup = await api(adminA, "/api/teams", { method: "POST", json: { name: "Support" } });
    expect(dup.status).toBe(409);
    expect((await dup.json()).error.message).toBe('A team named "Support" already exists');
    // In another case it would read as the same team in every picker: refused too, naming the one there.
    const lower = await api(adminA, "/api/teams", { method: "POST", json: { name: "support" } });
    expect(lower.status).toBe(409);
    expect((await lower.json()).error.message).toBe('A team named "Support" already exists');
    const other = await api(adminA, "/api/teams", { method: "POST", json: { name: "Support desk" } });
    expect(other.status).toBe(200);
    const { id } = await other.json();
    expect((await api(adminA, `/api/teams/${id}`, { method: "PATCH", json: { name: "SUPPORT" } })).status).toBe(409);
    // Renaming a team to another case of its own name is fine.
    expect((await api(adminA, `/api/teams/${id}`, { method: "PATCH", json: { name: "support DESK" } })).status).toBe(200);
  });
});
