// The one Prisma client. Queries go through the pg driver adapter (no engine binary).
import { PrismaPg } from "@prisma/adapter-pg";
import { config } from "../config";
import { PrismaClient } from "../generated/prisma/client";

export type { Prisma } from "../generated/prisma/client";
export * from "../generated/prisma/enums";
export { PrismaClient };

export function createPrisma(url: string): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
}

const globalForPrisma = globalThis as unknown as { ringflowPrisma?: PrismaClient };

/** Shared across hot reloads in dev so connections are not leaked. */
globalForPrisma.ringflowPrisma ??= createPrisma(config().database.url);
export const db: PrismaClient = globalForPrisma.ringflowPrisma;
