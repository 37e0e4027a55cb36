/**
 * What the relay persists: pending connects, HMRC grants (tokens encrypted by the caller), sessions (by the
 * SHA-256 of their token) and receipts. Two implementations (SQLite, PostgreSQL) pass one test suite
 * (test/relay/store-suite.ts). Every state change that must happen once (using an OAuth state, claiming a
 * sid, refreshing a grant's tokens) is a single atomic method, so several relay processes can share a
 * PostgreSQL store. Times are ISO 8601 UTC strings with milliseconds (`Date#toISOString`).
 */
import type { Receipt } from "../../mtd";

export type PendingStatus = "pending" | "exchanging" | "ready" | "failed" | "claimed";

export interface PendingAuth {
  sid: string;
  /** The OAuth `state` sent to HMRC for this sid. */
  state: string;
  /** base64url SHA-256 of the task pane's verifier. */
  challenge: string;
  status: PendingStatus;
  /** Set when status is ready or claimed. */
  grantId: string | null;
  /** Why it failed (`access_denied` or `RELAY_AUTH_FAILED`), when status is failed. */
  failure: string | null;
  createdAt: string;
  expiresAt: string;
}

export interface Grant {
  id: string;
  /** Our stable id for the person who granted access (Gov-Client-User-IDs, receipts). */
  userId: string;
  /** Access and refresh tokens, encrypted (TokenCipher). Never plaintext here. */
  tokens: string;
  accessExpiresAt: string;
  scope: string;
  createdAt: string;
  updatedAt: string;
}

export interface Session {
  /** SHA-256 hex of the bearer token: the token itself is never stored. */
  tokenHash: string;
  grantId: string;
  userId: string;
  createdAt: string;
  expiresAt: string;
}

/** What a locked grant update decides: leave it, store new (encrypted) tokens, or forget the grant. */
export type GrantChange =
  | { kind: "keep" }
  | { kind: "tokens"; tokens: string; accessExpiresAt: string; updatedAt: string }
  | { kind: "delete" };

/** Position after the last receipt of a page (newest first: receivedAt, then id, both descending). */
export interface ReceiptCursor {
  receivedAt: string;
  id: string;
}

export interface ReceiptQuery {
  userId: string;
  nino?: string;
  businessId?: string;
  taxYear?: string;
  endpointId?: string;
  /** receivedAt >= from (ISO instant). */
  from?: string;
  /** receivedAt < before (ISO instant). */
  before?: string;
  /** Only receipts after this position. */
  after?: ReceiptCursor;
  limit: number;
}

export interface RelayStore {
  createPendingAuth(p: Omit<PendingAuth, "status" | "grantId" | "failure">): Promise<void>;
  getPendingAuth(sid: string): Promise<PendingAuth | null>;
  /** Atomically moves the unexpired pending auth with this state from pending to exchanging; null if none. */
  useState(state: string, now: string): Promise<PendingAuth | null>;
  /** In one transaction: stores the new grant and moves the sid from exchanging to ready. */
  completePendingAuth(sid: string, grant: Grant): Promise<void>;
  markPendingFailed(sid: string, failure: string): Promise<void>;
  /**
   * In one transaction: moves an unexpired ready sid to claimed and creates the session.
   * False (and no session) if the sid was not ready: already claimed, expired, failed or unknown.
   */
  claimPendingAuth(sid: string, now: string, session: Session): Promise<boolean>;

  getGrant(id: string): Promise<Grant | null>;
  /** Replaces the token blob in one statement, so a rotated refresh token is never half-stored. */
  updateGrantTokens(id: string, tokens: string, accessExpiresAt: string, updatedAt: string): Promise<void>;
  /**
   * Runs `work` holding this grant exclusively (PostgreSQL: `SELECT … FOR UPDATE` on its row, so across
   * relay instances; SQLite, which serves one process: a per-grant queue), with the grant as it is under the
   * lock (null if gone), and applies the change it returns before releasing the lock.
   */
  withGrantLocked<T>(id: string, work: (grant: Grant | null) => Promise<{ change: GrantChange; result: T }>): Promise<T>;
  /** Deletes the grant and every session on it. */
  deleteGrant(id: string): Promise<void>;

  getSession(tokenHash: string): Promise<Session | null>;
  deleteSession(tokenHash: string): Promise<void>;
  /**
   * In one transaction: deletes the live (unexpired) session `oldHash` and creates `next`, which must be on the
   * same grant (renewal). False, and nothing changed, if `oldHash` was not a live session of that grant.
   */
  replaceSession(oldHash: string, now: string, next: Session): Promise<boolean>;
  /** The newest grant held for this user id, or null (entra mode: a person's HMRC connection). */
  findUserGrant(userId: string): Promise<Grant | null>;
  /**
   * Entra mode, in one transaction: moves an unexpired ready sid to claimed, gives its grant to `userId`, and
   * deletes that user's other grants (one HMRC connection per person). The grant id, or null if the sid was
   * not ready. Grants of `entra:` users have no sessions and must not be purged as orphans.
   */
  claimPendingAuthForUser(sid: string, now: string, userId: string): Promise<string | null>;

  /** Stores the receipt with its full NINO, durably (committed and synced) before it resolves. */
  insertReceipt(r: Receipt): Promise<void>;
  getReceipt(id: string): Promise<Receipt | null>;
  /** Newest first (receivedAt, then id, descending); masking is the caller's job. */
  listReceipts(q: ReceiptQuery): Promise<Receipt[]>;

  /** Removes expired pending auths (with grants nobody claimed) and expired sessions. */
  purgeExpired(now: string): Promise<void>;
  /** Cheap round trip proving the store answers (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
