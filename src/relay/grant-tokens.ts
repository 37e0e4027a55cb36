/**
 * HMRC tokens of a grant: sealed (encrypted) into the store, opened only to call HMRC, refreshed shortly
 * before they expire. At most one refresh runs per grant at a time: concurrent callers share its promise,
 * because HMRC rotates the refresh token and a second refresh with the old one would fail.
 */
import { randomUUID } from "node:crypto";
import { err, ok, type Result } from "../mtd";
import type { TokenCipher } from "./crypto";
import type { HmrcOAuthClient, HmrcTokens } from "./hmrc-oauth";
import type { Grant, RelayStore } from "./store";

/** Refresh when the access token has less than this long left, so it cannot expire in flight. */
export const REFRESH_MARGIN_MS = 60_000;

interface SealedTokens {
  access: string;
  refresh: string;
}

export type AccessFailure = "not-connected" | "unavailable";

export interface GrantTokens {
  /** A new grant (random id and userId) holding `tokens` encrypted; not yet stored. */
  seal(tokens: HmrcTokens, now: Date): Grant;
  /** A usable HMRC access token for the grant, refreshing it first if it is about to expire. */
  accessToken(grantId: string): Promise<Result<string, AccessFailure>>;
}

export interface GrantTokensDeps {
  store: RelayStore;
  cipher: TokenCipher;
  oauth: HmrcOAuthClient;
  now: () => Date;
  onError?: (message: string) => void;
}

export function createGrantTokens(d: GrantTokensDeps): GrantTokens {
  const refreshing = new Map<string, Promise<Result<string, AccessFailure>>>();
  const aad = (grantId: string) => `grant:${grantId}`;
  const expiry = (tokens: HmrcTokens, now: Date) => new Date(now.getTime() + tokens.expiresInSeconds * 1000).toISOString();
  const sealed = (tokens: HmrcTokens): string => JSON.stringify({ access: tokens.accessToken, refresh: tokens.refreshToken } satisfies SealedTokens);

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

  async function refresh(grantId: string): Promise<Result<string, AccessFailure>> {
    const grant = await d.store.getGrant(grantId);
    const tokens = grant && open(grant);
    if (!grant || !tokens) return err("not-connected");
    // A refresh that finished while this caller was reading the old row has already done the work.
    if (fresh(grant)) return ok(tokens.access);
    const result = await d.oauth.refresh(tokens.refresh);
    if (!result.ok) {
      const failure = result.error;
      if (failure.kind === "rejected" && failure.error === "invalid_grant") {
        // HMRC no longer honours this grant (revoked, or 18 months old): forget it so the user reconnects.
        await d.store.deleteGrant(grantId);
        return err("not-connected");
      }
      // Anything else (bad client credentials, HMRC down) is not the user's doing: keep the grant.
      d.onError?.(`Refreshing HMRC tokens failed: ${failure.kind === "rejected" ? `${failure.status} ${failure.error}` : failure.detail}`);
      return err("unavailable");
    }
    const now = d.now();
    await d.store.updateGrantTokens(grantId, d.cipher.encrypt(sealed(result.value), aad(grantId)), expiry(result.value, now), now.toISOString());
    return ok(result.value.accessToken);
  }

  return {
    seal(tokens, now) {
      const id = randomUUID();
      const at = now.toISOString();
      return {
        id,
        userId: randomUUID(),
        tokens: d.cipher.encrypt(sealed(tokens), aad(id)),
        accessExpiresAt: expiry(tokens, now),
        scope: tokens.scope,
        createdAt: at,
        updatedAt: at,
      };
    },
    async accessToken(grantId) {
      const inflight = refreshing.get(grantId);
      if (inflight) return inflight;
      const grant = await d.store.getGrant(grantId);
      if (!grant) return err("not-connected");
      if (fresh(grant)) {
        const tokens = open(grant);
        return tokens ? ok(tokens.access) : err("not-connected");
      }
      // Re-check after the await above: another caller may have started the refresh meanwhile.
      let run = refreshing.get(grantId);
      if (!run) {
        run = refresh(grantId).finally(() => refreshing.delete(grantId));
        refreshing.set(grantId, run);
      }
      return run;
    },
  };
}
