// `npm run ringflow -- <command> [--flags]`: provisioning from scripts, with the same validation
// and encryption as the UI. Prints JSON results; exits non-zero with a clear message on failure.
import fs from "node:fs";
import { parseArgs } from "node:util";
import { z } from "zod";
import { setPassword } from "../lib/account/service";
import { accountCreateInput, accountUpdateInput } from "../lib/accounts/schema";
import { createAccount, updateAccount } from "../lib/accounts/service";
import { hashPassword } from "../lib/crypto/password";
import { db } from "../lib/db";
import { AppError } from "../lib/errors";
import { callFilterFields, NO_AGENT_ANSWERED } from "../lib/calls/filters";
import { importFlow } from "../lib/flows/editor-service";
import { audioQueue } from "../lib/jobs/registry";
import { parseInput } from "../lib/validation";

const HELP = `Usage: npm run ringflow -- <command> [options]

  org:create   --name NAME [--calling on|off]
  org:update   --org ID [--name NAME] [--calling on|off]
  user:add     --org ID --email EMAIL --name NAME --password PW [--role admin|agent]
  user:password --email EMAIL --password PW   set a new password (signs the account out everywhere)
  account:create --org ID --name NAME --phone-number-id ID --display-phone PHONE --waba-id ID
               --access-token TOKEN --app-secret SECRET --verify-token TOKEN
  account:update --org ID --account ID [same options as account:create]
  flow:import  --org ID --account ID --file flow.json [--name NAME] [--no-call-start]
  calls:list   --org ID [--limit 20] [--status completed|missed|no_agent_answered|...]
  jobs:failed  [--limit 20]            background jobs that used up their retries (dead letters)
  jobs:retry   --job ID                 run a failed job again
`;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: Object.fromEntries(
    [
      "name",
      "calling",
      "org",
      "email",
      "password",
      "role",
      "account",
      "phone-number-id",
      "display-phone",
      "waba-id",
      "access-token",
      "app-secret",
      "verify-token",
      "file",
      "limit",
      "status",
    ].map((k) => [k, { type: "string" as const }]),
  ),
  strict: false,
});
const v = values as Record<string, string | boolean | undefined>;
const str = (k: string) => (typeof v[k] === "string" ? (v[k] as string) : undefined);
function need(k: string): string {
  const value = str(k);
  if (!value) throw new AppError("bad_request", `--${k} is required`);
  return value;
}
/** --limit: how many rows a list prints. */
const listLimit = z.object({ limit: z.coerce.number().int().min(1).max(1000).default(20) });
const callsListInput = listLimit.extend({ status: callFilterFields.status });

const calling = () => {
  const c = str("calling");
  if (c === undefined) return undefined;
  if (c !== "on" && c !== "off") throw new AppError("bad_request", "--calling must be on or off");
  return c === "on";
};
const accountFields = () => ({
  name: str("name"),
  phoneNumberId: str("phone-number-id"),
  displayPhone: str("display-phone"),
  wabaId: str("waba-id"),
  accessToken: str("access-token"),
  appSecret: str("app-secret"),
  verifyToken: str("verify-token"),
});

async function ownOrg(id: string) {
  const org = await db.organization.findUnique({ where: { id }, select: { id: true } });
  if (!org) throw new AppError("not_found", `Organisation ${id} was not found`);
  return org.id;
}

