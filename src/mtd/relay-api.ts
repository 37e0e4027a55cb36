/**
 * The contract between the task pane and the relay (DESIGN.md §5): same origin, bearer session, no cookies.
 * Both sides import these types from here, the only layer they share.
 *
 *   POST /api/auth/start   {challenge}            → AuthStartResponse      (challenge = base64url SHA-256 of the verifier)
 *   GET  /auth/start?sid=…                        → 302 to HMRC's authorize page (opened in the Office dialog)
 *   GET  /auth/callback?code&state                → 302 to /dialog.html?sid=…&result=ok|error&code=…
 *   POST /api/auth/claim   {sid, verifier}        → SessionResponse        (verifier proves the task pane started it)
 *   GET  /api/session                             → SessionInfo            (Authorization: Bearer <session>)
 *   POST /api/auth/disconnect                     → 204                    (revokes HMRC tokens and the session)
 *   ANY  /api/hmrc/<HMRC path>?<query>            → HMRC's status and body, passed through
 *        request headers: Authorization: Bearer <session>, Gov-Client-* (browser half), optional Gov-Test-Scenario
 *        response headers: X-CorrelationId, Deprecation, Sunset, Link from HMRC; X-Mtd-Receipt-Id on writes
 *   GET  /api/receipts/:id                        → Receipt
 *   GET  /api/receipts?nino=&taxYear=&limit=      → {receipts: Receipt[]}
 *   GET  /healthz                                 → {status: "ok", ...}
 * Relay errors (before anything reaches HMRC) use HMRC's body shape with our own codes, listed below.
 */

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
}

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
} as const;

export type RelayErrorCode = keyof typeof RELAY_ERROR_MESSAGES;
