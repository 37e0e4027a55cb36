/**
 * Versioned schema migrations, one list for both stores so their versions never drift: each entry carries
 * its SQLite and its PostgreSQL text. Append new entries; never edit an applied one. Each runs in its own
 * transaction with its `schema_migrations` row, so one that fails leaves the database as it was.
 * PostgreSQL columns holding ids use COLLATE "C" so ordering matches SQLite's byte order.
 */
import type { Database } from "better-sqlite3";

export interface Migration {
  version: number;
  name: string;
  sqlite: string;
  postgres: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "pending auths, grants, sessions, receipts",
    sqlite: `
      CREATE TABLE grants (
        id                TEXT PRIMARY KEY,
        user_id           TEXT NOT NULL,
        tokens            TEXT NOT NULL,
        access_expires_at TEXT NOT NULL,
        scope             TEXT NOT NULL,
        created_at        TEXT NOT NULL,
        updated_at        TEXT NOT NULL
      );
      CREATE TABLE pending_auths (
        sid        TEXT PRIMARY KEY,
        state      TEXT NOT NULL UNIQUE,
        challenge  TEXT NOT NULL,
        status     TEXT NOT NULL CHECK (status IN ('pending', 'exchanging', 'ready', 'failed', 'claimed')),
        grant_id   TEXT REFERENCES grants(id) ON DELETE SET NULL,
        failure    TEXT,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
      );
      CREATE INDEX pending_auths_expires ON pending_auths(expires_at);
      CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,
        grant_id   TEXT NOT NULL REFERENCES grants(id) ON DELETE CASCADE,
        user_id    TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
      );
      CREATE INDEX sessions_grant ON sessions(grant_id);
      CREATE INDEX sessions_expires ON sessions(expires_at);
      CREATE TABLE receipts (
        id             TEXT PRIMARY KEY,
        received_at    TEXT NOT NULL,
        user_id        TEXT NOT NULL,
        nino           TEXT NOT NULL,
        business_id    TEXT,
        endpoint_id    TEXT NOT NULL,
        method         TEXT NOT NULL,
        path           TEXT NOT NULL,
        tax_year       TEXT,
        period_start   TEXT,
        period_end     TEXT,
        body_sha256    TEXT,
        status         INTEGER NOT NULL,
        correlation_id TEXT,
        hmrc_reference TEXT
      );
      CREATE INDEX receipts_user ON receipts(user_id, received_at DESC);
    `,
    postgres: `
      CREATE TABLE grants (
        id                TEXT COLLATE "C" PRIMARY KEY,
        user_id           TEXT COLLATE "C" NOT NULL,
        tokens            TEXT NOT NULL,
        access_expires_at TIMESTAMPTZ NOT NULL,
        scope             TEXT NOT NULL,
        created_at        TIMESTAMPTZ NOT NULL,
        updated_at        TIMESTAMPTZ NOT NULL
      );
      CREATE TABLE pending_auths (
        sid        TEXT COLLATE "C" PRIMARY KEY,
        state      TEXT COLLATE "C" NOT NULL UNIQUE,
        challenge  TEXT NOT NULL,
        status     TEXT NOT NULL CHECK (status IN ('pending', 'exchanging', 'ready', 'failed', 'claimed')),
        grant_id   TEXT COLLATE "C" REFERENCES grants(id) ON DELETE SET NULL,
        failure    TEXT,
        created_at TIMESTAMPTZ NOT NULL,
        expires_at TIMESTAMPTZ NOT NULL
      );
      CREATE INDEX pending_auths_expires ON pending_auths(expires_at);
      CREATE INDEX pending_auths_grant ON pending_auths(grant_id);
      CREATE TABLE sessions (
        token_hash TEXT COLLATE "C" PRIMARY KEY,
        grant_id   TEXT COLLATE "C" NOT NULL REFERENCES grants(id) ON DELETE CASCADE,
        user_id    TEXT COLLATE "C" NOT NULL,
        created_at TIMESTAMPTZ NOT NULL,
        expires_at TIMESTAMPTZ NOT NULL
      );
      CREATE INDEX sessions_grant ON sessions(grant_id);
      CREATE INDEX sessions_expires ON sessions(expires_at);
      CREATE TABLE receipts (
        id             TEXT COLLATE "C" PRIMARY KEY,
        received_at    TIMESTAMPTZ NOT NULL,
        user_id        TEXT COLLATE "C" NOT NULL,
        nino           TEXT NOT NULL,
        business_id    TEXT,
        endpoint_id    TEXT NOT NULL,
        method         TEXT NOT NULL,
        path           TEXT NOT NULL,
        tax_year       TEXT,
        period_start   TEXT,
        period_end     TEXT,
        body_sha256    TEXT,
        status         INTEGER NOT NULL,
        correlation_id TEXT,
        hmrc_reference TEXT
      );
    `,
  },
  {
    version: 2,
    name: "receipts paged newest first by (received_at, id)",
    sqlite: `
      DROP INDEX receipts_user;
      CREATE INDEX receipts_user_page ON receipts(user_id, received_at DESC, id DESC);
    `,
    postgres: `
      CREATE INDEX receipts_user_page ON receipts(user_id, received_at DESC, id DESC);
    `,
  },
];

export const UNKNOWN_VERSION_MESSAGE = (version: number) =>
  `The relay database has schema version ${version}, newer than this relay knows. Upgrade the relay.`;

/** The migrations still to apply, in order; throws if the database is newer than this relay. */
export function pending(applied: ReadonlySet<number>, migrations: readonly Migration[]): Migration[] {
  const known = new Set(migrations.map((m) => m.version));
  const unknown = [...applied].filter((v) => !known.has(v));
  if (unknown.length > 0) throw new Error(UNKNOWN_VERSION_MESSAGE(Math.max(...unknown)));
  return [...migrations].sort((a, b) => a.version - b.version).filter((m) => !applied.has(m.version));
}

/** Brings a SQLite database up to the newest version; returns the versions it applied. */
export function migrateSqlite(db: Database, migrations: readonly Migration[] = MIGRATIONS, now: () => Date = () => new Date()): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const applied = new Set(
    db.prepare("SELECT version FROM schema_migrations").all().map((r) => (r as { version: number }).version),
  );
  const done: number[] = [];
  for (const m of pending(applied, migrations)) {
    db.transaction(() => {
      db.exec(m.sqlite);
      db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)").run(m.version, m.name, now().toISOString());
    })();
    done.push(m.version);
  }
  return done;
}
