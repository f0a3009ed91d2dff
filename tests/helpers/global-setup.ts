// Once per test run: a fresh database with every committed migration applied, a clean Redis
// test database, and the fake Graph API that the code under test talks to.
import { Redis } from "ioredis";
import { deployMigrations } from "../../lib/db/schema-engine";
import { FakeGraphApi } from "../../tools/wa-sim/fake-graph";
import { FAKE_GRAPH_PORT } from "../../vitest.config";
import { recreateDatabase } from "./pg";

export default async function setup() {
  const url = process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/ringflow_test";
  await deployMigrations(await recreateDatabase(new URL(url).pathname.slice(1)));
  const redis = new Redis(process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379/5");
  await redis.flushdb();
  redis.disconnect();
  const graph = new FakeGraphApi();
  await graph.listen(FAKE_GRAPH_PORT);
  return () => graph.close();
}
