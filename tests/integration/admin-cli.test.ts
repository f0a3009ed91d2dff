import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { QueueEvents } from "bullmq";
import pino from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { AUDIO_QUEUE, enqueue, redisConnection } from "../../lib/jobs/registry";
import { startWorker } from "../../lib/jobs/runner";
import { ttsJob } from "../../lib/jobs/tts";
import { storageFrom } from "../../lib/storage";
import { config } from "../../lib/config";
import { unseal } from "../../lib/crypto";
import { verifyPassword } from "../../lib/crypto/password";
import { createOrg, createTeam, createUser } from "../../lib/seed/factories";
import { sampleFlowDocument } from "../../lib/seed/sample-flow";
import { testDb as db } from "../helpers/test-db";

const root = path.resolve(import.meta.dirname, "../..");

function cli(...args: string[]): { code: number; out: string; err: string } {
  try {
    const out = execFileSync(path.join(root, "node_modules/.bin/tsx"), ["scripts/ringflow.ts", ...args], {
      cwd: root,
      encoding: "utf8",
      timeout: 30_000,
      stdio: ["ignore", "pipe", "pipe"],
    });
    return { code: 0, out, err: "" };
  } catch (e) {
    const x = e as { status: number; stdout: string; stderr: string };
    return { code: x.status, out: x.stdout, err: x.stderr };
  }
}

afterAll(() => db.$disconnect());

describe("admin CLI", () => {
  it("provisions an organisation, a number and a published call-start flow", () => {
    const org = JSON.parse(cli("org:create", "--name", "Scripted Co", "--calling", "on").out);
    expect(org).toMatchObject({ name: "Scripted Co", callingEnabled: true });

    const bad = cli("account:create", "--org", org.id, "--name", "Line", "--phone-number-id", "12ab");
    expect(bad.code).toBe(1);
    expect(bad.err).toContain("phoneNumberId: Phone number ID must be 5–20 digits");

    const pnid = `5${Date.now()}`;
    const account = JSON.parse(
      cli(
        "account:create",
        "--org",
        org.id,
        "--name",
        "Line",
        "--phone-number-id",
        pnid,
        "--display-phone",
        "15550002222",
        "--waba-id",
        "123456789",
        "--access-token",
        "EAAG-cli-secret-token",
        "--app-secret",
        "cli-app-secret",
        "--verify-token",
        "cli-verify-token",
      ).out,
    );
    expect(JSON.stringify(account)).not.toContain("cli-secret");
    return (async () => {
      const row = await db.whatsAppAccount.findUniqueOrThrow({ where: { id: account.id } });
      expect(row.accessTokenEnc).not.toContain("EAAG");
      expect(unseal(row.accessTokenEnc)).toBe("EAAG-cli-secret-token");

      const team = await createTeam(db, org.id, "Sales");
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cli-"));
      const good = path.join(dir, "main.json");
      fs.writeFileSync(good, JSON.stringify(sampleFlowDocument(team.id)));
      const invalid = path.join(dir, "broken.json");
      fs.writeFileSync(invalid, JSON.stringify(sampleFlowDocument("someone-elses-team")));

      const refused = cli("flow:import", "--org", org.id, "--account", account.id, "--file", invalid);
      expect(refused.code).toBe(1);
      expect(refused.err).toContain("The chosen team no longer exists");

      const first = JSON.parse(cli("flow:import", "--org", org.id, "--account", account.id, "--file", good).out);
      const second = JSON.parse(cli("flow:import", "--org", org.id, "--account", account.id, "--file", good, "--name", "Holiday").out);
      expect(second).toMatchObject({ name: "Holiday", isCallStart: true, version: 1 });
      const flows = await db.ivrFlow.findMany({ where: { orgId: org.id }, select: { id: true, isCallStart: true, publishedDocument: true } });
      expect(flows.find((f) => f.id === first.id)?.isCallStart).toBe(false);
      expect(flows.every((f) => f.publishedDocument !== null)).toBe(true);

      expect(JSON.parse(cli("calls:list", "--org", org.id).out)).toEqual([]);
      expect(cli("calls:list", "--org", "nope").err).toContain("Organisation nope was not found");
      const badStatus = cli("calls:list", "--org", org.id, "--status", "bogus");
      expect(badStatus.code).toBe(1);
      expect(badStatus.err.trim()).toMatch(/^error: status: Invalid option: expected one of "initiating"/);
      expect(cli("calls:list", "--org", org.id, "--limit", "abc").err).toContain("error: limit:");
      // The call log's "No agent answered" filter: completed calls that waited for a team no agent took.
      const call = (waCallId: string, data: { status: "completed" | "missed"; teamIds: string[] }) =>
        db.call.create({ data: { orgId: org.id, accountId: account.id, waCallId, direction: "incoming", callerPhone: "5511900000001", ...data } });
      const untaken = await call("wacid.untaken", { status: "completed", teamIds: ["team-x"] });
      await call("wacid.ivr-only", { status: "completed", teamIds: [] });
      await call("wacid.missed", { status: "missed", teamIds: ["team-x"] });
      expect(JSON.parse(cli("calls:list", "--org", org.id, "--status", "no_agent_answered").out).map((c: { id: string }) => c.id)).toEqual([untaken.id]);
      expect(cli("frobnicate").code).toBe(2);
    })();
  }, 120_000);
});

describe("admin CLI passwords", () => {
  it("sets a new password for an account (the only admin's, say), which signs it out everywhere", async () => {
    const org = await createOrg(db, { name: "Locked Out Co" });
    const email = `only.admin.${Date.now()}@example.com`;
    const added = await createUser(db, org.id, { email, name: "Olga Only", password: "first-pass-1", role: "admin" });
    expect(cli("user:password", "--email", email, "--password", "short").err).toContain("error: password: must be at least 8 characters");
    expect(cli("user:password", "--email", "nobody@example.com", "--password", "long-enough-1").err).toContain(
      "error: No account has the email nobody@example.com",
    );
    const before = Date.now();
    const done = cli("user:password", "--email", email.toUpperCase(), "--password", "second-pass-2");
    expect(done.code).toBe(0);
    expect(JSON.parse(done.out)).toEqual({ id: added.id, email, signedOut: true });
    const user = await db.user.findUniqueOrThrow({ where: { id: added.id } });
    expect(await verifyPassword("second-pass-2", user.passwordHash)).toBe(true);
    expect(await verifyPassword("first-pass-1", user.passwordHash)).toBe(false);
    expect(user.passwordChangedAt?.getTime()).toBeGreaterThanOrEqual(before);
  }, 60_000);
});

describe("admin CLI dead letters", () => {
  it("lists a job that failed for good, with its reason", async () => {
    const worker = startWorker({ concurrency: 1, log: pino({ level: "silent" }), storage: storageFrom(config()) });
    const events = new QueueEvents(AUDIO_QUEUE, { connection: redisConnection() });
    try {
      const job = await enqueue(ttsJob, { assetId: "no-such-asset" }, `cli-dead-${Date.now()}`);
      await expect(job.waitUntilFinished(events, 20_000)).rejects.toThrow("Audio asset no-such-asset no longer exists");
      const failed = JSON.parse(cli("jobs:failed", "--limit", "100").out) as { id: string; failedReason: string; attempts: number }[];
      expect(failed.find((j) => j.id === job.id)).toMatchObject({ failedReason: "Audio asset no-such-asset no longer exists", attempts: 1 });
    } finally {
      await worker.close();
      await events.close();
    }
  }, 60_000);
});
