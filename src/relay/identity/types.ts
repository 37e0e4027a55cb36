/**
 * Who is making a request, as every route sees it (`request.relaySession`), whichever identity mode proved it.
 * Fraud-prevention headers read `userId` (Gov-Client-User-IDs) and `multiFactor` (Gov-Client-Multi-Factor).
 */
import type { IdentityMode } from "./settings";

/** HMRC's Gov-Client-Multi-Factor entry (reference/fraud-headers.md §2.2 row 4), not yet encoded. */
export interface MultiFactor {
  type: "TOTP" | "AUTH_CODE" | "OTHER";
  /** ISO 8601 UTC instant of the second-factor sign-in. */
  timestamp: string;
  /** Salted hash identifying the factor (same function every time). */
  uniqueReference: string;
}

export interface RelaySession {
  mode: IdentityMode;
  /** Stable id of the person: one per HMRC grant in local mode, `entra:<tid>:<oid>` in entra mode. */
  userId: string;
  /** The HMRC grant requests are made with; null when an entra user has not connected to HMRC yet. */
  grantId: string | null;
  expiresAt: string;
  /** Local mode: SHA-256 of the bearer token (to renew or revoke it); null in entra mode. */
  tokenHash: string | null;
  multiFactor?: MultiFactor;
}
