// Every tab says where it is, and the browser finds an icon (no 404 on every page load); a new
// organisation's empty call list tells an admin how to start taking calls.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOrg, createUser } from "../../lib/seed/factories";
import { api, signIn } from "../helpers/http-session";
import { testDb as db } from "../helpers/test-db";

let admin: string;
let agent: string;

beforeAll(async () => {
  const org = await createOrg(db, { name: "Titles Org" });
  const user = await createUser(db, org.id, { role: "admin", password: "titles-pass-123" });
  admin = await signIn(user.email, "titles-pass-123");
  const member = await createUser(db, org.id, { role: "agent", password: "titles-pass-456" });
  agent = await signIn(member.email, "titles-pass-456");
});
afterAll(() => db.$disconnect());

describe("page titles and icon", () => {
  it("titles each section's tab", async () => {
    for (const [path, title] of [
      ["/teams", "Teams · Ringflow"],
      ["/flows", "IVR flows · Ringflow"],
      ["/accounts", "WhatsApp accounts · Ringflow"],
      ["/profile", "Your account · Ringflow"],
    ]) {
      const html = await (await api(admin, path!)).text();
      expect(html).toContain(`<title>${title}</title>`);
    }
    expect(await (await api(null, "/login")).text()).toContain("<title>Sign in · Ringflow</title>");
  });

  it("shows a new organisation's admin where to start on the empty call list, and an agent no admin pages", async () => {
    const html = await (await api(admin, "/calls")).text();
    expect(html).toContain("No calls yet");
    for (const href of ["/accounts", "/flows", "/teams"]) expect(html).toContain(`href="${href}"`);
    expect(html).toContain("publish a call-start flow");
    const agentHtml = await (await api(agent, "/calls")).text();
    expect(agentHtml).toContain("No calls yet");
    expect(agentHtml).not.toContain("publish a call-start flow");
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
