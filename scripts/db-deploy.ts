// `npm run db:deploy`: apply pending migrations without the Prisma schema-engine binary.
import { loadConfig } from "../lib/config";
import { deployMigrations, ensureDatabase } from "../lib/db/schema-engine";

const config = loadConfig();
if (await ensureDatabase(config.database.url)) process.stdout.write("Created the database.\n");
const applied = await deployMigrations(config.database.url);
process.stdout.write(applied.length ? `Applied: ${applied.join(", ")}\n` : "Database is up to date.\n");
// The driver adapter's idle pool would keep the process alive for another ten seconds.
process.exit(0);
