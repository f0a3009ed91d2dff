// Bad input on every API route, generated from app/api (a new route is covered the day it is
// written): NUL, `%00`, a lone surrogate, a draft nested 5,000 deep and `%FF` each get a 4xx in
// the one error shape, signed in as an admin of the organisation or not at all. Never a 500.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAccount, createFlow, createOrg, createTeam, createUser } from "../../lib/seed/factories";
import { discoverRoutes, readsBody } from "../helpers/api-routes";
import { api, signIn } from "../helpers/http-session";
import { testDb as db } from "../helpers/test-db";

const PASSWORD = "bad-input-routes-pass";
// next-auth's own endpoints are the library's, not ours.
const ROUTES = discoverRoutes().filter((r) => !r.includes("[...nextauth]"));
const FIELDS = [
  "name",
  "description",
  "notes",
  "text",
  "label",
  "sdp",
  "userId",
  "accountId",
  "teamId",
  "phoneNumberId",
  "waId",
  "status",
  "document",
  "key",
  "contentType",
];
const fill = (value: unknown) => Object.fromEntries(FIELDS.map((f) => [f, value]));
const deep = (depth: number) => `${'{"a":'.repeat(depth)}"leaf"${"}".repeat(depth)}`;

/** Bodies that must never get past validation; JSON.stringify writes a lone surrogate as \ud800. */
const BODIES: Record<string, string> = {
  NUL: JSON.stringify(fill("a\u0000b")),
  "lone surrogate": JSON.stringify(fill("x\ud800y")),
  "5,000 deep": `{${FIELDS.map((f) => `"${f}":${deep(5000)}`).join(",")}}`,
};
/** Path segments that name nothing: NUL, a lone surrogate as (invalid) UTF-8, malformed escapes. */
const SEGMENTS: Record<string, number[]> = { "%00": [400, 401, 403, 404], "%ED%A0%80": [400, 401, 403, 404], "%FF": [400] };

let admin: string;
let ids: Record<string, string>;

beforeAll(async () => {
  const org = await createOrg(db, { name: "Bad Routes Org", callingEnabled: true });
  const user = await createUser(db, org.id, { role: "admin", password: PASSWORD });
  const team = await createTeam(db, org.id, "Routes");
  const account = await createAccount(db, org.id);
  const flow = await createFlow(db, org.id, { accountId: account.id, teamId: team.id, active: false, isCallStart: false });
  ids = { teams: team.id, flows: flow.id, accounts: account.id };
  admin = await signIn(user.email, PASSWORD);
});

afterAll(() => db.$disconnect());

/** The route with its params filled: the org's own record where there is one, else a made-up id. */
const fillPath = (route: string, segment?: string) =>
  route.replace(
    /\[\.{0,3}(\w+)\]/g,
    (_m, name: string) => segment ?? (name === "id" ? (ids[route.split("/")[2]!] ?? "cm0nothing0here00000000") : name === "number" ? "1" : "nothing"),
  );

async function expectClientError(res: Response, statuses: number[] | "4xx", what: string) {
  const ok = statuses === "4xx" ? res.status >= 400 && res.status < 500 : statuses.includes(res.status);
  expect(ok, `${what} answered ${res.status}: ${(await res.clone().text()).slice(0, 200)}`).toBe(true);
  if ((res.headers.get("content-type") ?? "").includes("json")) {
    const body = (await res.json()) as { error?: { message?: string } };
    expect(body.error?.message, `${what} has an error message`).toBeTruthy();
  }
}

describe("bad input on every API route", () => {
  it("finds the routes", () => expect(ROUTES.length).toBeGreaterThan(40));

  for (const key of ROUTES) {
    const [method, route] = key.split(" ") as [string, string];
    it(key, async () => {
      const signal = () => AbortSignal.timeout(15_000);
      if (route.includes("[")) {
        for (const [segment, statuses] of Object.entries(SEGMENTS)) {
          for (const who of [admin, null]) {
            const path = fillPath(route, segment);
            const res = await api(who, path, { method, body: method === "GET" || method === "DELETE" ? undefined : "{}", signal: signal() });
            await expectClientError(res, statuses, `${method} ${path} (${who ? "admin" : "anonymous"})`);
          }
        }
      } else {
        // No id to spoil: a malformed escape in the query string and a trailing %FF segment.
        const res = await api(admin, `${route}/%FF`, { method, signal: signal() });
        await expectClientError(res, [400, 404, 405], `${method} ${route}/%FF`);
      }
      if (method === "GET" || method === "DELETE") {
        const res = await api(admin, `${fillPath(route)}?q=a%00b&status=%00&from=%00&to=%ED%A0%80&page=%FF`, { method, signal: signal() });
        expect(res.status, `${method} ${route} with NUL and %FF in the query answered ${res.status}`).toBeLessThan(500);
        await res.body?.cancel();
        return;
      }
      // A route that reads no body must still not fall over on one.
      const reads = readsBody(key);
      for (const [what, body] of Object.entries(BODIES)) {
        const res = await api(admin, fillPath(route), { method, body, signal: signal() });
        if (reads) await expectClientError(res, "4xx", `${method} ${route} with a ${what} body`);
        else expect(res.status, `${method} ${route} (reads no body) with a ${what} body answered ${res.status}`).toBeLessThan(500);
        await res.body?.cancel().catch(() => {});
      }
    });
  }
});
