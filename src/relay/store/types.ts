/**
 * What the relay persists: pending connects, HMRC grants (tokens encrypted by the caller), sessions (by the
 * SHA-256 of their token) and receipts. Asynchronous so a PostgreSQL store can implement it later; every
 * state change that must happen once (using an OAuth state, claiming a sid) is a single atomic method.
 * Times are ISO 8601 UTC strings with milliseconds (`Date#toISOString`), which sort as text.
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

export interface ReceiptQuery {
  userId: string;
  nino?: string;
  taxYear?: string;
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
  /** Deletes the grant and every session on it. */
  deleteGrant(id: string): Promise<void>;

  getSession(tokenHash: string): Promise<Session | null>;
  deleteSession(tokenHash: string): Promise<void>;

  /** Stores the receipt with its full NINO; masking is the caller's job when listing. */
  insertReceipt(r: Receipt): Promise<void>;
  getReceipt(id: string): Promise<Receipt | null>;
  /** Newest first. */
  listReceipts(q: ReceiptQuery): Promise<Receipt[]>;

  /** Removes expired pending auths (with grants nobody claimed) and expired sessions. */
  purgeExpired(now: string): Promise<void>;
  close(): Promise<void>;
}
