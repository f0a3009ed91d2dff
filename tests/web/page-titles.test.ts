// Every tab says where it is, and the browser finds an icon (no 404 on every page load).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOrg, createUser } from "../../lib/seed/factories";
import { api, signIn } from "../helpers/http-session";
import { testDb as db } from "../helpers/test-db";

let admin: string;

beforeAll(async () => {
  const org = await createOrg(db, { name: "Titles Org" });
  const user = await createUser(db, org.id, { role: "admin", password: "titles-pass-123" });
  admin = await signIn(user.email, "titles-pass-123");
});
afterAll(() => db.$disconnect());

describe("page titles and icon", () => {
  it("titles each section's tab", async () => {
    for (const [path, title] of [
      ["/teams", "Teams · Ringflow"],
      ["/flows", "IVR flows · Ringflow"],
      ["/accounts", "WhatsApp accounts · Ringflow"],
    ]) {
      const html = await (await api(admin, path!)).text();
      expect(html).toContain(`<title>${title}</title>`);
    }
    expect(await (await api(null, "/login")).text()).toContain("<title>Sign in · Ringflow</title>");
  });

  it("serves the icon the pages link to", async () => {
    const html = await (await api(null, "/login")).text();
    const href = /<link rel="icon" href="([^"]+)"/.exec(html)?.[1];
    expect(href).toMatch(/^\/icon\.svg/);
    const res = await api(null, href!);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("image/svg+xml");
  });
});
