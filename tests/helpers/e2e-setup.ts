import { Redis } from "ioredis";
import { deployMigrations } from "../../lib/db/schema-engine";
import { FakeGraphApi } from "../../tools/wa-sim/fake-graph";
import { E2E_DB, E2E_GRAPH_PORT, E2E_REDIS } from "../../vitest.e2e.config";
import { recreateDatabase } from "./pg";

export default async function setup() {
  await deployMigrations(await recreateDatabase(new URL(E2E_DB).pathname.slice(1)));
  const redis = new Redis(E2E_REDIS);
  await redis.flushdb();
  redis.disconnect();
  const graph = new FakeGraphApi();
  await graph.listen(E2E_GRAPH_PORT);
  return () => graph.close();
}
