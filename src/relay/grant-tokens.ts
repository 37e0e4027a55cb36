/**
 * HMRC tokens of a grant: sealed (AES-256-GCM, TokenCipher) into the store, opened only to call HMRC,
 * refreshed shortly before they expire. HMRC rotates the refresh token on every refresh, so a second refresh
 * with the old one would fail: at most one refresh runs per grant. Within a process, concurrent callers
 * share one promise (the fast path); across relay instances the store's grant lock (PostgreSQL row lock)
 * serialises them, and whoever gets the lock second finds fresh tokens and does not refresh again. The new
 * blob (access and rotated refresh token together) is written in the same locked step.
 * A blob sealed with an older key is re-encrypted with the newest the next time the grant is used.
 *
 * Disconnecting deletes the grant and its tokens (store.deleteGrant). HMRC offers no endpoint to revoke a
 * user's token; the user withdraws the authority itself in their HMRC online account.
 */
import { randomUUID } from "node:crypto";
import { err, ok, type Result } from "../mtd";
import type { TokenCipher } from "./crypto";
import type { HmrcOAuthClient, HmrcTokens } from "./hmrc-oauth";
import type { Grant, GrantChange, RelayStore } from "./store";

/** Refresh when the access token has less than this long left, so it cannot expire in flight. */
export const REFRESH_MARGIN_MS = 60_000;

interface SealedTokens {
  access: string;
  refresh: string;
}

export type AccessFailure = "not-connected" | "unavailable";
type Access = Result<string, AccessFailure>;

export interface GrantTokens {
  /** A new grant (random id and userId) holding `tokens` encrypted; not yet stored. */
  seal(tokens: HmrcTokens, now: Date): Grant;
  /** A usable HMRC access token for the grant, refreshing it first if it is about to expire. */
  accessToken(grantId: string): Promise<Access>;
}

export interface GrantTokensDeps {
  store: RelayStore;
  cipher: TokenCipher;
  oauth: HmrcOAuthClient;
  now: () => Date;
  onError?: (message: string) => void;
}

export function createGrantTokens(d: GrantTokensDeps): GrantTokens {
  const inflight = new Map<string, Promise<Access>>();
  const aad = (grantId: string) => `grant:${grantId}`;
  const expiry = (tokens: HmrcTokens, now: Date) => new Date(now.getTime() + tokens.expiresInSeconds * 1000).toISOString();
  const seal = (grantId: string, t: SealedTokens): string => d.cipher.encrypt(JSON.stringify(t), aad(grantId));
  const fresh = (grant: Grant) => Date.parse(grant.accessExpiresAt) - d.now().getTime() > REFRESH_MARGIN_MS;

  function open(grant: Grant): SealedTokens | undefined {
    try {
      const value = JSON.parse(d.cipher.decrypt(grant.tokens, aad(grant.id))) as SealedTokens;
      return typeof value.access === "string" && typeof value.refresh === "string" ? value : undefined;
    } catch (e) {
      d.onError?.(`Stored HMRC tokens could not be decrypted: ${(e as Error).message}`);
      return undefined;
    }
  }

  /** Under the grant lock: refresh if still needed, re-encrypt if sealed with an old key. */
  async function renew(grant: Grant | null): Promise<{ change: GrantChange; result: Access }> {
    const tokens = grant && open(grant);
    if (!grant || !tokens) return { change: { kind: "keep" }, result: err("not-connected") };
    if (fresh(grant)) {
      // Another caller or instance refreshed while this one waited for the lock, or only the key is old.
      if (d.cipher.isCurrent(grant.tokens)) return { change: { kind: "keep" }, result: ok(tokens.access) };
      const change: GrantChange = { kind: "tokens", tokens: seal(grant.id, tokens), accessExpiresAt: grant.accessExpiresAt, updatedAt: d.now().toISOString() };
      return { change, result: ok(tokens.access) };
    }
    const refreshed = await d.oauth.refresh(tokens.refresh);
    if (!refreshed.ok) {
      const failure = refreshed.error;
      // HMRC no longer honours this grant (revoked, or 18 months old): forget it so the user reconnects.
      if (failure.kind === "rejected" && failure.error === "invalid_grant") return { change: { kind: "delete" }, result: err("not-connected") };
      // Anything else (bad client credentials, HMRC down) is not the user's doing: keep the grant.
      d.onError?.(`Refreshing HMRC tokens failed: ${failure.kind === "rejected" ? `${failure.status} ${failure.error}` : failure.detail}`);
      return { change: { kind: "keep" }, result: err("unavailable") };
    }
    const now = d.now();
    const t = refreshed.value;
    return {
      change: { kind: "tokens", tokens: seal(grant.id, { access: t.accessToken, refresh: t.refreshToken }), accessExpiresAt: expiry(t, now), updatedAt: now.toISOString() },
      result: ok(t.accessToken),
    };
  }

  async function renewLocked(grantId: string): Promise<Access> {
    try {
      return await d.store.withGrantLocked(grantId, renew);
    } catch (e) {
      d.onError?.(`Renewing HMRC tokens failed in the store: ${(e as Error).message}`);
      return err("unavailable");
    }
  }

  return {
    seal(tokens, now) {
      const id = randomUUID();
      const at = now.toISOString();
      return {
        id,
        userId: randomUUID(),
        tokens: seal(id, { access: tokens.accessToken, refresh: tokens.refreshToken }),
        accessExpiresAt: expiry(tokens, now),
        scope: tokens.scope,
        createdAt: at,
        updatedAt: at,
      };
    },
    async accessToken(grantId) {
      const running = inflight.get(grantId);
      if (running) return running;
      const grant = await d.store.getGrant(grantId);
      if (!grant) return err("not-connected");
      if (fresh(grant) && d.cipher.isCurrent(grant.tokens)) {
        const tokens = open(grant);
        return tokens ? ok(tokens.access) : err("not-connected");
      }
      // Re-check after the await above: another caller may have started meanwhile.
      let run = inflight.get(grantId);
      if (!run) {
        run = renewLocked(grantId).finally(() => inflight.delete(grantId));
        inflight.set(grantId, run);
      }
      return run;
    },
  };
}
