import Database from "better-sqlite3";
import { Pool } from "pg";
import { join } from "node:path";
import { MIGRATIONS, migrateSqlite, openPostgresStore, openSqliteStore, type Migration } from "../../src/relay/store";
import { migratePostgres } from "../../src/relay/store/postgres";
import { tempDir } from "./helpers";
import { dropSchema, freshSchema, POSTGRES_SKIP_REASON, postgresUnderTest, sqliteUnderTest, TEST_DATABASE_URL } from "./store-db";
import { storeContract, T0 } from "./store-suite";

const broken: Migration = {
  version: MIGRATIONS.length + 1,
  name: "half good, half broken",
  sqlite: "CREATE TABLE half (x INTEGER); INSERT INTO no_such_table VALUES (1);",
  postgres: "CREATE TABLE half (x INTEGER); INSERT INTO no_such_table VALUES (1);",
};
const extra: Migration = { version: MIGRATIONS.length + 1, name: "extra", sqlite: "CREATE TABLE extra (x INTEGER)", postgres: "CREATE TABLE extra (x INTEGER)" };

describe("SQLite store", () => {
  storeContract(sqliteUnderTest);

  describe("migrations", () => {
    test("are recorded in schema_migrations and not re-applied on reopen; WAL with synchronous=FULL", async () => {
      const path = join(tempDir(), "sub", "relay.sqlite");
      await openSqliteStore(path).close();
      await openSqliteStore(path).close();
      const db = new Database(path, { readonly: true });
      expect(db.prepare("SELECT version, name FROM schema_migrations").all()).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
      expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
      db.close();
    });

    test("the store's connection syncs every commit (synchronous=FULL)", async () => {
      // synchronous is per connection, so ask the store's own connection through a spy on the driver.
      const path = join(tempDir(), "relay.sqlite");
      const pragmas: string[] = [];
      const original = Database.prototype.pragma;
      const spy = jest.spyOn(Database.prototype, "pragma").mockImplementation(function (this: Database.Database, source: string, options?: Database.PragmaOptions) {
        pragmas.push(source);
        return original.call(this, source, options);
      });
      try {
        await openSqliteStore(path).close();
      } finally {
        spy.mockRestore();
      }
      expect(pragmas).toContain("synchronous = FULL");
    });

    test("a database from a newer relay is refused", () => {
      const db = new Database(":memory:");
      migrateSqlite(db);
      db.prepare("INSERT INTO schema_migrations VALUES (999, 'future', ?)").run(T0);
      expect(() => migrateSqlite(db)).toThrow(/schema version 999, newer than this relay knows/);
      db.close();
    });

    test("new migrations apply in order, each once", () => {
      const db = new Database(":memory:");
      expect(migrateSqlite(db)).toEqual(MIGRATIONS.map((m) => m.version));
      expect(migrateSqlite(db, [...MIGRATIONS, extra])).toEqual([extra.version]);
      expect(migrateSqlite(db, [...MIGRATIONS, extra])).toEqual([]);
      db.close();
    });

    test("a migration that fails leaves the database as it was", () => {
      const db = new Database(":memory:");
      migrateSqlite(db);
      expect(() => migrateSqlite(db, [...MIGRATIONS, broken])).toThrow(/no such table/);
      expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half'").all()).toEqual([]);
      expect(db.prepare("SELECT max(version) AS v FROM schema_migrations").get()).toEqual({ v: MIGRATIONS.length });
      db.close();
    });
  });
});

if (TEST_DATABASE_URL) {
  const url = TEST_DATABASE_URL;
  describe("PostgreSQL store", () => {
    storeContract(() => postgresUnderTest(url));

    describe("migrations", () => {
      let schema: string;
      let pool: Pool;
      beforeEach(() => {
        schema = freshSchema();
        pool = new Pool({ connectionString: url, max: 2, options: `-c search_path=${schema}` });
      });
      afterEach(async () => {
        await pool.end();
        await dropSchema(url, schema);
      });

      test("are recorded once, even when several instances start together", async () => {
        await pool.query(`CREATE SCHEMA ${schema}`);
        const results = await Promise.all([migratePostgres(pool), openPostgresStore({ connectionString: url, schema }).then((s) => s.close())]);
        expect(results[0].length === 0 || results[0].length === MIGRATIONS.length).toBe(true);
        const rows = await pool.query("SELECT version, name FROM schema_migrations ORDER BY version");
        expect(rows.rows).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
        expect(await migratePostgres(pool)).toEqual([]);
      });

      test("new ones apply once; a newer database is refused", async () => {
        await pool.query(`CREATE SCHEMA ${schema}`);
        await migratePostgres(pool);
        expect(await migratePostgres(pool, [...MIGRATIONS, extra])).toEqual([extra.version]);
        await pool.query("INSERT INTO schema_migrations VALUES (999, 'future', now())");
        await expect(migratePostgres(pool)).rejects.toThrow(/schema version 999, newer than this relay knows/);
      });

      test("a migration that fails leaves the database as it was", async () => {
        await pool.query(`CREATE SCHEMA ${schema}`);
        await migratePostgres(pool);
        await expect(migratePostgres(pool, [...MIGRATIONS, broken])).rejects.toThrow(/migration \d+ \(half good, half broken\) failed and was rolled back/);
        expect((await pool.query("SELECT to_regclass('half') AS t")).rows).toEqual([{ t: null }]);
        expect((await pool.query("SELECT max(version) AS v FROM schema_migrations")).rows).toEqual([{ v: MIGRATIONS.length }]);
      });
    });
  });
} else {
  describe("PostgreSQL store", () => {
    test.skip(POSTGRES_SKIP_REASON, () => undefined);
  });
}
