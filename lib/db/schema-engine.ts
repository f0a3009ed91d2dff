// Offline stand-in for `prisma migrate`: drives Prisma's wasm schema engine through the pg
// driver adapter, so no schema-engine binary has to be downloaded. Same folder layout and
// `_prisma_migrations` bookkeeping as the CLI (see shared/examples/prisma-offline-migrations.md).
import fs from "node:fs/promises";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import pg from "pg";

const ROOT = path.resolve(import.meta.dirname, "../..");
export const SCHEMA_PATH = path.join(ROOT, "prisma/schema.prisma");
export const MIGRATIONS_DIR = path.join(ROOT, "prisma/migrations");
/** The schema as of the newest committed migration; `db:migrate` diffs against it. */
export const SNAPSHOT_PATH = path.join(ROOT, "prisma/schema.snapshot.prisma");
const LOCKFILE = 'provider = "postgresql"\n';

interface WasmEngine {
  diff(params: unknown): Promise<{ exitCode: number; stdout: string | null }>;
  applyMigrations(input: unknown): Promise<{ appliedMigrationNames: string[] }>;
  free(): void;
}

// The wasm module holds global state: instantiate it once per process.
let wasmModule: Promise<{ SchemaEngine: { new: (...args: unknown[]) => Promise<WasmEngine> } }> | undefined;

function loadWasm() {
  wasmModule ??= (async () => {
    const dir = path.join(ROOT, "node_modules/@prisma/schema-engine-wasm");
    const bg = await import(path.join(dir, "schema_engine_bg.js"));
    const { instance } = await WebAssembly.instantiate(await fs.readFile(path.join(dir, "schema_engine_bg.wasm")), { "./schema_engine_bg.js": bg });
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as (() => void) | undefined)?.();
    return bg;
  })();
  return wasmModule;
}

async function loadEngine(schemaText: string, connectionString: string): Promise<WasmEngine> {
  const bg = await loadWasm();
  return bg.SchemaEngine.new({ datamodels: [[SCHEMA_PATH, schemaText]] }, () => {}, bindMigrationAwareSqlAdapterFactory(new PrismaPg({ connectionString })));
}

const noFilter = { externalTables: [], externalEnums: [] };

async function withEngine<T>(connectionString: string, fn: (e: WasmEngine) => Promise<T>): Promise<T> {
  const engine = await loadEngine(await fs.readFile(SCHEMA_PATH, "utf8"), connectionString);
  try {
    return await fn(engine);
  } finally {
    engine.free();
  }
}

export async function listMigrations(): Promise<string[]> {
  const entries = await fs.readdir(MIGRATIONS_DIR, { withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

/** Creates the database named in the URL when it does not exist yet (like `prisma migrate deploy`). */
export async function ensureDatabase(connectionString: string): Promise<boolean> {
  const url = new URL(connectionString);
  const name = decodeURIComponent(url.pathname.slice(1));
  url.pathname = "/postgres";
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (rowCount) return false;
    await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
    return true;
  } finally {
    await client.end();
  }
}

/** Applies every pending migration; returns the names applied now. */
export async function deployMigrations(connectionString: string): Promise<string[]> {
  const names = await listMigrations();
  const migrationDirectories = await Promise.all(
    names.map(async (name) => ({
      path: name,
      migrationFile: {
        path: "migration.sql",
        content: { tag: "ok", value: await fs.readFile(path.join(MIGRATIONS_DIR, name, "migration.sql"), "utf8") },
      },
    })),
  );
  const migrationsList = {
    baseDir: MIGRATIONS_DIR,
    lockfile: { path: "migration_lock.toml", content: LOCKFILE },
    shadowDbInitScript: "",
    migrationDirectories,
  };
  return withEngine(connectionString, async (engine) => {
    const out = await engine.applyMigrations({ migrationsList, filters: noFilter });
    return out.appliedMigrationNames;
  });
}

function datamodel(text: string) {
  return { tag: "schemaDatamodel", files: [{ path: SCHEMA_PATH, content: text }] };
}

/** SQL that takes a database from `fromSchema` (or nothing) to `toSchema`. */
export async function diffSchemas(connectionString: string, fromSchema: string | null, toSchema: string): Promise<string> {
  return withEngine(connectionString, async (engine) => {
    const out = await engine.diff({
      from: fromSchema === null ? { tag: "empty" } : datamodel(fromSchema),
      to: datamodel(toSchema),
      script: true,
      exitCode: null,
      filters: noFilter,
    });
    return out.stdout ?? "";
  });
}

/** Writes a new migration folder for the changes since the snapshot; null when nothing changed. */
export async function createMigration(connectionString: string, name: string): Promise<string | null> {
  const current = await fs.readFile(SCHEMA_PATH, "utf8");
  const snapshot = await fs.readFile(SNAPSHOT_PATH, "utf8").catch(() => null);
  const sql = await diffSchemas(connectionString, snapshot, current);
  if (!/\S/.test(sql.replace(/^--.*$/gm, ""))) return null;
  const stamp = new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14);
  const slug =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "_")
      .replace(/^_|_$/g, "") || "migration";
  const dirName = `${stamp}_${slug}`;
  await fs.mkdir(path.join(MIGRATIONS_DIR, dirName), { recursive: true });
  await fs.writeFile(path.join(MIGRATIONS_DIR, dirName, "migration.sql"), sql);
  await fs.writeFile(path.join(MIGRATIONS_DIR, "migration_lock.toml"), `# Please do not edit this file manually\n${LOCKFILE}`);
  await fs.writeFile(SNAPSHOT_PATH, current);
  return dirName;
}
