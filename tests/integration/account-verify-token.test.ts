import { execFileSync } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accountUpdateInput } from "../../lib/accounts/schema";
import { createAccount, updateAccount } from "../../lib/accounts/service";
import { AppError } from "../../lib/errors";
import { createOrg } from "../../lib/seed/factories";
import { testDb as db } from "../helpers/test-db";

// Meta's verification GET names an account by its verify token alone, so a token names one number
// across all organisations: the service checks, and a unique index settles concurrent writes.
const TAKEN = "This verify token is already used by another WhatsApp number; choose a different one";
const root = path.resolve(import.meta.dirname, "../..");
let orgA: string;
let orgB: string;
let n = 0;

const input = (verifyToken: string) => ({
  name: "Line",
  phoneNumberId: `77${Date.now() % 1e9}${n++}`,
  displayPhone: "15550007777",
  wabaId: "123456",
  accessToken: "EAAG-verify-token-test",
  appSecret: "app-secret-123",
  verifyToken,
});

beforeAll(async () => {
  orgA = (await createOrg(db, { name: "Token Org A" })).id;
  orgB = (await createOrg(db, { name: "Token Org B" })).id;
});
afterAll(() => db.$disconnect());

describe("verify token uniqueness", () => {
  it("lets exactly one of many concurrent creates with one token through; the rest get a clear 409", async () => {
    const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => createAccount(i % 2 ? orgA : orgB, input("race-token-1"))));
    const ok = results.filter((r) => r.status === "fulfilled");
    const refused = results.flatMap((r) => (r.status === "rejected" ? [r.reason] : []));
    expect(ok).toHaveLength(1);
    expect(refused).toHaveLength(7);
    for (const err of refused) {
      expect(err).toBeInstanceOf(AppError);
      expect(err).toMatchObject({ status: 409, code: "conflict", message: TAKEN, details: { field: "verifyToken" } });
    }
    expect(await db.whatsAppAccount.count({ where: { verifyToken: "race-token-1" } })).toBe(1);
  });

  it("refuses concurrent updates to one token and a duplicate phone number ID with their own messages", async () => {
    const a = await createAccount(orgA, input("upd-token-a"));
    const b = await createAccount(orgB, input("upd-token-b"));
    const change = accountUpdateInput.parse({ verifyToken: "upd-token-same" });
    const results = await Promise.allSettled([updateAccount(orgA, a.id, change), updateAccount(orgB, b.id, change)]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(rejected.reason).toMatchObject({ status: 409, message: TAKEN });

    const dupPhone = { ...input("phone-dup-token"), phoneNumberId: a.phoneNumberId };
    await expect(createAccount(orgB, dupPhone)).rejects.toMatchObject({ status: 409, message: "This phone number ID is already connected to an organisation" });
  });

  it("is enforced by the database, not only by the service", async () => {
    const a = await createAccount(orgA, input("db-token"));
    const row = await db.whatsAppAccount.findUniqueOrThrow({ where: { id: a.id } });
    const { id: _id, createdAt: _c, ...copy } = row;
    await expect(db.whatsAppAccount.create({ data: { ...copy, phoneNumberId: `${row.phoneNumberId}9` } })).rejects.toMatchObject({ code: "P2002" });
  });

  it("explains a taken token on the command line", async () => {
    await createAccount(orgA, input("cli-taken-token"));
    const { phoneNumberId, ...rest } = input("cli-taken-token");
    const args = [
      "scripts/ringflow.ts",
      "account:create",
      "--org",
      orgB,
      "--name",
      rest.name,
      "--phone-number-id",
      phoneNumberId,
      "--display-phone",
      rest.displayPhone,
      "--waba-id",
      rest.wabaId,
      "--access-token",
      rest.accessToken,
      "--app-secret",
      rest.appSecret,
      "--verify-token",
      rest.verifyToken,
    ];
    let err = "";
    let code = 0;
    try {
      execFileSync(path.join(root, "node_modules/.bin/tsx"), args, { cwd: root, encoding: "utf8", timeout: 30_000, stdio: ["ignore", "pipe", "pipe"] });
    } catch (e) {
      ({ status: code, stderr: err } = e as { status: number; stderr: string });
    }
    expect(code).toBe(1);
    expect(err).toContain(TAKEN);
  }, 60_000);
});
