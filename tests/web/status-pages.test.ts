// 403 and 404 answer with their real status codes and the admin layout around them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOrg, createUser } from "../../lib/seed/factories";
import { api, signIn } from "../helpers/http-session";
import { testDb as db } from "../helpers/test-db";

let admin: string;
let agent: string;

beforeAll(async () => {
  const org = await createOrg(db, { name: "Status Org" });
  const a = await createUser(db, org.id, { role: "admin", password: "status-pass-123" });
  const g = await createUser(db, org.id, { role: "agent", password: "status-pass-123" });
  admin = await signIn(a.email, "status-pass-123");
  agent = await signIn(g.email, "status-pass-123");
});
afterAll(() => db.$disconnect());

// The admin layout's skip link is in the page's payload (browsers draw the layout around the message;
// tests/browser/accessibility.test.ts looks at it there).
const inLayout = (html: string) => html.includes("Skip to content");

describe("403 and 404 pages", () => {
  it("answers /forbidden with 403 inside the admin layout", async () => {
    const redirect = await api(agent, "/flows");
    expect(redirect.status).toBe(307);
    expect(redirect.headers.get("location")).toMatch(/\/forbidden$/);
    const res = await api(agent, "/forbidden");
    expect(res.status).toBe(403);
    const html = await res.text();
    expect(html).toContain("Admins only");
    expect(inLayout(html)).toBe(true);
  });

  it("answers an unknown call, flow or address with 404 inside the admin layout", async () => {
    for (const [path, text] of [
      ["/calls/cnotacall000000000000000", "Call not found"],
      ["/flows/cnotaflow000000000000000", "Flow not found"],
      ["/no/such/page", "Page not found"],
    ] as const) {
      const res = await api(admin, path);
      expect(res.status, path).toBe(404);
      const html = await res.text();
      expect(html, path).toContain(text);
      expect(inLayout(html), path).toBe(true);
    }
  });

  it("keeps list pages at 200 (their loading skeletons do not swallow statuses)", async () => {
    for (const path of ["/calls", "/flows", "/teams", "/accounts", "/settings/calling"]) {
      expect((await api(admin, path)).status, path).toBe(200);
    }
  });
});
