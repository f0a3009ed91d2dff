import { execFileSync } from "node:child_process";
import fs from "node:fs/promises";
import { afterAll, describe, expect, it } from "vitest";
import { SCHEMA_PATH, deployMigrations, diffSchemas, listMigrations } from "../../lib/db/schema-engine";
import { dropDatabase, recreateDatabase } from "../helpers/pg";

function schemaDump(url: string): string {
  return execFileSync("pg_dump", ["--schema-only", "--no-owner", "--exclude-table=_prisma_migrations", url], {
    encoding: "utf8",
  })
    .split("\n")
    .filter((l) => !l.startsWith("--") && !l.startsWith("\\restrict") && !l.startsWith("\\unrestrict"))
    .join("\n");
}

describe("offline migrations", () => {
  const scratch = ["rf_mig_a", "rf_mig_b"];
  afterAll(async () => {
    for (const name of scratch) await dropDatabase(name);
  });

  it("applies every committed migration to an empty database, then is idempotent", async () => {
    const url = await recreateDatabase("rf_mig_a");
    const names = await listMigrations();
    expect(names.length).toBeGreaterThan(0);
    expect(await deployMigrations(url)).toEqual(names);
    expect(await deployMigrations(url)).toEqual([]);
  });

  it("committed migrations produce exactly the schema in schema.prisma (no drift)", async () => {
    const fromMigrations = await recreateDatabase("rf_mig_a");
    await deployMigrations(fromMigrations);
    const fromSchema = await recreateDatabase("rf_mig_b");
    const script = await diffSchemas(fromSchema, null, await fs.readFile(SCHEMA_PATH, "utf8"));
    execFileSync("psql", ["-v", "ON_ERROR_STOP=1", "-q", fromSchema], { input: script });
    const a = schemaDump(fromMigrations);
    expect(a).toContain('CREATE TABLE public.calls');
    expect(a).toEqual(schemaDump(fromSchema));
  });
});
