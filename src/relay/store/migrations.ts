/**
 * Versioned schema migrations for the SQLite store. Append new entries; never edit an applied one.
 * Each runs in its own transaction and is recorded in `schema_migrations`.
 */
import type { Database } from "better-sqlite3";

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "pending auths, grants, sessions, receipts",
    sql: `
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
  },
];

/** Brings the database up to the newest version; returns the versions it applied. */
export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS, now: () => Date = () => new Date()): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const applied = new Set(
    db.prepare("SELECT version FROM schema_migrations").all().map((r) => (r as { version: number }).version),
  );
  const known = new Set(migrations.map((m) => m.version));
  const unknown = [...applied].filter((v) => !known.has(v));
  if (unknown.length > 0) {
    throw new Error(`The relay database has schema version ${Math.max(...unknown)}, newer than this relay knows. Upgrade the relay.`);
  }
  const done: number[] = [];
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)").run(m.version, m.name, now().toISOString());
    })();
    done.push(m.version);
  }
  return done;
}
