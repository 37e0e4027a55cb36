/**
 * Identity, session and protection settings (issue #4), parsed from the environment by config.ts. Kept apart
 * so each concern's variables, defaults and messages live in one place.
 *
 *   IDENTITY_MODE            local (default): the HMRC connection itself is the identity (device-bound session)
 *                            entra: the task pane signs in with Microsoft; the relay checks the token per request
 *   ENTRA_TENANT_ID          the tenant (GUID) whose users may sign in                           (entra: required)
 *   ENTRA_CLIENT_ID          the relay's API app registration: the tokens' audience             (entra: required)
 *   ENTRA_REQUIRED_SCOPE     delegated scope every token must carry (access_as_user)
 *   ENTRA_JWKS_URL           signing keys (default: the tenant's discovery keys; tests point it at loopback)
 *   ENTRA_ISSUER             expected issuer (default: https://login.microsoftonline.com/<tenant>/v2.0)
 *   RATE_LIMIT_PER_MINUTE    requests per user per minute, sustained (default 120; 0 = off)
 *   RATE_LIMIT_BURST         requests a user may make at once (default 30)
 *   SHUTDOWN_TIMEOUT_MS      how long a stopping relay waits for requests in flight (default 10 s)
 *   UPSTREAM_RETRIES         extra attempts for idempotent HMRC calls on 429/5xx/network errors (default 2)
 */
export type IdentityMode = "local" | "entra";

export interface EntraSettings {
  tenantId: string;
  /** The API's client id: the `aud` of the tokens we accept. */
  audience: string;
  requiredScope: string;
  jwksUrl: string;
  issuer: string;
}

export interface IdentitySettings {
  mode: IdentityMode;
  /** Set when mode is entra. */
  entra: EntraSettings | null;
}

export interface ProtectionSettings {
  /** Sustained requests per user per minute; 0 turns the limit off. */
  ratePerMinute: number;
  burst: number;
  shutdownTimeoutMs: number;
  /** Extra attempts (after the first) for idempotent upstream calls. */
  upstreamRetries: number;
}

type Get = (name: string) => string | undefined;
type Int = (name: string, fallback: number, min: number, max: number, unit?: string) => number;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SCOPE = /^[A-Za-z0-9._-]{1,64}$/;

export function parseIdentitySettings(get: Get, problems: string[]): IdentitySettings {
  const mode = get("IDENTITY_MODE") ?? "local";
  if (mode !== "local" && mode !== "entra") {
    problems.push(`IDENTITY_MODE must be local or entra; it is "${mode}".`);
    return { mode: "local", entra: null };
  }
  if (mode === "local") return { mode, entra: null };

  const tenantId = get("ENTRA_TENANT_ID") ?? "";
  const audience = get("ENTRA_CLIENT_ID") ?? "";
  const requiredScope = get("ENTRA_REQUIRED_SCOPE") ?? "access_as_user";
  if (!GUID.test(tenantId)) problems.push(`ENTRA_TENANT_ID must be your Microsoft Entra tenant ID (a GUID) when IDENTITY_MODE=entra; it is "${tenantId}".`);
  if (!GUID.test(audience)) problems.push(`ENTRA_CLIENT_ID must be the relay API's application (client) ID (a GUID) when IDENTITY_MODE=entra; it is "${audience}".`);
  if (!SCOPE.test(requiredScope)) problems.push(`ENTRA_REQUIRED_SCOPE must be a scope name such as access_as_user; it is "${requiredScope}".`);
  const jwksUrl = httpsUrl(get("ENTRA_JWKS_URL") ?? `https://login.microsoftonline.com/${tenantId}/discovery/v2.0/keys`, "ENTRA_JWKS_URL", problems);
  const issuer = get("ENTRA_ISSUER") ?? `https://login.microsoftonline.com/${tenantId}/v2.0`;
  return { mode, entra: { tenantId: tenantId.toLowerCase(), audience, requiredScope, jwksUrl, issuer } };
}

export function parseProtectionSettings(int: Int): ProtectionSettings {
  return {
    ratePerMinute: int("RATE_LIMIT_PER_MINUTE", 120, 0, 100_000),
    burst: int("RATE_LIMIT_BURST", 30, 1, 100_000),
    shutdownTimeoutMs: int("SHUTDOWN_TIMEOUT_MS", 10_000, 0, 300_000, " milliseconds"),
    upstreamRetries: int("UPSTREAM_RETRIES", 2, 0, 5),
  };
}

/** https anywhere; plain http only on loopback (a test or local key server). */
function httpsUrl(raw: string, name: string, problems: string[]): string {
  try {
    const url = new URL(raw);
    const loopback = url.hostname === "127.0.0.1" || url.hostname === "localhost" || url.hostname === "[::1]";
    if (url.protocol === "https:" || (url.protocol === "http:" && loopback)) return url.href;
  } catch {
    // reported below
  }
  problems.push(`${name} must be an https URL; it is "${raw}".`);
  return "";
}
