/** Table rows as either driver returns them, and their mapping to the store's types. */
import type { Receipt } from "../../mtd";
import type { Grant, PendingAuth, PendingStatus, Session } from "./types";

/** SQLite keeps ISO text; PostgreSQL returns TIMESTAMPTZ columns as Date. */
type Time = string | Date;
const iso = (t: Time): string => (typeof t === "string" ? t : t.toISOString());

export interface PendingRow {
  sid: string;
  state: string;
  challenge: string;
  status: PendingStatus;
  grant_id: string | null;
  failure: string | null;
  created_at: Time;
  expires_at: Time;
}

export interface GrantRow {
  id: string;
  user_id: string;
  tokens: string;
  access_expires_at: Time;
  scope: string;
  created_at: Time;
  updated_at: Time;
}

export interface SessionRow {
  token_hash: string;
  grant_id: string;
  user_id: string;
  created_at: Time;
  expires_at: Time;
}

export interface ReceiptRow {
  id: string;
  received_at: Time;
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

export const toPending = (r: PendingRow): PendingAuth => ({
  sid: r.sid,
  state: r.state,
  challenge: r.challenge,
  status: r.status,
  grantId: r.grant_id,
  failure: r.failure,
  createdAt: iso(r.created_at),
  expiresAt: iso(r.expires_at),
});

export const toGrant = (r: GrantRow): Grant => ({
  id: r.id,
  userId: r.user_id,
  tokens: r.tokens,
  accessExpiresAt: iso(r.access_expires_at),
  scope: r.scope,
  createdAt: iso(r.created_at),
  updatedAt: iso(r.updated_at),
});

export const toSession = (r: SessionRow): Session => ({
  tokenHash: r.token_hash,
  grantId: r.grant_id,
  userId: r.user_id,
  createdAt: iso(r.created_at),
  expiresAt: iso(r.expires_at),
});

export const toReceipt = (r: ReceiptRow): Receipt => ({
  id: r.id,
  receivedAt: iso(r.received_at),
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
