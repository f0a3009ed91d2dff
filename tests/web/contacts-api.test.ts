// Contacts through the routes an agent's browser uses: add by hand (numbers as people type them),
// no duplicates, search by name or the number's first digits, keyset pages, edit, and nothing of
// another organisation.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOrg, createUser } from "../../lib/seed/factories";
import { api, signIn } from "../helpers/http-session";
import { testDb as db } from "../helpers/test-db";

const PASSWORD = "contacts-pass-123";
let agent: string;
let outsider: string;
let orgId = "";

type Contact = { id: string; name: string | null; waId: string; callPermission: string };

beforeAll(async () => {
  const org = await createOrg(db, { name: "Contacts Org" });
  orgId = org.id;
  const other = await createOrg(db, { name: "Other Contacts Org" });
  const a = await createUser(db, org.id, { role: "agent", password: PASSWORD });
  const o = await createUser(db, other.id, { role: "admin", password: PASSWORD });
  agent = await signIn(a.email, PASSWORD);
  outsider = await signIn(o.email, PASSWORD);
});
afterAll(() => db.$disconnect());

describe("contacts API", () => {
  it("adds a contact from a number as people type it, refuses a duplicate and a bad number", async () => {
    const res = await api(agent, "/api/contacts", { method: "POST", json: { name: "Ana Souza", waId: "+55 (11) 98765-0101" } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ name: "Ana Souza", waId: "5511987650101", callPermission: "unknown" });
    const again = await api(agent, "/api/contacts", { method: "POST", json: { waId: "5511987650101" } });
    expect(again.status).toBe(409);
    expect((await again.json()).error.message).toBe("A contact with this number already exists");
    const bad = await api(agent, "/api/contacts", { method: "POST", json: { name: "Nope", waId: "call me" } });
    expect(bad.status).toBe(422);
    expect(JSON.stringify(await bad.json())).toContain("Enter the number with its country code");
  });

  it("finds contacts by part of the name or the number's first digits, pages by keyset, and edits", async () => {
    // As callers' contacts are saved: a random UUID each (added by hand: a cuid), their calls a second apart.
    const t0 = Date.now() - 3_600_000;
    for (let i = 0; i < 55; i++) {
      const id = i % 2 ? randomUUID() : undefined;
      await db.contact.create({ data: { id, orgId, waId: `4930${String(i).padStart(6, "0")}`, name: `Berlin ${i}`, lastActivityAt: new Date(t0 + i * 1000) } });
    }
    const byName = (await (await api(agent, "/api/contacts?q=ana%20s")).json()) as { contacts: Contact[] };
    expect(byName.contacts.map((c) => c.name)).toEqual(["Ana Souza"]);
    const byNumber = (await (await api(agent, "/api/contacts?q=%2B55%2011%209876")).json()) as { contacts: Contact[] };
    expect(byNumber.contacts.map((c) => c.waId)).toEqual(["5511987650101"]);

    const first = (await (await api(agent, "/api/contacts?q=Berlin")).json()) as { contacts: Contact[]; next: string | null };
    expect(first.contacts).toHaveLength(50);
    expect(first.next).toBe(first.contacts.at(-1)!.id);
    const second = (await (await api(agent, `/api/contacts?q=Berlin&after=${first.next}`)).json()) as { contacts: Contact[]; next: string | null };
    expect(second.contacts).toHaveLength(5);
    expect(second.next).toBeNull();
    expect(new Set([...first.contacts, ...second.contacts].map((c) => c.id)).size).toBe(55);
    // Latest call first, across both pages, whatever kind of id.
    expect([...first.contacts, ...second.contacts].map((c) => c.name)).toEqual(Array.from({ length: 55 }, (_, i) => `Berlin ${54 - i}`));

    const id = byName.contacts[0]!.id;
    const edited = await api(agent, `/api/contacts/${id}`, { method: "PATCH", json: { name: "Ana S. Souza" } });
    expect(edited.status).toBe(200);
    expect(await edited.json()).toMatchObject({ name: "Ana S. Souza", waId: "5511987650101" });
    const convo = (await (await api(agent, `/api/contacts/${id}`)).json()) as { contact: Contact; items: unknown[] };
    expect(convo.contact.name).toBe("Ana S. Souza");
    expect(convo.items).toEqual([]);
  });

  it("shows another organisation none of it", async () => {
    const mine = (await (await api(agent, "/api/contacts?q=Ana")).json()) as { contacts: Contact[] };
    const id = mine.contacts[0]!.id;
    expect((await api(outsider, `/api/contacts/${id}`)).status).toBe(404);
    expect((await api(outsider, `/api/contacts/${id}`, { method: "PATCH", json: { name: "Hijacked" } })).status).toBe(404);
    const theirs = (await (await api(outsider, "/api/contacts?q=Ana")).json()) as { contacts: Contact[] };
    expect(theirs.contacts).toEqual([]);
  });
});
