import { execFileSync } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
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
    expect(a).toContain("CREATE TABLE public.calls");
    expect(a).toEqual(schemaDump(fromSchema));
  });

  it("makes duplicate verify tokens in old data unique before indexing them, keeping the oldest as is", async () => {
    const url = await recreateDatabase("rf_mig_a");
    await deployMigrations(url);
    const sql = (input: string) => execFileSync("psql", ["-v", "ON_ERROR_STOP=1", "-q", "-At", url], { input, encoding: "utf8" });
    sql(`DROP INDEX whatsapp_accounts_verify_token_key;
      INSERT INTO organizations (id, name) VALUES ('o1', 'Old');
      INSERT INTO whatsapp_accounts (id, org_id, name, phone_number_id, display_phone, waba_id, access_token_enc, app_secret_enc, verify_token, created_at) VALUES
        ('a1', 'o1', 'A', '111', '1', 'w', 'x', 'y', 'tok', now() - interval '2 days'),
        ('a2', 'o1', 'B', '222', '1', 'w', 'x', 'y', 'tok', now() - interval '1 day'),
        ('a3', 'o1', 'C', '333', '1', 'w', 'x', 'y', 'other', now());`);
    const dir = (await listMigrations()).find((m) => m.endsWith("_verify_token_unique"))!;
    sql(await fs.readFile(path.join(path.dirname(SCHEMA_PATH), "migrations", dir, "migration.sql"), "utf8"));
    expect(sql("SELECT id || '=' || verify_token FROM whatsapp_accounts ORDER BY id").trim().split("\n")).toEqual(["a1=tok", "a2=tok-a2", "a3=other"]);
  });
});
