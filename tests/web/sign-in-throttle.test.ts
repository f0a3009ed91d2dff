// Password guessing is throttled per account and per address, and unknown e-mails take as long
// to refuse as wrong passwords for real accounts (no account discovery by timing).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCOUNT_FAILURES, ADDRESS_FAILURES } from "../../lib/auth/sign-in-guard";
import { createOrg, createUser } from "../../lib/seed/factories";
import { postCredentials } from "../../tools/agent-sim/sign-in";
import { WEB_URL } from "../helpers/http-session";
import { testDb as db } from "../helpers/test-db";

const PASSWORD = "throttle-pass-123";
// Failures are kept in Redis across runs: addresses unique to this run keep runs independent.
const run = `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
const addr = (n: number) => `${run}.${n}`;
let victim: { email: string };
let bystander: { email: string };
let timing: { email: string };

beforeAll(async () => {
  const org = await createOrg(db, { name: "Throttle Org" });
  victim = await createUser(db, org.id, { role: "agent", password: PASSWORD });
  bystander = await createUser(db, org.id, { role: "agent", password: PASSWORD });
  timing = await createUser(db, org.id, { role: "agent", password: PASSWORD });
});

afterAll(() => db.$disconnect());

/** One sign-in through next-auth's credentials endpoint from `address`; returns the error shown, if any. */
async function attempt(email: string, password: string, address: string): Promise<{ ok: boolean; error: string | null; ms: number }> {
  const started = performance.now();
  const { res } = await postCredentials(WEB_URL, { email, password }, { "x-forwarded-for": address });
  const ms = performance.now() - started;
  const ok = res.headers.getSetCookie().some((c) => c.includes("session-token="));
  const { url } = (await res.json()) as { url: string };
  return { ok, error: new URL(url).searchParams.get("error"), ms };
}

describe("sign-in throttling", () => {
  it("locks an account after repeated wrong passwords, even for the right one, and says how long", async () => {
    for (let i = 0; i < ACCOUNT_FAILURES; i++) {
      const r = await attempt(victim.email, `wrong-${i}`, addr(i + 1));
      expect(r).toMatchObject({ ok: false, error: "CredentialsSignin" });
    }
    const right = await attempt(victim.email, PASSWORD, addr(200));
    expect(right.ok).toBe(false);
    expect(right.error).toMatch(/^Too many wrong passwords\. Try again in 1[45] minutes\.$/);
    // Someone else's account is not affected.
    expect((await attempt(bystander.email, PASSWORD, addr(200))).ok).toBe(true);
  });

  it("locks an address that sprays wrong passwords over many accounts", async () => {
    const address = addr(77);
    for (let i = 0; i < ADDRESS_FAILURES; i++) {
      expect((await attempt(`nobody-${run}-${i}@spray.test`, "guess", address)).error).toBe("CredentialsSignin");
    }
    const blocked = await attempt(bystander.email, PASSWORD, address);
    expect(blocked.ok).toBe(false);
    expect(blocked.error).toMatch(/^Too many wrong passwords/);
    expect((await attempt(bystander.email, PASSWORD, addr(78))).ok).toBe(true);
  });

  it("takes as long to refuse an unknown e-mail as a wrong password for a real account", async () => {
    const unknown: number[] = [];
    const known: number[] = [];
    for (let i = 0; i < 6; i++) {
      unknown.push((await attempt(`ghost-${i}@timing.test`, "wrong-password", addr(i + 101))).ms);
      known.push((await attempt(timing.email, "wrong-password", addr(i + 121))).ms);
    }
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    // Before: 4.3 ms vs 41.6 ms (scrypt only ran for real accounts).
    expect(median(unknown) / median(known)).toBeGreaterThan(0.6);
  }, 90_000);
});
