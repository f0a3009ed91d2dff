// lib/db/sql: the statements every call runs go to PostgreSQL as named prepared statements (parsed
// and planned once per connection), keep working across a migration that changes their tables, and
// give the same answers as before in any process time zone.
import { afterAll, describe, expect, it } from "vitest";
import { Prisma } from "../../lib/db";
import { sqlExec, sqlRows } from "../../lib/db/sql";
import { testDb as db } from "../helpers/test-db";

afterAll(async () => {
  await db.$executeRawUnsafe("DROP TABLE IF EXISTS sql_test_rows");
  await db.$disconnect();
});

describe("sqlRows and sqlExec", () => {
  it("prepare each statement once per connection under one name, whatever its values", async () => {
    const prepared = () =>
      sqlRows<{ name: string; statement: string }>(
        Prisma.sql`SELECT name, statement FROM pg_prepared_statements /* sql-test-marker */ WHERE statement LIKE ${"%sql-test-marker%"}`,
      );
    // The statement lists itself: it was prepared on this connection before it ran.
    const [first] = await prepared();
    expect(first?.name).toMatch(/^rf_/);
    expect(first?.statement).toContain("pg_prepared_statements");
    for (let i = 0; i < 5; i++) expect((await prepared()).map((p) => p.name)).toEqual([first!.name]);
  });

  it("keep working when a migration changes the table under a prepared statement", async () => {
    await db.$executeRawUnsafe("DROP TABLE IF EXISTS sql_test_rows");
    await db.$executeRawUnsafe("CREATE TABLE sql_test_rows (id text PRIMARY KEY, at timestamp(3))");
    const at = new Date(Date.UTC(2026, 10, 28, 3, 4, 5, 678));
    const insert = (id: string) => sqlExec(Prisma.sql`INSERT INTO sql_test_rows (id, at) VALUES (${id}, ${at})`);
    const read = (id: string) => sqlRows<{ id: string; at: string }>(Prisma.sql`SELECT id, at::text AS at FROM sql_test_rows WHERE id = ${id}`);
    for (const id of ["a", "b", "c"]) expect(await insert(id)).toBe(1);
    expect(await read("a")).toEqual([{ id: "a", at: "2026-11-28 03:04:05.678" }]);
    await db.$executeRawUnsafe("ALTER TABLE sql_test_rows ADD COLUMN note text, ALTER COLUMN at TYPE timestamp(6)");
    for (const id of ["d", "e", "f"]) expect(await insert(id)).toBe(1);
    expect(await read("f")).toEqual([{ id: "f", at: "2026-11-28 03:04:05.678" }]);
    expect(await sqlExec(Prisma.sql`UPDATE sql_test_rows SET note = ${"x"} WHERE id = ANY(${["a", "f", "zz"]}::text[])`)).toBe(2);
  });
});
