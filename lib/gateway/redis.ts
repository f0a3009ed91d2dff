// Redis connections for coordination. Blocking reads need a connection of their own.
import { Redis } from "ioredis";
import { config } from "../config";

export function createRedis(url = config().redis.url): Redis {
  return new Redis(url, { maxRetriesPerRequest: 2, enableOfflineQueue: true, lazyConnect: false });
}

const globalForRedis = globalThis as unknown as { ringflowRedis?: Redis };

/** Shared non-blocking connection for the web tier. */
export function redis(): Redis {
  globalForRedis.ringflowRedis ??= createRedis();
  return globalForRedis.ringflowRedis;
}
