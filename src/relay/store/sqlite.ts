/** RelayStore on SQLite (better-sqlite3): one file, WAL journal, foreign keys on, versioned migrations. */
import Database from "better-sqlite3";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { Receipt } from "../../mtd";
import { migrate } from "./migrations";
import type { Grant, PendingAuth, PendingStatus, ReceiptQuery, RelayStore, Session } from "./types";

interface PendingRow {
  sid: string;
  state: string;
  challenge: string;
  status: PendingStatus;
  grant_id: string | null;
  failure: string | null;
  created_at: string;
  expires_at: string;
}

interface GrantRow {
  id: string;
  user_id: string;
  tokens: string;
  access_expires_at: string;
  scope: string;
  created_at: string;
  updated_at: string;
}

interface SessionRow {
  token_hash: string;
  grant_id: string;
  user_id: string;
  created_at: string;
  expires_at: string;
}

interface ReceiptRow {
  id: string;
  received_at: string;
  user_id: string;
  nino: string;
  business_id: string | null;
  endpoint_id: string;
  method: string;
  path: string;
  tax_year: string | null;
  period_start: string | null;
  period_end: string | null;
  body_sha256: string | null;
  status: number;
  correlation_id: string | null;
  hmrc_reference: string | null;
}

const toPending = (r: PendingRow): PendingAuth => ({
  sid: r.sid,
  state: r.state,
  challenge: r.challenge,
  status: r.status,
  grantId: r.grant_id,
  failure: r.failure,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
});

const toGrant = (r: GrantRow): Grant => ({
  id: r.id,
  userId: r.user_id,
  tokens: r.tokens,
  accessExpiresAt: r.access_expires_at,
  scope: r.scope,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const toSession = (r: SessionRow): Session => ({
  tokenHash: r.token_hash,
  grantId: r.grant_id,
  userId: r.user_id,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
});

const toReceipt = (r: ReceiptRow): Receipt => ({
  id: r.id,
  receivedAt: r.received_at,
  userId: r.user_id,
  nino: r.nino,
  businessId: r.business_id,
  endpointId: r.endpoint_id,
  method: r.method,
  path: r.path,
  taxYear: r.tax_year,
  periodStart: r.period_start,
  periodEnd: r.period_end,
  bodySha256: r.body_sha256,
  status: r.status,
  correlationId: r.correlation_id,
  hmrcReference: r.hmrc_reference,
});

/** Opens (creating if needed) the database at `path` (":memory:" for tests) and migrates it. */
export function openSqliteStore(path: string): RelayStore {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  db.pragma("foreign_keys = ON");
  db.pragma("busy_timeout = 5000");
  // Deleted tokens should not linger in free pages of the file.
  db.pragma("secure_delete = ON");
  migrate(db);

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
    insertReceipt: db.prepare(
      `INSERT INTO receipts (id, received_at, user_id, nino, business_id, endpoint_id, method, path, tax_year, period_start, period_end,
         body_sha256, status, correlation_id, hmrc_reference)
       VALUES (@id, @receivedAt, @userId, @nino, @businessId, @endpointId, @method, @path, @taxYear, @periodStart, @periodEnd,
         @bodySha256, @status, @correlationId, @hmrcReference)`,
    ),
    getReceipt: db.prepare("SELECT * FROM receipts WHERE id = ?"),
    listReceipts: db.prepare(
      `SELECT * FROM receipts WHERE user_id = @userId AND (@nino IS NULL OR nino = @nino) AND (@taxYear IS NULL OR tax_year = @taxYear)
       ORDER BY received_at DESC, rowid DESC LIMIT @limit`,
    ),
    purgePending: db.prepare("DELETE FROM pending_auths WHERE expires_at <= ?"),
    purgeSessions: db.prepare("DELETE FROM sessions WHERE expires_at <= ?"),
    // A grant nobody can reach any more: no live session and no live connect waiting to be claimed.
    purgeOrphanGrants: db.prepare(
      `DELETE FROM grants WHERE id NOT IN (SELECT grant_id FROM sessions)
         AND id NOT IN (SELECT grant_id FROM pending_auths WHERE grant_id IS NOT NULL)`,
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
    async insertReceipt(r) {
      q.insertReceipt.run(r);
    },
    async getReceipt(id) {
      const row = q.getReceipt.get(id) as ReceiptRow | undefined;
      return row ? toReceipt(row) : null;
    },
    async listReceipts(query: ReceiptQuery) {
      const rows = q.listReceipts.all({
        userId: query.userId,
        nino: query.nino ?? null,
        taxYear: query.taxYear ?? null,
        limit: query.limit,
      }) as ReceiptRow[];
      return rows.map(toReceipt);
    },
    async purgeExpired(now) {
      purge(now);
    },
    async close() {
      if (db.open) db.close();
    },
  };
}
