/**
 * Stores for tests: a SQLite file in a temporary folder, and (when TEST_DATABASE_URL is set) a PostgreSQL
 * store in a schema of its own, dropped afterwards. Each can dump what it persisted, to scan for secrets.
 */
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Pool } from "pg";
import { openPostgresStore, openSqliteStore } from "../../src/relay/store";
import { tempDir } from "./helpers";
import type { StoreUnderTest } from "./store-suite";

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL?.trim() || undefined;
export const POSTGRES_SKIP_REASON = "PostgreSQL store tests skipped: set TEST_DATABASE_URL=postgres://user:pass@host/db to run them (CI does).";

/** The SQLite file and its -wal and -shm companions, as bytes read as text. */
export function sqliteFileDump(path: string): string {
  return ["", "-wal", "-shm"]
    .map((suffix) => `${path}${suffix}`)
    .filter((file) => existsSync(file))
    .map((file) => readFileSync(file).toString("latin1"))
    .join("\n");
}

export async function sqliteUnderTest(): Promise<StoreUnderTest> {
  const path = join(tempDir(), "relay.sqlite");
  const store = openSqliteStore(path);
  return { store, dump: async () => sqliteFileDump(path), dispose: () => store.close() };
}

/** Every row of every table in the schema, as JSON. */
export async function postgresDump(url: string, schema: string): Promise<string> {
  const pool = new Pool({ connectionString: url, max: 1 });
  try {
    const tables = await pool.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name", [schema]);
    const out: string[] = [];
    for (const { table_name } of tables.rows) {
      const rows = await pool.query(`SELECT * FROM ${schema}.${table_name}`);
      out.push(`${table_name}: ${JSON.stringify(rows.rows)}`);
    }
    return out.join("\n");
  } finally {
    await pool.end();
  }
}

export async function dropSchema(url: string, schema: string): Promise<void> {
  const pool = new Pool({ connectionString: url, max: 1 });
  try {
    await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await pool.end();
  }
}

export const freshSchema = () => `test_${randomBytes(6).toString("hex")}`;

export async function postgresUnderTest(url: string): Promise<StoreUnderTest> {
  const schema = freshSchema();
  const store = await openPostgresStore({ connectionString: url, schema, poolSize: 4 });
  return {
    store,
    dump: () => postgresDump(url, schema),
    another: () => openPostgresStore({ connectionString: url, schema, poolSize: 4 }),
    dispose: async () => {
      await store.close();
      await dropSchema(url, schema);
    },
  };
}
