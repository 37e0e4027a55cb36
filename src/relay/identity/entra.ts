/**
 * Microsoft Entra sign-in (IDENTITY_MODE=entra; reference/addin-engineering.md §2.4): the task pane sends the
 * access token msal-browser obtained for our API, and the relay checks it with jose against the tenant's
 * signing keys: RS256 signature, issuer, audience, expiry and not-before, tenant, and the delegated scope.
 * The person is `tid` + `oid` (stable across devices and sign-ins); an `amr` containing a second factor
 * gives the data for Gov-Client-Multi-Factor.
 */
import type * as JoseModule from "jose" with { "resolution-mode": "import" };
import { err, ok, type Result } from "../../mtd";
import { sha256Hex } from "../crypto";
import type { EntraSettings } from "./settings";
import type { MultiFactor } from "./types";

export interface EntraIdentity {
  /** `entra:<tid>:<oid>`. */
  userId: string;
  /** When the token stops being valid (ISO). */
  expiresAt: string;
  multiFactor?: MultiFactor;
}

/** `invalid`: the token is not acceptable; `unavailable`: Microsoft's signing keys could not be fetched. */
export type EntraFailure = "invalid" | "unavailable";
export type EntraVerifier = (token: string) => Promise<Result<EntraIdentity, EntraFailure>>;

const JWT = /^[A-Za-z0-9_-]{1,4096}\.[A-Za-z0-9_-]{1,16384}\.[A-Za-z0-9_-]{1,2048}$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Leeway for clock differences between Microsoft and us. */
const CLOCK_TOLERANCE_SECONDS = 60;
/** amr values (RFC 8176, Entra) that mean a second factor was used; a one-time code sent by text is AUTH_CODE. */
const SECOND_FACTORS = new Set(["mfa", "otp", "sms", "ngcmfa", "rsa", "fido", "hwk", "swk", "wiaormfa"]);
const CODE_FACTORS = new Set(["otp", "sms"]);

type Jose = typeof JoseModule;
let joseModule: Promise<Jose> | undefined;
/** jose 6 is ESM-only; the relay is CommonJS, so it is loaded once, on first use. */
const loadJose = (): Promise<Jose> => (joseModule ??= import("jose"));

export function createEntraVerifier(settings: EntraSettings, now: () => Date, options: { timeoutMs?: number } = {}): EntraVerifier {
  let keys: ReturnType<Jose["createRemoteJWKSet"]> | undefined;
  return async (token) => {
    if (!JWT.test(token)) return err("invalid");
    const jose = await loadJose();
    keys ??= jose.createRemoteJWKSet(new URL(settings.jwksUrl), { timeoutDuration: options.timeoutMs ?? 5000 });
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jose.jwtVerify(token, keys, {
        algorithms: ["RS256"],
        issuer: settings.issuer,
        audience: settings.audience,
        currentDate: now(),
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ["exp", "iat", "tid", "oid"],
      }));
    } catch (e) {
      return err(keysUnavailable(e) ? "unavailable" : "invalid");
    }
    const { tid, oid, scp, exp } = payload;
    if (typeof tid !== "string" || tid.toLowerCase() !== settings.tenantId) return err("invalid");
    if (typeof oid !== "string" || !GUID.test(oid) || typeof exp !== "number") return err("invalid");
    const scopes = typeof scp === "string" ? scp.split(" ") : [];
    if (!scopes.includes(settings.requiredScope)) return err("invalid");
    const multiFactor = multiFactorOf(payload, tid, oid);
    return ok({
      userId: `entra:${tid.toLowerCase()}:${oid.toLowerCase()}`,
      expiresAt: new Date(exp * 1000).toISOString(),
      ...(multiFactor ? { multiFactor } : {}),
    });
  };
}

/** The key set could not be fetched or read (network, timeout, bad answer): not the token's fault. */
function keysUnavailable(e: unknown): boolean {
  const code = typeof e === "object" && e !== null ? (e as { code?: unknown }).code : undefined;
  if (typeof code !== "string" || !code.startsWith("ERR_J")) return true;
  return code === "ERR_JWKS_TIMEOUT" || code === "ERR_JWKS_INVALID" || code === "ERR_JOSE_GENERIC";
}

/**
 * Gov-Client-Multi-Factor data when the sign-in used a second factor. Microsoft does not tell us which phone
 * or authenticator was used, so the unique reference is a hash of the account and the factor kind: the same
 * for the same person and factor every time, and revealing neither.
 */
function multiFactorOf(payload: Record<string, unknown>, tid: string, oid: string): MultiFactor | undefined {
  const amr = Array.isArray(payload.amr) ? payload.amr.filter((v): v is string => typeof v === "string") : [];
  const factor = amr.find((m) => SECOND_FACTORS.has(m));
  if (factor === undefined) return undefined;
  const at = typeof payload.auth_time === "number" ? payload.auth_time : (payload.iat as number);
  return {
    type: CODE_FACTORS.has(factor) ? "AUTH_CODE" : "OTHER",
    timestamp: new Date(at * 1000).toISOString(),
    uniqueReference: sha256Hex(`mtd-bridge-mfa:${tid.toLowerCase()}:${oid.toLowerCase()}:${factor}`),
  };
}
