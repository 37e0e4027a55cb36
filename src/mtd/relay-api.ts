/**
 * The contract between the task pane and the relay (DESIGN.md §5): same origin, bearer session, no cookies.
 * Both sides import these types from here, the only layer they share.
 *
 *   POST /api/auth/start   {challenge}            → AuthStartResponse      (challenge = base64url SHA-256 of the verifier)
 *   GET  /auth/start?sid=…                        → 302 to HMRC's authorize page (opened in the Office dialog)
 *   GET  /auth/callback?code&state                → 302 to /dialog.html?sid=…&result=ok|error&code=…
 *   POST /api/auth/claim   {sid, verifier}        → SessionResponse        (verifier proves the task pane started it)
 *   GET  /api/session                             → SessionInfo            (Authorization: Bearer <session>)
 *   POST /api/auth/disconnect                     → 204                    (deletes the relay's HMRC tokens and sessions; HMRC has
 *                                                                            no token-revocation endpoint: users withdraw authority in their HMRC account)
 *   POST /api/session/renew                       → SessionResponse        (local mode: a new token; the old one stops working)
 *   POST /api/session/revoke                      → 204                    (local mode: ends this session; the HMRC grant stays)
 *        In IDENTITY_MODE=entra the bearer is the Microsoft access token for the relay's API instead of a relay
 *        session; /api/auth/start and /api/auth/claim then need it too, and claim answers 204 (the HMRC grant is
 *        linked to the signed-in person, not to a device).
 *   ANY  /api/hmrc/<HMRC path>?<query>            → HMRC's status and body, passed through
 *        request headers: Authorization: Bearer <session>, Gov-Client-* (browser half), optional Gov-Test-Scenario
 *        response headers: X-CorrelationId, Deprecation, Sunset, Link from HMRC; X-Mtd-Receipt-Id on writes
 *   GET  /api/fraud-headers/check                 → FraudHeadersCheckResponse (bearer session, browser Gov-Client-* as for an HMRC call)
 *   GET  /api/receipts/:id                        → Receipt
 *   GET  /api/receipts?nino=&businessId=&taxYear=&endpoint=&from=&to=&cursor=&limit=
 *                                                 → ReceiptsPage           (newest first; from/to are UTC days, inclusive)
 *   GET  /api/receipts/export?format=csv|json&<the same filters>
 *                                                 → every matching receipt, as a CSV or JSON-array download
 *   GET  /healthz                                 → {status: "ok", ...}
 *   GET  /readyz                                  → 200 {status: "ready"} when the store answers, else 503
 *   GET  /api/identity                            → IdentityInfo           (public: how the task pane must sign in)
 * Relay errors (before anything reaches HMRC) use HMRC's body shape with our own codes, listed below.
 */

import type { CONNECTION_METHOD, FraudHeaderReport, FraudValidationResult } from "./fraud";

export const RELAY_HMRC_PREFIX = "/api/hmrc";

export interface AuthStartRequest {
  challenge: string;
}

export interface AuthStartResponse {
  sid: string;
  /** Same-origin URL to open in the Office dialog. */
  dialogUrl: string;
}

export interface AuthClaimRequest {
  sid: string;
  verifier: string;
}

export interface SessionResponse {
  sessionToken: string;
  expiresAt: string;
}

export interface SessionInfo {
  connected: boolean;
  userId: string;
  expiresAt: string;
  /** HMRC environment the relay talks to: shown in the task pane so nobody files to production by mistake. */
  environment: "local-sandbox" | "hmrc-sandbox" | "production";
  /** How the relay knows the user: `local` (this device's HMRC connection) or `entra` (Microsoft sign-in). */
  identity?: "local" | "entra";
  /** True when the Microsoft sign-in used a second factor (entra mode). */
  multiFactor?: boolean;
}

/** How the task pane proves who it is. Public: nothing here is a secret. */
export type IdentityInfo =
  | { mode: "local" }
  | {
      mode: "entra";
      tenantId: string;
      /** The app registration msal-browser signs in with (also the relay API's audience). */
      clientId: string;
      /** The delegated scope to request, e.g. api://<clientId>/access_as_user. */
      scope: string;
    };

export interface Receipt {
  id: string;
  receivedAt: string;
  userId: string;
  /** Masked in listings (AA****56A). */
  nino: string;
  businessId: string | null;
  endpointId: string;
  method: string;
  path: string;
  taxYear: string | null;
  periodStart: string | null;
  periodEnd: string | null;
  /** SHA-256 (hex) of the exact bytes sent to HMRC. */
  bodySha256: string | null;
  status: number;
  correlationId: string | null;
  /** Submission, calculation or property id HMRC returned, when it returned one. */
  hmrcReference: string | null;
}

/** One page of GET /api/receipts: pass `nextCursor` back as `cursor` for the next page; null on the last. */
export interface ReceiptsPage {
  receipts: Receipt[];
  nextCursor: string | null;
}

/** Codes the relay itself answers with, in HMRC's error-body shape. */
export const RELAY_ERROR_MESSAGES = {
  RELAY_NOT_CONNECTED: "You are not connected to HMRC. Choose “Connect to HMRC” and sign in.",
  RELAY_SESSION_EXPIRED: "Your MTD Bridge session has ended. Choose “Connect to HMRC” to continue.",
  RELAY_ENDPOINT_NOT_ALLOWED: "MTD Bridge does not send this kind of request to HMRC.",
  RELAY_BAD_PARAMETER: "A value in the request (NINO, business ID or tax year) is not in HMRC's format.",
  RELAY_TAX_YEAR_NOT_SUPPORTED: "This kind of submission is not available for that tax year.",
  RELAY_BODY_TOO_LARGE: "The request is larger than HMRC accepts.",
  RELAY_BODY_NOT_JSON: "The request body was not valid JSON.",
  RELAY_BAD_HEADER: "A fraud-prevention header was malformed, so nothing was sent to HMRC.",
  RELAY_AUTH_FAILED: "Connecting to HMRC did not complete. Please try again.",
  RELAY_UPSTREAM_UNAVAILABLE: "HMRC could not be reached. Nothing was sent; try again in a few minutes.",
  RELAY_FRAUD_HEADERS_INVALID:
    "Nothing was sent to HMRC: the fraud-prevention data HMRC requires with every call has problems. Open “What we send HMRC” to see them.",
  RELAY_NOT_SIGNED_IN: "Sign in with your Microsoft work account to use MTD Bridge, then try again.",
  RELAY_SIGN_IN_UNAVAILABLE: "Your Microsoft sign-in could not be checked just now. Nothing was sent to HMRC; try again in a few minutes.",
  RELAY_RATE_LIMITED: "Too many requests in a short time. Wait a moment, then try again; nothing was sent to HMRC.",
} as const;

export type RelayErrorCode = keyof typeof RELAY_ERROR_MESSAGES;

/**
 * GET /api/fraud-headers/check: HMRC's validator rules (src/mtd/fraud) applied to exactly the fraud-prevention
 * headers the relay would send with an HMRC call made now, in the validator's response shape, plus each
 * header with personal values partly masked and what the relay leaves out (and why).
 */
export interface FraudHeadersCheckResponse extends FraudValidationResult {
  connectionMethod: typeof CONNECTION_METHOD;
  /** True when the relay refuses to forward a set with errors (FRAUD_HEADERS_STRICT). */
  strict: boolean;
  headers: FraudHeaderReport[];
  notSent: Array<{ header: string; reason: string }>;
}
