// The demo's database step in one process (one tsx start instead of two on every demo start):
// create the database if needed, apply pending migrations, then seed the demo organisation.
import { loadConfig } from "../lib/config";
import { deployMigrations, ensureDatabase } from "../lib/db/schema-engine";

const url = loadConfig().database.url;
if (await ensureDatabase(url)) process.stdout.write("Created the database.\n");
const applied = await deployMigrations(url);
process.stdout.write(applied.length ? `Applied: ${applied.join(", ")}\n` : "Database is up to date.\n");
await import("./seed");
// The driver adapter's idle pool would keep the process alive for another ten seconds.
process.exit(0);
