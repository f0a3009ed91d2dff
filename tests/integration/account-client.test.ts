// The Graph API client a reject at overload uses: cached 30 s, and past that still served while one
// read replaces it, so no reject waits behind the database for the account's token.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { seal } from "../../lib/crypto";
import { dbPool } from "../../lib/db";
import { createAccount, createOrg } from "../../lib/seed/factories";
import { cachedGraphClientFor } from "../../lib/whatsapp/account-client";
import { testDb } from "../helpers/test-db";

let accountId: string;

beforeAll(async () => {
  const org = await createOrg(testDb, { name: "Account Client Org" });
  accountId = (await createAccount(testDb, org.id, { phoneNumberId: `4040${Date.now()}`.slice(0, 15), displayPhone: "15550004040", accessToken: "EAAG-first" }))
    .id;
});
afterAll(() => testDb.$disconnect());

describe("cachedGraphClientFor", () => {
  it("reads once in 30 s, then serves the old client while one read replaces it, and the new one after", async () => {
    const query = vi.spyOn(dbPool, "query");
    const reads = () => query.mock.calls.filter(([q]) => JSON.stringify(q).includes("FROM whatsapp_accounts")).length;
    const t0 = Date.now() + 10 * 60_000; // past anything an earlier test cached
    const first = await cachedGraphClientFor(accountId, t0);
    expect(await cachedGraphClientFor(accountId, t0 + 29_000)).toBe(first);
    expect(reads()).toBe(1);

    await testDb.whatsAppAccount.update({ where: { id: accountId }, data: { accessTokenEnc: seal("EAAG-second") } });
    // Past 30 s: the old client at once, with one read started behind it (not one per caller).
    const [a, b] = await Promise.all([cachedGraphClientFor(accountId, t0 + 31_000), cachedGraphClientFor(accountId, t0 + 31_001)]);
    expect(a).toBe(first);
    expect(b).toBe(first);
    expect(reads()).toBe(2);
    await vi.waitFor(async () => expect(await cachedGraphClientFor(accountId, t0 + 31_002)).not.toBe(first));
    expect(reads()).toBe(2);

    // Long unused (past 5 min): read afresh before use.
    const later = cachedGraphClientFor(accountId, t0 + 31_000 + 6 * 60_000);
    expect(reads()).toBe(3);
    expect(await later).not.toBe(first);
    query.mockRestore();
  });
});
