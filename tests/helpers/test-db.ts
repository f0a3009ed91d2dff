// A Prisma client on the same database the code under test uses (DATABASE_URL from the vitest config).
import { createPrisma } from "../../lib/db";

export const testDb = createPrisma(process.env.DATABASE_URL ?? "");
