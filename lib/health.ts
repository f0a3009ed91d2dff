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

/** `p`, or a rejection once CHECK_TIMEOUT_MS have passed without an answer. */
async function withinTimeout<T>(p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

async function check(fn: () => Promise<unknown>): Promise<Check> {
  const started = performance.now();
  try {
    await withinTimeout(fn());
    return { ok: true, ms: Math.round(performance.now() - started) };
  } catch (err) {
    return { ok: false, ms: Math.round(performance.now() - started), error: (err as Error).message };
  }
}

/** How many media gateways are running; null when Redis does not say within the check's time. */
export function gatewaysRunning(): Promise<number | null> {
  return withinTimeout(runningGateways(redis())).catch(() => null);
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
