// Reachability of the services the web tier depends on.
import { Redis } from "ioredis";
import { config } from "./config";
import { db } from "./db";

async function check(fn: () => Promise<unknown>): Promise<{ ok: boolean; error?: string }> {
  try {
    await fn();
    return { ok: true };
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
}

export async function health() {
  const [database, redis] = await Promise.all([
    check(() => db.$queryRaw`SELECT 1`),
    check(async () => {
      const client = new Redis(config().redis.url, { lazyConnect: true, connectTimeout: 2000, maxRetriesPerRequest: 0 });
      try {
        await client.connect();
        await client.ping();
      } finally {
        client.disconnect();
      }
    }),
  ]);
  return { ok: database.ok && redis.ok, database, redis };
}
