// Reachability of the services the web tier depends on, over the connections it already holds
// (a health probe must not open a Redis connection per request).
import { db } from "./db";
import { runningGateways } from "./gateway/dispatch";
import { redis } from "./gateway/redis";

const CHECK_TIMEOUT_MS = 2_000;

export interface Check {
  ok: boolean;
  ms: number;
  error?: string;
}

async function check(fn: () => Promise<unknown>): Promise<Check> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      fn(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
      }),
    ]);
    return { ok: true, ms: Math.round(performance.now() - started) };
  } catch (err) {
    return { ok: false, ms: Math.round(performance.now() - started), error: (err as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

/** How many media gateways are running; null when Redis does not say within the check's time. */
export async function gatewaysRunning(): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      runningGateways(redis()),
      new Promise<null>((resolve) => {
        timer = setTimeout(() => resolve(null), CHECK_TIMEOUT_MS);
      }),
    ]);
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `gateways`: how many media gateways are running (null when Redis did not say). The web tier is
 * ready without them, so it does not count towards `ok`, but with none every call is rejected.
 */
export async function health(): Promise<{ ok: boolean; database: Check; redis: Check; gateways: number | null }> {
  const [database, redisCheck, gateways] = await Promise.all([check(() => db.$queryRaw`SELECT 1`), check(() => redis().ping()), gatewaysRunning()]);
  return { ok: database.ok && redisCheck.ok, database, redis: redisCheck, gateways };
}

/**
 * The readiness answer of the web tier (GET /api/health and /readyz): 200 or 503, saying only ok /
 * not ok to the public; which service failed and why is for operators and organisation admins.
 */
export async function readinessResponse(detailed: () => Promise<boolean>): Promise<Response> {
  const result = await health();
  const body = (await detailed()) ? result : { ok: result.ok };
  return Response.json(body, { status: result.ok ? 200 : 503, headers: { "cache-control": "no-store" } });
}
