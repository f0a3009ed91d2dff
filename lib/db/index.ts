// The one Prisma client. Queries go through the pg driver adapter (no engine binary), on one pg pool
// that `sql.ts` shares for the few statements every webhook runs.
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { config } from "../config";
import { PrismaClient } from "../generated/prisma/client";

export { Prisma } from "../generated/prisma/client";
export * from "../generated/prisma/enums";
export { PrismaClient };

export function createPrisma(url: string): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
}

const globalForPrisma = globalThis as unknown as { ringflowPrisma?: PrismaClient; ringflowPool?: pg.Pool };

/**
 * Shared across hot reloads in dev so connections are not leaked. `$disconnect` leaves the pool open
 * (the next query uses it again); its idle connections do not keep a process from exiting.
 */
globalForPrisma.ringflowPool ??= new pg.Pool({ connectionString: config().database.url, allowExitOnIdle: true });
globalForPrisma.ringflowPrisma ??= new PrismaClient({ adapter: new PrismaPg(globalForPrisma.ringflowPool) });
export const db: PrismaClient = globalForPrisma.ringflowPrisma;
/** The pool under `db`; only `sql.ts` uses it directly. */
export const dbPool: pg.Pool = globalForPrisma.ringflowPool;

/**
 * The unique index a Prisma P2002 error violated ("whatsapp_accounts_verify_token_key"), or null for
 * any other error. Through the pg driver adapter the index name sits in meta.driverAdapterError.
 */
export function uniqueViolation(err: unknown): string | null {
  const e = err as { code?: string; meta?: { target?: unknown; driverAdapterError?: { cause?: { constraint?: { index?: string; fields?: string[] } } } } };
  if (e?.code !== "P2002") return null;
  const constraint = e.meta?.driverAdapterError?.cause?.constraint;
  const target = e.meta?.target;
  return constraint?.index ?? constraint?.fields?.join(",") ?? (Array.isArray(target) ? target.join(",") : typeof target === "string" ? target : "");
}
