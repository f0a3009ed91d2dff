// Fresh stores and a WhatsApp number for call benchmarks: an organisation with calling on, the number (registered with the
// fake Graph API under its token) and an uploaded tone asset to use as a prompt. Import it after the
// bench has set its environment (the app's modules read the config once).
import path from "node:path";
import { Redis } from "ioredis";
import { createPrisma } from "../lib/db";
import { deployMigrations } from "../lib/db/schema-engine";
import { createAccount, createOrg } from "../lib/seed/factories";
import type { FakeGraphApi } from "../tools/wa-sim/fake-graph";
import { writeToneFile } from "../tools/wa-sim/tone";
import { recreateDatabaseAt } from "../tests/helpers/pg";

/** A freshly migrated database and a flushed Redis database, both closed by `cleanups`. */
export async function freshStores(dbUrl: string, redisUrl: string, cleanups: (() => unknown)[]) {
  await deployMigrations(await recreateDatabaseAt(dbUrl));
  const redis = new Redis(redisUrl);
  cleanups.push(() => redis.disconnect());
  await redis.flushdb();
  const db = createPrisma(dbUrl);
  cleanups.push(() => db.$disconnect());
  return { redis, db };
}

export async function seedToneLine(
  db: ReturnType<typeof createPrisma>,
  graph: Pick<FakeGraphApi, "registerAccount">,
  opts: { name: string; phoneNumberId: string; displayPhone: string; audioDir: string; toneKey: string; toneSecs: number },
) {
  const toneFile = writeToneFile(path.join(opts.audioDir, opts.toneKey), 440, opts.toneSecs);
  const secret = `bench-secret-${opts.phoneNumberId}`;
  const token = `EAAG-bench-${opts.phoneNumberId}`;
  graph.registerAccount(opts.phoneNumberId, token);
  const org = await createOrg(db, { name: opts.name, callingEnabled: true });
  const account = await createAccount(db, org.id, {
    phoneNumberId: opts.phoneNumberId,
    displayPhone: opts.displayPhone,
    appSecret: secret,
    accessToken: token,
  });
  const asset = await db.audioAsset.create({
    data: { orgId: org.id, kind: "upload", name: `${opts.name} tone`, status: "ready", storageKey: opts.toneKey, durationMs: opts.toneSecs * 1000 },
  });
  return { toneFile, secret, org, account, asset, line: { phoneNumberId: opts.phoneNumberId, displayPhone: opts.displayPhone } };
}
