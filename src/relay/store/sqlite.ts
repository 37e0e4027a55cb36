/**
 * RelayStore on SQLite (better-sqlite3): one file, WAL journal with synchronous=FULL (a commit is fsynced
 * before it returns, so an acknowledged receipt survives a crash or power cut), foreign keys on, versioned
 * migrations. It serves one relay process: several instances share a PostgreSQL store instead.
 */
import Database from "better-sqlite3";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { migrateSqlite } from "./migrations";
import { RECEIPT_ORDER, receiptConditions } from "./receipt-query";
import { toGrant, toPending, toReceipt, toSession, type GrantRow, type PendingRow, type ReceiptRow, type SessionRow } from "./rows";
import type { Grant, GrantChange, ReceiptQuery, RelayStore, Session } from "./types";

/** Opens (creating if needed) the database at `path` (":memory:" for tests) and migrates it. */
export function openSqliteStore(path: string): RelayStore {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  // WAL's default (NORMAL) may lose the last commits on power loss; receipts must not.
  db.pragma("synchronous = FULL");
  db.pragma("foreign_keys = ON");
  db.pragma("busy_timeout = 5000");
  // Deleted tokens should not linger in free pages of the file.
  db.pragma("secure_delete = ON");
  migrateSqlite(db);

  const q = {
    insertPending: db.prepare(
      "INSERT INTO pending_auths (sid, state, challenge, status, created_at, expires_at) VALUES (@sid, @state, @challenge, 'pending', @createdAt, @expiresAt)",
    ),
    getPending: db.prepare("SELECT * FROM pending_auths WHERE sid = ?"),
    useState: db.prepare(
      "UPDATE pending_auths SET status = 'exchanging' WHERE state = ? AND status = 'pending' AND expires_at > ? RETURNING *",
    ),
    ready: db.prepare("UPDATE pending_auths SET status = 'ready', grant_id = ? WHERE sid = ? AND status = 'exchanging'"),
    failed: db.prepare("UPDATE pending_auths SET status = 'failed', failure = ? WHERE sid = ? AND status IN ('pending', 'exchanging')"),
    claim: db.prepare("UPDATE pending_auths SET status = 'claimed' WHERE sid = ? AND status = 'ready' AND expires_at > ?"),
    insertGrant: db.prepare(
      "INSERT INTO grants (id, user_id, tokens, access_expires_at, scope, created_at, updated_at) VALUES (@id, @userId, @tokens, @accessExpiresAt, @scope, @createdAt, @updatedAt)",
    ),
    getGrant: db.prepare("SELECT * FROM grants WHERE id = ?"),
    updateTokens: db.prepare("UPDATE grants SET tokens = ?, access_expires_at = ?, updated_at = ? WHERE id = ?"),
    deleteGrant: db.prepare("DELETE FROM grants WHERE id = ?"),
    insertSession: db.prepare(
      "INSERT INTO sessions (token_hash, grant_id, user_id, created_at, expires_at) VALUES (@tokenHash, @grantId, @userId, @createdAt, @expiresAt)",
    ),
    getSession: db.prepare("SELECT * FROM sessions WHERE token_hash = ?"),
    deleteSession: db.prepare("DELETE FROM sessions WHERE token_hash = ?"),
    deleteLiveSession: db.prepare("DELETE FROM sessions WHERE token_hash = ? AND expires_at > ? AND grant_id = ?"),
    userGrant: db.prepare("SELECT * FROM grants WHERE user_id = ? ORDER BY created_at DESC, rowid DESC LIMIT 1"),
    deleteOtherUserGrants: db.prepare("DELETE FROM grants WHERE user_id = ? AND id <> ?"),
    setGrantUser: db.prepare("UPDATE grants SET user_id = ? WHERE id = ?"),
    insertReceipt: db.prepare(
      `INSERT INTO receipts (id, received_at, user_id, nino, business_id, endpoint_id, method, path, tax_year, period_start, period_end,
         body_sha256, status, correlation_id, hmrc_reference)
       VALUES (@id, @receivedAt, @userId, @nino, @businessId, @endpointId, @method, @path, @taxYear, @periodStart, @periodEnd,
         @bodySha256, @status, @correlationId, @hmrcReference)`,
    ),
    getReceipt: db.prepare("SELECT * FROM receipts WHERE id = ?"),
    ping: db.prepare("SELECT 1"),
    purgePending: db.prepare("DELETE FROM pending_auths WHERE expires_at <= ?"),
    purgeSessions: db.prepare("DELETE FROM sessions WHERE expires_at <= ?"),
    // A grant nobody can reach any more: no live session and no live connect waiting to be claimed.
    purgeOrphanGrants: db.prepare(
      `DELETE FROM grants WHERE id NOT IN (SELECT grant_id FROM sessions)
         AND id NOT IN (SELECT grant_id FROM pending_auths WHERE grant_id IS NOT NULL)
         AND user_id NOT LIKE 'entra:%'`,
    ),
  };

  const complete = db.transaction((sid: string, grant: Grant) => {
    q.insertGrant.run(grant);
    if (q.ready.run(grant.id, sid).changes !== 1) throw new Error("The connect request was no longer waiting for HMRC's answer.");
  });
  const claim = db.transaction((sid: string, now: string, session: Session): boolean => {
    if (q.claim.run(sid, now).changes !== 1) return false;
    q.insertSession.run(session);
    return true;
  });
  const renew = db.transaction((oldHash: string, now: string, next: Session): boolean => {
    if (q.deleteLiveSession.run(oldHash, now, next.grantId).changes !== 1) return false;
    q.insertSession.run(next);
    return true;
  });
  const claimForUser = db.transaction((sid: string, now: string, userId: string): string | null => {
    const pending = q.getPending.get(sid) as PendingRow | undefined;
    if (!pending?.grant_id || q.claim.run(sid, now).changes !== 1) return null;
    q.deleteOtherUserGrants.run(userId, pending.grant_id);
    q.setGrantUser.run(userId, pending.grant_id);
    return pending.grant_id;
  });
  const applyChange = db.transaction((id: string, change: GrantChange) => {
    if (change.kind === "tokens") q.updateTokens.run(change.tokens, change.accessExpiresAt, change.updatedAt, id);
    if (change.kind === "delete") q.deleteGrant.run(id);
  });
  // One process, one connection: a queue per grant is the lock (a transaction cannot span an await here).
  const grantQueues = new Map<string, Promise<void>>();
  const listings = new Map<string, Database.Statement>();
  const purge = db.transaction((now: string) => {
    q.purgePending.run(now);
    q.purgeSessions.run(now);
    q.purgeOrphanGrants.run();
  });

  return {
    async createPendingAuth(p) {
      q.insertPending.run(p);
    },
    async getPendingAuth(sid) {
      const row = q.getPending.get(sid) as PendingRow | undefined;
      return row ? toPending(row) : null;
    },
    async useState(state, now) {
      const row = q.useState.get(state, now) as PendingRow | undefined;
      return row ? toPending(row) : null;
    },
    async completePendingAuth(sid, grant) {
      complete(sid, grant);
    },
    async markPendingFailed(sid, failure) {
      q.failed.run(failure, sid);
    },
    async claimPendingAuth(sid, now, session) {
      return claim(sid, now, session);
    },
    async getGrant(id) {
      const row = q.getGrant.get(id) as GrantRow | undefined;
      return row ? toGrant(row) : null;
    },
    async updateGrantTokens(id, tokens, accessExpiresAt, updatedAt) {
      q.updateTokens.run(tokens, accessExpiresAt, updatedAt, id);
    },
    async withGrantLocked(id, work) {
      const previous = grantQueues.get(id) ?? Promise.resolve();
      let release!: () => void;
      const mine = new Promise<void>((resolve) => (release = resolve));
      const tail = previous.then(() => mine);
      grantQueues.set(id, tail);
      await previous;
      try {
        const row = q.getGrant.get(id) as GrantRow | undefined;
        const { change, result } = await work(row ? toGrant(row) : null);
        applyChange(id, change);
        return result;
      } finally {
        release();
        if (grantQueues.get(id) === tail) grantQueues.delete(id);
      }
    },
    async deleteGrant(id) {
      q.deleteGrant.run(id);
    },
    async getSession(tokenHash) {
      const row = q.getSession.get(tokenHash) as SessionRow | undefined;
      return row ? toSession(row) : null;
    },
    async deleteSession(tokenHash) {
      q.deleteSession.run(tokenHash);
    },
    async replaceSession(oldHash, now, next) {
      return renew(oldHash, now, next);
    },
    async findUserGrant(userId) {
      const row = q.userGrant.get(userId) as GrantRow | undefined;
      return row ? toGrant(row) : null;
    },
    async claimPendingAuthForUser(sid, now, userId) {
      return claimForUser(sid, now, userId);
    },
    async insertReceipt(r) {
      q.insertReceipt.run(r);
    },
    async getReceipt(id) {
      const row = q.getReceipt.get(id) as ReceiptRow | undefined;
      return row ? toReceipt(row) : null;
    },
    async listReceipts(query: ReceiptQuery) {
      const { where, values } = receiptConditions(query, () => "?");
      const sql = `SELECT * FROM receipts WHERE ${where} ${RECEIPT_ORDER} LIMIT ?`;
      let statement = listings.get(sql);
      if (!statement) listings.set(sql, (statement = db.prepare(sql)));
      return (statement.all(...values, query.limit) as ReceiptRow[]).map(toReceipt);
    },
    async purgeExpired(now) {
      purge(now);
    },
    async ping() {
      q.ping.get();
    },
    async close() {
      if (db.open) db.close();
    },
  };
}
