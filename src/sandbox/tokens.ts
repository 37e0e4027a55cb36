/**
 * Authorization codes and tokens, in memory. Every token is random, bound to the client, the NINO granted and
 * the scopes granted, and expires by the injected clock. Codes are single use; reusing one revokes what it
 * issued (RFC 6749 §4.1.2). Refreshing rotates: the old refresh token dies.
 */
import { randomBytes } from "node:crypto";

export const SUPPORTED_SCOPES = ["read:self-assessment", "write:self-assessment"] as const;
export type SandboxScope = (typeof SUPPORTED_SCOPES)[number];

/** What the user granted: shared by the code and every token issued from it. */
export interface Grant {
  readonly clientId: string;
  readonly nino: string;
  readonly scopes: readonly SandboxScope[];
  /** Id of the authorization that produced it, so a replayed code can revoke its tokens. */
  readonly grantId: string;
}

interface CodeRecord extends Grant {
  readonly redirectUri: string;
  readonly expiresAt: number;
  used: boolean;
}

interface TokenRecord extends Grant {
  readonly expiresAt: number;
}

export interface TokenPair {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  scope: string;
  token_type: "bearer";
}

export const CODE_TTL_SECONDS = 10 * 60;
/** Bound on each map; expired entries are swept before this is checked. */
const MAX_ENTRIES = 50_000;

export type CodeExchange =
  | { ok: true; tokens: TokenPair }
  | { ok: false; error: "invalid_grant"; description: string };

const randomToken = (): string => randomBytes(16).toString("hex");

export class TokenStore {
  private readonly codes = new Map<string, CodeRecord>();
  private readonly access = new Map<string, TokenRecord>();
  private readonly refresh = new Map<string, TokenRecord>();

  constructor(
    private readonly now: () => Date,
    private readonly accessTtlSeconds: number,
    private readonly refreshTtlSeconds: number,
  ) {}

  issueCode(grant: Omit<Grant, "grantId">, redirectUri: string): string {
    this.sweep();
    const code = randomToken();
    this.codes.set(code, { ...grant, grantId: randomToken(), redirectUri, expiresAt: this.nowMs() + CODE_TTL_SECONDS * 1000, used: false });
    return code;
  }

  exchangeCode(code: string, clientId: string, redirectUri: string): CodeExchange {
    const record = this.codes.get(code);
    if (!record || record.clientId !== clientId) return { ok: false, error: "invalid_grant", description: "The authorization code is not valid." };
    if (record.used) {
      this.revokeGrant(record.grantId);
      return { ok: false, error: "invalid_grant", description: "The authorization code has already been used." };
    }
    if (record.expiresAt <= this.nowMs()) return { ok: false, error: "invalid_grant", description: "The authorization code has expired." };
    if (record.redirectUri !== redirectUri) return { ok: false, error: "invalid_grant", description: "redirect_uri does not match the one used to get the code." };
    record.used = true;
    return { ok: true, tokens: this.issueTokens(record) };
  }

  refreshTokens(refreshToken: string, clientId: string): CodeExchange {
    const record = this.refresh.get(refreshToken);
    if (!record || record.clientId !== clientId || record.expiresAt <= this.nowMs()) {
      return { ok: false, error: "invalid_grant", description: "The refresh token is not valid." };
    }
    this.refresh.delete(refreshToken);
    return { ok: true, tokens: this.issueTokens(record) };
  }

  /** The grant behind a live access token, or undefined when it is unknown or expired. */
  accessGrant(accessToken: string): Grant | undefined {
    const record = this.access.get(accessToken);
    if (!record) return undefined;
    if (record.expiresAt <= this.nowMs()) {
      this.access.delete(accessToken);
      return undefined;
    }
    return record;
  }

  private issueTokens(grant: Grant): TokenPair {
    this.sweep();
    const base: Grant = { clientId: grant.clientId, nino: grant.nino, scopes: grant.scopes, grantId: grant.grantId };
    const accessToken = randomToken();
    const refreshToken = randomToken();
    this.access.set(accessToken, { ...base, expiresAt: this.nowMs() + this.accessTtlSeconds * 1000 });
    this.refresh.set(refreshToken, { ...base, expiresAt: this.nowMs() + this.refreshTtlSeconds * 1000 });
    return {
      access_token: accessToken,
      refresh_token: refreshToken,
      expires_in: this.accessTtlSeconds,
      scope: grant.scopes.join(" "),
      token_type: "bearer",
    };
  }

  private revokeGrant(grantId: string): void {
    for (const map of [this.access, this.refresh]) for (const [k, v] of map) if (v.grantId === grantId) map.delete(k);
  }

  private nowMs(): number {
    return this.now().getTime();
  }

  private sweep(): void {
    const now = this.nowMs();
    for (const map of [this.codes, this.access, this.refresh] as Array<Map<string, { expiresAt: number }>>) {
      if (map.size < MAX_ENTRIES / 2) continue;
      for (const [k, v] of map) if (v.expiresAt <= now) map.delete(k);
      // Still full: drop the oldest (insertion order) so memory stays bounded.
      while (map.size >= MAX_ENTRIES) map.delete(map.keys().next().value as string);
    }
  }
}
