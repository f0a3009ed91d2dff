import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAccount, createOrg, createUser } from "../../lib/seed/factories";
import { api, signIn } from "../helpers/http-session";
import { testDb as db } from "../helpers/test-db";

let agentA: string;
let adminB: string;
let callId: string;

beforeAll(async () => {
  const orgA = await createOrg(db, { name: "Log Org A" });
  const orgB = await createOrg(db, { name: "Log Org B" });
  const a = await createUser(db, orgA.id, { role: "agent", password: "log-pass-1234" });
  const b = await createUser(db, orgB.id, { role: "admin", password: "log-pass-1234" });
  const account = await createAccount(db, orgA.id, { name: "Support line" });
  const t0 = new Date("2026-11-20T10:00:00Z");
  const at = (s: number) => new Date(t0.getTime() + s * 1000);
  const call = await db.call.create({
    data: {
      orgId: orgA.id,
      accountId: account.id,
      waCallId: "wacid.LOGTEST",
      direction: "incoming",
      status: "completed",
      callerPhone: "5511987654321",
      startedAt: t0,
      answeredAt: at(1),
      endedAt: at(31),
      durationSecs: 30,
      disconnectedBy: "system",
      agentId: a.id,
      steps: {
        create: [
          { seq: 1, nodeId: "hello", nodeType: "greeting", label: "Welcome", handle: "default", enteredAt: at(1), leftAt: at(5) },
          { seq: 2, nodeId: "menu", nodeType: "menu", label: "Main menu", handle: "digit:2", digits: "2", enteredAt: at(5), leftAt: at(9) },
          { seq: 3, nodeId: "bye", nodeType: "hangup", label: "Goodbye", handle: null, enteredAt: at(9), leftAt: at(9) },
        ],
      },
    },
  });
  callId = call.id;
  agentA = await signIn(a.email, "log-pass-1234");
  adminB = await signIn(b.email, "log-pass-1234");
});
afterAll(() => db.$disconnect());

describe("call log", () => {
  it("lists the call and shows its IVR path in order to the agent who took it", async () => {
    const list = await (await api(agentA, "/calls")).text();
    expect(list).toContain(`/calls/${callId}`);
    const page = await (await api(agentA, `/calls/${callId}`)).text();
    const order = ["Welcome", "Main menu", "pressed 2", "Goodbye", "hung up"].map((s) => page.indexOf(s));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((x, y) => x - y)).toEqual(order);
    expect(page).toContain("30s");
  });

  it("is invisible to another organisation", async () => {
    const res = await api(adminB, `/calls/${callId}`);
    expect(res.status).toBe(404);
    expect(await (await api(adminB, "/calls")).text()).not.toContain("wacid.LOGTEST");
  });
});
