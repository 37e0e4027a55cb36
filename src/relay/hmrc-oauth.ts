/**
 * HMRC's OAuth 2.0 authorization-code flow, server side (the client secret never leaves the relay):
 * the authorize URL, the code exchange and the refresh, all at `${HMRC_BASE_URL}/oauth/*`.
 */
import { err, ok, type Result } from "../mtd";

export const HMRC_SCOPES = "read:self-assessment write:self-assessment";

export interface HmrcTokens {
  accessToken: string;
  refreshToken: string;
  expiresInSeconds: number;
  scope: string;
}

export type TokenFailure =
  /** HMRC answered and said no (`invalid_grant` means the code or refresh token is dead). */
  | { kind: "rejected"; status: number; error: string }
  /** HMRC could not be reached, timed out, or answered something we cannot read. */
  | { kind: "unavailable"; detail: string };

export interface HmrcOAuthClient {
  authorizeUrl(state: string): string;
  exchangeCode(code: string): Promise<Result<HmrcTokens, TokenFailure>>;
  /** `current` is kept if HMRC does not rotate the refresh token. */
  refresh(current: string): Promise<Result<HmrcTokens, TokenFailure>>;
}

export interface HmrcOAuthOptions {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  timeoutMs: number;
  fetch: typeof fetch;
}

const TOKEN = /^[\x21-\x7E]{1,4096}$/;

export function createHmrcOAuthClient(o: HmrcOAuthOptions): HmrcOAuthClient {
  async function tokenRequest(form: Record<string, string>, fallbackRefresh?: string): Promise<Result<HmrcTokens, TokenFailure>> {
    let res: Response;
    let text: string;
    try {
      res = await o.fetch(`${o.baseUrl}/oauth/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
        body: new URLSearchParams({ ...form, client_id: o.clientId, client_secret: o.clientSecret }).toString(),
        redirect: "manual",
        signal: AbortSignal.timeout(o.timeoutMs),
      });
      text = await res.text();
    } catch (e) {
      return err({ kind: "unavailable", detail: (e as Error).name === "TimeoutError" ? "timed out" : "network error" });
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (!res.ok) {
      const error = isRecord(json) && typeof json.error === "string" ? json.error.slice(0, 64) : `http_${res.status}`;
      return res.status >= 500 ? err({ kind: "unavailable", detail: error }) : err({ kind: "rejected", status: res.status, error });
    }
    const tokens = parseTokens(json, fallbackRefresh);
    return tokens ? ok(tokens) : err({ kind: "unavailable", detail: "unreadable token response" });
  }

  return {
    authorizeUrl(state) {
      const q = new URLSearchParams({
        response_type: "code",
        client_id: o.clientId,
        scope: HMRC_SCOPES,
        redirect_uri: o.redirectUri,
        state,
      });
      return `${o.baseUrl}/oauth/authorize?${q.toString()}`;
    },
    exchangeCode(code) {
      return tokenRequest({ grant_type: "authorization_code", code, redirect_uri: o.redirectUri });
    },
    refresh(current) {
      return tokenRequest({ grant_type: "refresh_token", refresh_token: current }, current);
    },
  };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function parseTokens(json: unknown, fallbackRefresh?: string): HmrcTokens | undefined {
  if (!isRecord(json)) return undefined;
  const { access_token, refresh_token, expires_in, scope } = json;
  const refreshToken = typeof refresh_token === "string" ? refresh_token : fallbackRefresh;
  const expires = typeof expires_in === "string" ? Number(expires_in) : expires_in;
  if (typeof access_token !== "string" || !TOKEN.test(access_token)) return undefined;
  if (refreshToken === undefined || !TOKEN.test(refreshToken)) return undefined;
  if (typeof expires !== "number" || !Number.isFinite(expires) || expires <= 0) return undefined;
  return { accessToken: access_token, refreshToken, expiresInSeconds: Math.floor(expires), scope: typeof scope === "string" ? scope : HMRC_SCOPES };
}
