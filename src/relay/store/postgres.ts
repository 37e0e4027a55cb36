/**
 * RelayStore on PostgreSQL (`pg`), for several relay instances serving one firm: all state is in the
 * database, every once-only change is one statement or one transaction, and a grant's refresh holds its
 * row lock (`SELECT … FOR UPDATE`), so two instances never refresh the same grant at once.
 * Commits are durable when they return (PostgreSQL's default synchronous_commit=on; do not turn it off).
 */
import { Pool, type PoolClient } from "pg";
import type { Receipt } from "../../mtd";
import { MIGRATIONS, pending, type Migration } from "./migrations";
import { RECEIPT_ORDER, receiptConditions } from "./receipt-query";
import { toGrant, toPending, toReceipt, toSession, type GrantRow, type PendingRow, type ReceiptRow, type SessionRow } from "./rows";
import type { Grant, PendingAuth, RelayStore, Session } from "./types";

export interface PostgresOptions {
  /** postgres:// or postgresql:// URL (user, password, host, database, sslmode…). */
  connectionString: string;
  /** Connections per relay instance (default 10). */
  poolSize?: number;
  /** Keep the relay's tables in this schema (created if missing) instead of the user's default. */
  schema?: string;
  /** Errors on idle connections (the database restarted, say): reported, not thrown. */
  onError?: (e: Error) => void;
}

