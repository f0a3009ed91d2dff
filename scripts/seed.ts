// `npm run db:seed`: the demo organisation (admin, two agents, a team, a WhatsApp account, a flow).
// Idempotent: an existing demo org is left as it is (its line's secrets are sealed again when this
// config.toml's encryption_key cannot read them).
import { config, isProductionRuntime } from "../lib/config";
import { seal, unseal } from "../lib/crypto";
import { createPrisma, db as sharedDb } from "../lib/db";
import { renderDraftPrompts } from "../lib/flows/prompt-audio";
import { draftDocumentSchema } from "../lib/ivr";
import { closeQueues } from "../lib/jobs/registry";
import { createAccount, createFlow, createOrg, createTeam, createUser } from "../lib/seed/factories";

export const DEMO = {
  org: "Ringflow Demo",
  password: "ringflow-demo",
  admin: "admin@ringflow.test",
  agents: ["ana@ringflow.test", "ben@ringflow.test"],
  phoneNumberId: "106540352242922",
  appSecret: "demo-app-secret",
  accessToken: "demo-access-token",
  verifyToken: "demo-verify-token",
};

// The demo has known passwords and a known app secret: it must never reach a real deployment.
if (isProductionRuntime()) {
  process.stderr.write(
    "Refusing to seed the demo organisation with NODE_ENV=production (it has known passwords). Create your organisation and first admin with `npm run ringflow -- org:create` and `user:add` instead.\n",
  );
  process.exit(1);
}

const db = createPrisma(config().database.url);

/**
 * The demo line's secrets were sealed with the encryption_key of the config.toml that seeded it; a
 * fresh checkout (a new config.toml) on the same database cannot read them, and no call could be
 * placed. They are the demo's known values, so they are sealed again with this key.
 */
async function resealDemoAccount() {
  const account = await db.whatsAppAccount.findUnique({
    where: { phoneNumberId: DEMO.phoneNumberId },
    select: { id: true, accessTokenEnc: true, appSecretEnc: true },
  });
  if (!account) return;
  try {
    unseal(account.accessTokenEnc);
    unseal(account.appSecretEnc);
    return;
  } catch {
    await db.whatsAppAccount.update({
      where: { id: account.id },
      data: { accessTokenEnc: seal(DEMO.accessToken), appSecretEnc: seal(DEMO.appSecret), verifyToken: DEMO.verifyToken },
    });
    process.stdout.write("The demo line's secrets were sealed with another encryption_key (another config.toml); sealed again with this one.\n");
  }
}
try {
  const existing = await db.user.findUnique({ where: { email: DEMO.admin }, select: { id: true } });
  if (existing) {
    process.stdout.write("Demo organisation already seeded.\n");
    await resealDemoAccount();
  } else {
    const org = await createOrg(db, { name: DEMO.org, callingEnabled: true });
    // The demo records agent calls (demo.sh turns on `[calling] recording_enabled` too).
    await db.organization.update({ where: { id: org.id }, data: { recordingEnabled: true } });
    await createUser(db, org.id, { email: DEMO.admin, name: "Alex Admin", password: DEMO.password, role: "admin" });
    const ana = await createUser(db, org.id, { email: DEMO.agents[0], name: "Ana Agent", password: DEMO.password });
    const ben = await createUser(db, org.id, { email: DEMO.agents[1], name: "Ben Agent", password: DEMO.password });
    const team = await createTeam(db, org.id, "Sales", [ana.id, ben.id]);
    const account = await createAccount(db, org.id, {
      name: "Demo line",
      phoneNumberId: DEMO.phoneNumberId,
      displayPhone: "15550001111",
      accessToken: DEMO.accessToken,
      appSecret: DEMO.appSecret,
      verifyToken: DEMO.verifyToken,
    });
    await createFlow(db, org.id, { accountId: account.id, teamId: team.id, name: "Main menu" });
    process.stdout.write("Seeded demo organisation.\n");
  }
  // The demo's prompts are rendered by the workers before the first call (the gateway never
  // synthesizes); already-rendered texts are reused, so this is cheap on every start.
  const flows = await db.ivrFlow.findMany({ where: { org: { name: DEMO.org } }, select: { orgId: true, publishedDocument: true } });
  for (const f of flows) {
    const doc = draftDocumentSchema.safeParse(f.publishedDocument);
    if (doc.success) await renderDraftPrompts(f.orgId, doc.data);
  }
} finally {
  await db.$disconnect();
  await sharedDb.$disconnect();
  await closeQueues();
}
