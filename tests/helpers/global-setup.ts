// Once per test run: a fresh database with every committed migration applied.
import { deployMigrations } from "../../lib/db/schema-engine";
import { recreateDatabase } from "./pg";

export default async function setup() {
  const url = process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/ringflow_test";
  await deployMigrations(await recreateDatabase(new URL(url).pathname.slice(1)));
}