/** Session-level advisory lock key, so instances starting together migrate one at a time. */
const MIGRATION_LOCK = 7_216_542_101;
/** How long a refresh waits for another instance's refresh of the same grant before giving up. */
const GRANT_LOCK_TIMEOUT = "60s";
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export async function openPostgresStore(o: PostgresOptions): Promise<RelayStore> {
  if (o.schema !== undefined && !SCHEMA_NAME.test(o.schema)) throw new Error(`"${o.schema}" is not a usable schema name (lower-case letters, digits, _).`);
  const pool = new Pool({
    connectionString: o.connectionString,
    max: o.poolSize ?? 10,
    ...(o.schema ? { options: `-c search_path=${o.schema}` } : {}),
  });
  pool.on("error", (e) => o.onError?.(e));
  try {
    if (o.schema) await pool.query(`CREATE SCHEMA IF NOT EXISTS ${o.schema}`);
    await migratePostgres(pool);
  } catch (e) {
    await pool.end();
    throw e;
  }

  const one = async <R>(sql: string, values: unknown[]): Promise<R | null> => ((await pool.query(sql, values)).rows[0] as R | undefined) ?? null;
  async function transaction<T>(work: (c: PoolClient) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      const result = await work(client);
      await client.query("COMMIT");
      return result;
    } catch (e) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
  }
  const insertGrant = (c: PoolClient | Pool, g: Grant) =>
    c.query(
      "INSERT INTO grants (id, user_id, tokens, access_expires_at, scope, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
      [g.id, g.userId, g.tokens, g.accessExpiresAt, g.scope, g.createdAt, g.updatedAt],
    );
  const insertSession = (c: PoolClient | Pool, s: Session) =>
    c.query("INSERT INTO sessions (token_hash, grant_id, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)", [
      s.tokenHash,
      s.grantId,
      s.userId,
      s.createdAt,
      s.expiresAt,
    ]);

  return {
    async createPendingAuth(p: Omit<PendingAuth, "status" | "grantId" | "failure">) {
      await pool.query(
        "INSERT INTO pending_auths (sid, state, challenge, status, created_at, expires_at) VALUES ($1, $2, $3, 'pending', $4, $5)",
        [p.sid, p.state, p.challenge, p.createdAt, p.expiresAt],
      );
    },
    async getPendingAuth(sid) {
      const row = await one<PendingRow>("SELECT * FROM pending_auths WHERE sid = $1", [sid]);
      return row ? toPending(row) : null;
    },
    async useState(state, now) {
      const row = await one<PendingRow>(
        "UPDATE pending_auths SET status = 'exchanging' WHERE state = $1 AND status = 'pending' AND expires_at > $2 RETURNING *",
        [state, now],
      );
      return row ? toPending(row) : null;
    },
    async completePendingAuth(sid, grant) {
      await transaction(async (c) => {
        await insertGrant(c, grant);
        const r = await c.query("UPDATE pending_auths SET status = 'ready', grant_id = $1 WHERE sid = $2 AND status = 'exchanging'", [grant.id, sid]);
        if (r.rowCount !== 1) throw new Error("The connect request was no longer waiting for HMRC's answer.");
      });
    },
    async markPendingFailed(sid, failure) {
      await pool.query("UPDATE pending_auths SET status = 'failed', failure = $1 WHERE sid = $2 AND status IN ('pending', 'exchanging')", [failure, sid]);
    },
    async claimPendingAuth(sid, now, session) {
      return transaction(async (c) => {
        const r = await c.query("UPDATE pending_auths SET status = 'claimed' WHERE sid = $1 AND status = 'ready' AND expires_at > $2", [sid, now]);
        if (r.rowCount !== 1) return false;
        await insertSession(c, session);
        return true;
      });
    },
    async getGrant(id) {
      const row = await one<GrantRow>("SELECT * FROM grants WHERE id = $1", [id]);
      return row ? toGrant(row) : null;
    },
    async updateGrantTokens(id, tokens, accessExpiresAt, updatedAt) {
      await pool.query("UPDATE grants SET tokens = $1, access_expires_at = $2, updated_at = $3 WHERE id = $4", [tokens, accessExpiresAt, updatedAt, id]);
    },
    async withGrantLocked(id, work) {
      return transaction(async (c) => {
        await c.query(`SET LOCAL lock_timeout = '${GRANT_LOCK_TIMEOUT}'`);
        const row = (await c.query("SELECT * FROM grants WHERE id = $1 FOR UPDATE", [id])).rows[0] as GrantRow | undefined;
        const { change, result } = await work(row ? toGrant(row) : null);
        if (change.kind === "tokens") {
          await c.query("UPDATE grants SET tokens = $1, access_expires_at = $2, updated_at = $3 WHERE id = $4", [
            change.tokens,
            change.accessExpiresAt,
            change.updatedAt,
            id,
          ]);
        }
        if (change.kind === "delete") await c.query("DELETE FROM grants WHERE id = $1", [id]);
        return result;
      });
    },
    async deleteGrant(id) {
      await pool.query("DELETE FROM grants WHERE id = $1", [id]);
    },
    async getSession(tokenHash) {
      const row = await one<SessionRow>("SELECT * FROM sessions WHERE token_hash = $1", [tokenHash]);
      return row ? toSession(row) : null;
    },
    async deleteSession(tokenHash) {
      await pool.query("DELETE FROM sessions WHERE token_hash = $1", [tokenHash]);
    },
    async replaceSession(oldHash, now, next) {
      return transaction(async (c) => {
        const r = await c.query("DELETE FROM sessions WHERE token_hash = $1 AND expires_at > $2 AND grant_id = $3", [oldHash, now, next.grantId]);
        if (r.rowCount !== 1) return false;
        await insertSession(c, next);
        return true;
      });
    },
    async findUserGrant(userId) {
      const row = await one<GrantRow>("SELECT * FROM grants WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1", [userId]);
      return row ? toGrant(row) : null;
    },
    async claimPendingAuthForUser(sid, now, userId) {
      return transaction(async (c) => {
        const r = await c.query("UPDATE pending_auths SET status = 'claimed' WHERE sid = $1 AND status = 'ready' AND expires_at > $2 RETURNING grant_id", [sid, now]);
        const grantId = (r.rows[0] as { grant_id: string | null } | undefined)?.grant_id;
        if (r.rowCount !== 1 || !grantId) return null;
        await c.query("DELETE FROM grants WHERE user_id = $1 AND id <> $2", [userId, grantId]);
        await c.query("UPDATE grants SET user_id = $1 WHERE id = $2", [userId, grantId]);
        return grantId;
      });
    },
    async insertReceipt(r: Receipt) {
      await pool.query(
        `INSERT INTO receipts (id, received_at, user_id, nino, business_id, endpoint_id, method, path, tax_year, period_start, period_end,
           body_sha256, status, correlation_id, hmrc_reference)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
        [
          r.id,
          r.receivedAt,
          r.userId,
          r.nino,
          r.businessId,
          r.endpointId,
          r.method,
          r.path,
          r.taxYear,
          r.periodStart,
          r.periodEnd,
          r.bodySha256,
          r.status,
          r.correlationId,
          r.hmrcReference,
        ],
      );
    },
    async getReceipt(id) {
      const row = await one<ReceiptRow>("SELECT * FROM receipts WHERE id = $1", [id]);
      return row ? toReceipt(row) : null;
    },
    async listReceipts(query) {
      const { where, values } = receiptConditions(query, (n) => `$${n}`);
      const rows = await pool.query(`SELECT * FROM receipts WHERE ${where} ${RECEIPT_ORDER} LIMIT $${values.length + 1}`, [...values, query.limit]);
      return (rows.rows as ReceiptRow[]).map(toReceipt);
    },
    async purgeExpired(now) {
      await transaction(async (c) => {
        await c.query("DELETE FROM pending_auths WHERE expires_at <= $1", [now]);
        await c.query("DELETE FROM sessions WHERE expires_at <= $1", [now]);
        // A grant nobody can reach any more: no live session and no live connect waiting to be claimed.
        await c.query(
          `DELETE FROM grants g WHERE NOT EXISTS (SELECT 1 FROM sessions s WHERE s.grant_id = g.id)
             AND NOT EXISTS (SELECT 1 FROM pending_auths p WHERE p.grant_id = g.id)
             AND g.user_id NOT LIKE 'entra:%'`,
        );
      });
    },
    async ping() {
      await pool.query("SELECT 1");
    },
    async close() {
      if (!pool.ended) await pool.end();
    },
  };
}

/** Brings the database up to the newest version, one instance at a time; returns the versions it applied. */
export async function migratePostgres(pool: Pool, migrations: readonly Migration[] = MIGRATIONS, now: () => Date = () => new Date()): Promise<number[]> {
  const client = await pool.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
    try {
      await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version    INTEGER PRIMARY KEY,
        name       TEXT NOT NULL,
        applied_at TIMESTAMPTZ NOT NULL
      )`);
      const applied = new Set((await client.query("SELECT version FROM schema_migrations")).rows.map((r) => (r as { version: number }).version));
      const done: number[] = [];
      for (const m of pending(applied, migrations)) {
        try {
          await client.query("BEGIN");
          await client.query(m.postgres);
          await client.query("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)", [m.version, m.name, now().toISOString()]);
          await client.query("COMMIT");
        } catch (e) {
          await client.query("ROLLBACK");
          throw new Error(`Schema migration ${m.version} (${m.name}) failed and was rolled back: ${(e as Error).message}`);
        }
        done.push(m.version);
      }
      return done;
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK]);
    }
  } finally {
    client.release();
  }
}
