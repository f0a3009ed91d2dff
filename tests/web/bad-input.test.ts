// Bad input over real HTTP: each answer is a 4xx in the one error shape and nothing is stored.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalStorage } from "../../lib/storage/local";
import { createFlow, createOrg, createTeam, createUser } from "../../lib/seed/factories";
import { api, signIn } from "../helpers/http-session";
import { testDb as db } from "../helpers/test-db";

const PASSWORD = "correct horse battery";
// tests/helpers/test-config.toml's auth_secret, which signs local storage URLs.
const AUTH_SECRET = "test-auth-secret-0123456789abcdef";
let admin: string;
let org: { id: string };
let team: { id: string; name: string };
let flow: { id: string };

// Built as text: JSON.stringify itself overflows the test worker's stack at this depth.
const deepJson = (depth: number) => `${'{"a":'.repeat(depth)}"leaf"${"}".repeat(depth)}`;
const DEEP = "__deep__";
const withDeep = (value: unknown, depth: number) => JSON.stringify(value).replace(`"${DEEP}"`, deepJson(depth));
const raw = (method: string, body: string) => ({ method, body });

async function expectError(res: Response, status: number | number[], code?: string) {
  const statuses = Array.isArray(status) ? status : [status];
  expect(statuses).toContain(res.status);
  const body = (await res.json()) as { error: { code: string; message: string } };
  expect(body.error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
  expect(body.error.message.length).toBeGreaterThan(0);
  if (code) expect(body.error.code).toBe(code);
  return body.error;
}

const draftOf = async () => (await db.ivrFlow.findUniqueOrThrow({ where: { id: flow.id } })).draftDocument;

beforeAll(async () => {
  org = await createOrg(db, { name: "Bad Input Org" });
  const user = await createUser(db, org.id, { role: "admin", password: PASSWORD });
  team = await createTeam(db, org.id, "Billing");
  flow = await createFlow(db, org.id, { teamId: team.id, active: false, isCallStart: false });
  admin = await signIn(user.email, PASSWORD);
});

afterAll(() => db.$disconnect());

describe("bad input answers 4xx and stores nothing", () => {
  it("refuses a NUL character in a name, naming the field", async () => {
    const error = await expectError(await api(admin, "/api/teams", { method: "POST", json: { name: "a\u0000b" } }), 422, "validation_failed");
    expect(error.message).toBe("name: must not contain NUL characters");
    expect(await db.team.count({ where: { orgId: org.id } })).toBe(1);
  });

  it("refuses a lone surrogate in a name", async () => {
    const error = await expectError(await api(admin, "/api/teams", { method: "POST", json: { name: "x\ud800" } }), 422, "validation_failed");
    expect(error.message).toContain("name: must not contain invalid Unicode");
    expect(await db.team.count({ where: { orgId: org.id } })).toBe(1);
  });

  it("answers 404 for an id of %00 on [id] routes", async () => {
    const patch = await expectError(await api(admin, "/api/teams/%00", { method: "PATCH", json: { name: "Renamed" } }), 404, "not_found");
    expect(patch.message).toBe("Team was not found");
    await expectError(await api(admin, "/api/teams/%00", { method: "DELETE" }), 404, "not_found");
    await expectError(await api(admin, "/api/flows/%00/draft", { method: "PUT", json: { document: {} } }), 404, "not_found");
    await expectError(await api(admin, "/api/accounts/%00", { method: "PATCH", json: { name: "x" } }), 404, "not_found");
    await expectError(await api(admin, "/api/calls/a%00b/hangup", { method: "POST", json: {} }), 404, "not_found");
    await expectError(await api(admin, `/api/teams/${team.id}/members/%00`, { method: "DELETE" }), 404, "not_found");
    await expectError(await api(admin, `/api/teams/${"x".repeat(500)}`, { method: "DELETE" }), 404, "not_found");
    expect((await db.team.findUniqueOrThrow({ where: { id: team.id } })).name).toBe("Billing");
    // Pages with an [id] too.
    expect((await api(admin, "/flows/%00")).status).toBe(404);
    expect((await api(admin, "/calls/%00")).status).toBe(404);
  });

  it("refuses a flow draft nested 5,000 deep and keeps the saved draft", async () => {
    const before = await draftOf();
    const document = structuredClone(before) as { nodes: { config: Record<string, unknown> }[] };
    document.nodes[0]!.config.extra = DEEP;
    const put = await api(admin, `/api/flows/${flow.id}/draft`, raw("PUT", withDeep({ document }, 5000)));
    const error = await expectError(put, 422, "validation_failed");
    expect(error.message).toContain("nested too deeply");
    expect(await draftOf()).toEqual(before);
    const imported = await api(admin, "/api/flows/import", raw("POST", withDeep({ name: "Deep", document: DEEP }, 5000)));
    await expectError(imported, 422, "validation_failed");
    expect(await db.ivrFlow.count({ where: { orgId: org.id, name: "Deep" } })).toBe(0);
  });

  it("refuses to import a file that is not a flow document, saying why, and creates nothing", async () => {
    const cases: [unknown, RegExp][] = [
      [{ foo: 1 }, /not a Ringflow flow document \("version" is missing; "entryNodeId" is missing; "nodes" is missing; "edges" is missing; unexpected "foo"\)/],
      [[1, 2, 3], /not a Ringflow flow document/],
      [{ version: 2, entryNodeId: null, nodes: [], edges: [] }, /Only flow documents of version 1 can be imported/],
    ];
    for (const [document, message] of cases) {
      const error = await expectError(
        await api(admin, "/api/flows/import", { method: "POST", json: { name: "Not a flow", document } }),
        422,
        "validation_failed",
      );
      expect(error.message).toMatch(message);
    }
    expect(await db.ivrFlow.count({ where: { orgId: org.id, name: "Not a flow" } })).toBe(0);
    // What Export writes imports fine.
    const exported = await draftOf();
    const ok = await api(admin, "/api/flows/import", { method: "POST", json: { name: "Round trip", document: exported } });
    expect(ok.status).toBe(200);
    expect((await db.ivrFlow.findFirstOrThrow({ where: { orgId: org.id, name: "Round trip" } })).draftDocument).toMatchObject(exported as object);
  });

  it("refuses a lone surrogate or NUL in a flow label and keeps the saved draft", async () => {
    const before = await draftOf();
    for (const label of ["Welcome \ud800", "Wel\u0000come"]) {
      const document = structuredClone(before) as { nodes: { label: string }[] };
      document.nodes[0]!.label = label;
      const error = await expectError(await api(admin, `/api/flows/${flow.id}/draft`, { method: "PUT", json: { document } }), 422, "validation_failed");
      expect(error.message).toMatch(/^document\.nodes\.0\.label: must not contain/);
    }
    expect(await draftOf()).toEqual(before);
  });

  it("answers a storage GET for a missing or invalid key with 4xx, not 500", async () => {
    await expectError(await api(null, "/api/storage/nope"), [403, 404]);
    const expires = Math.floor(Date.now() / 1000) + 60;
    const signed = (key: string) => `/api/storage/${key}?expires=${expires}&sig=${LocalStorage.sign(AUTH_SECRET, "GET", key, expires)}`;
    const missing = await expectError(await api(null, signed("audio/missing/nothing.ogg")), 404, "not_found");
    expect(missing.message).toBe("The file was not found");
    await expectError(await api(null, signed("-bad/key.ogg")), 400, "bad_request");
    await expectError(await api(null, "/api/storage/a%00b"), 404, "not_found");
  });

  it("answers 400, not 500, for malformed percent-encoding in the path, signed in or not", async () => {
    for (const path of ["/api/flows/%FF", "/api/teams/%E0%A4%A", "/api/flows/%ZZ/draft", "/api/storage/%FF"]) {
      for (const who of [admin, null]) {
        const error = await expectError(await api(who, path, { method: "PUT", json: { document: {} } }), 400, "bad_request");
        expect(error.message).toContain("malformed percent-encoding");
      }
    }
    const page = await api(admin, "/flows/%FF");
    expect(page.status).toBe(400);
    // Well-formed escapes still reach the route.
    await expectError(await api(admin, "/api/teams/%20x", { method: "DELETE" }), 404, "not_found");
  });
});
