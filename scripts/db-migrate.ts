// `npm run db:migrate -- <name>`: write a migration for schema changes since the last one.
import { loadConfig } from "../lib/config";
import { createMigration, deployMigrations } from "../lib/db/schema-engine";

const name = process.argv[2] ?? "change";
const config = loadConfig();
const dir = await createMigration(config.database.url, name);
if (!dir) {
  process.stdout.write("No schema changes since the last migration.\n");
} else {
  process.stdout.write(`Created prisma/migrations/${dir}/migration.sql\n`);
  const applied = await deployMigrations(config.database.url);
  process.stdout.write(`Applied: ${applied.join(", ")}\n`);
}