const commands: Record<string, () => Promise<unknown>> = {
  "org:create": async () =>
    db.organization.create({ data: { name: need("name"), callingEnabled: calling() ?? false }, select: { id: true, name: true, callingEnabled: true } }),
  "org:update": async () =>
    db.organization.update({
      where: { id: await ownOrg(need("org")) },
      data: { name: str("name"), callingEnabled: calling() },
      select: { id: true, name: true, callingEnabled: true },
    }),
  "user:add": async () => {
    const orgId = await ownOrg(need("org"));
    const input = parseInput(
      z.object({
        email: z.email(),
        name: z.string().min(1),
        password: z.string().min(8, "must be at least 8 characters"),
        role: z.enum(["admin", "agent"]).default("agent"),
      }),
      { email: str("email"), name: str("name"), password: str("password"), role: str("role") },
    );
    const user = await db.user.upsert({
      where: { email: input.email.toLowerCase() },
      create: { email: input.email.toLowerCase(), name: input.name, passwordHash: await hashPassword(input.password) },
      update: {},
      select: { id: true, email: true },
    });
    await db.membership.upsert({
      where: { orgId_userId: { orgId, userId: user.id } },
      create: { orgId, userId: user.id, role: input.role },
      update: { role: input.role },
    });
    return { ...user, role: input.role };
  },
  "user:password": async () => {
    const input = parseInput(z.object({ email: z.email(), password: z.string().min(8, "must be at least 8 characters") }), {
      email: str("email"),
      password: str("password"),
    });
    const user = await db.user.findUnique({ where: { email: input.email.toLowerCase() }, select: { id: true, email: true } });
    if (!user) throw new AppError("not_found", `No account has the email ${input.email.toLowerCase()}`);
    if (!(await setPassword(user.id, input.password))) throw new AppError("not_found", `The account ${user.email} was just removed`);
    return { ...user, signedOut: true };
  },
  "account:create": async () => createAccount(await ownOrg(need("org")), parseInput(accountCreateInput, accountFields())),
  "account:update": async () => updateAccount(await ownOrg(need("org")), need("account"), parseInput(accountUpdateInput, accountFields())),
  "flow:import": async () => {
    const file = need("file");
    let document: unknown;
    try {
      document = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (err) {
      throw new AppError("bad_request", `Cannot read ${file}: ${(err as Error).message}`);
    }
    return importFlow(await ownOrg(need("org")), {
      accountId: need("account"),
      name: str("name") ?? file.replace(/^.*\//, "").replace(/\.json$/, ""),
      document,
      callStart: !process.argv.includes("--no-call-start"),
    });
  },
  "jobs:failed": async () => {
    const { limit } = parseInput(listLimit, { limit: str("limit") });
    const jobs = await audioQueue().getFailed(0, limit - 1);
    return jobs.map((j) => ({
      id: j.id,
      name: j.name,
      data: j.data,
      attempts: j.attemptsMade,
      failedReason: j.failedReason,
      finishedOn: j.finishedOn ? new Date(j.finishedOn).toISOString() : null,
    }));
  },
  "jobs:retry": async () => {
    const job = await audioQueue().getJob(need("job"));
    if (!job || !(await job.isFailed())) throw new AppError("not_found", "No failed job with that id");
    await job.retry();
    return { id: job.id, retried: true };
  },
  "calls:list": async () => {
    const { status, limit } = parseInput(callsListInput, { status: str("status"), limit: str("limit") });
    return db.call.findMany({
      where: {
        orgId: await ownOrg(need("org")),
        ...(status === NO_AGENT_ANSWERED ? { status: "completed", teamIds: { isEmpty: false }, agentId: null } : status ? { status } : {}),
      },
      orderBy: { startedAt: "desc" },
      take: limit,
      select: {
        id: true,
        waCallId: true,
        direction: true,
        status: true,
        callerPhone: true,
        startedAt: true,
        durationSecs: true,
        disconnectedBy: true,
        error: true,
      },
    });
  },
};

const command = positionals[0];
const run = command ? commands[command] : undefined;
if (!run) {
  process.stderr.write(command ? `Unknown command ${command}\n\n${HELP}` : HELP);
  process.exit(command ? 2 : 0);
}
try {
  process.stdout.write(`${JSON.stringify(await run(), null, 2)}\n`);
  await db.$disconnect();
  process.exit(0);
} catch (err) {
  const message = err instanceof AppError ? err.message : `Unexpected error: ${(err as Error).message}`;
  process.stderr.write(`error: ${message}\n`);
  await db.$disconnect();
  process.exit(1);
}
