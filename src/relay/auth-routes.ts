/**
 * Connecting to HMRC (reference/addin-engineering.md §3.2): the task pane starts a pending auth with the
 * SHA-256 challenge of a secret verifier; the Office dialog goes through /auth/start to HMRC's sign-in and
 * back to /auth/callback, where the relay exchanges the code with its client secret and keeps the tokens
 * encrypted; the task pane then claims a relay session with the verifier. HMRC tokens never reach a browser,
 * and the dialog only ever learns `sid` and a result.
 * In entra mode the person is already known from their Microsoft sign-in: starting and claiming need it, and
 * the claim links the new HMRC grant to that person instead of creating a device session.
 */
import type { FastifyPluginAsync, FastifyReply } from "fastify";
import type { AuthStartResponse, IdentityInfo, SessionInfo, SessionResponse } from "../mtd";
import type { RelayConfig } from "./config";
import { challengeOf, randomToken, safeEqual } from "./crypto";
import { refusal, sendRefusal } from "./errors";
import type { GrantTokens } from "./grant-tokens";
import type { HmrcOAuthClient } from "./hmrc-oauth";
import type { TokenBuckets } from "./rate-limit";
import { newSession, sessionGuard, type Authenticator } from "./sessions";
import type { RelayStore } from "./store";

export interface AuthDeps {
  config: RelayConfig;
  store: RelayStore;
  tokens: GrantTokens;
  oauth: HmrcOAuthClient;
  authenticate: Authenticator;
  /** Rate limit; connect attempts (which create records before anyone is known) count per client address. */
  buckets: TokenBuckets | null;
  now: () => Date;
}

/** How long a connect attempt may take from start to claim. */
export const PENDING_AUTH_TTL_MS = 10 * 60 * 1000;

/** base64url of 32 random bytes (sid, state) or of a SHA-256 (challenge). */
const B64URL_43 = /^[A-Za-z0-9_-]{43}$/;
/** RFC 7636 code verifier. */
const VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;
const AUTH_CODE = /^[\x21-\x7E]{1,512}$/;
const OAUTH_ERROR = /^[A-Za-z0-9_.-]{1,64}$/;
const SMALL_BODY = 4096;

type DialogResult = { result: "ok" } | { result: "error"; code: "RELAY_AUTH_FAILED" | "access_denied" };

function toDialog(reply: FastifyReply, sid: string | null, outcome: DialogResult): FastifyReply {
  const q = new URLSearchParams();
  if (sid) q.set("sid", sid);
  q.set("result", outcome.result);
  if (outcome.result === "error") q.set("code", outcome.code);
  return reply.redirect(`/dialog.html?${q.toString()}`, 302);
}

/** A single string field of a parsed body or query (a repeated query key arrives as an array: refused). */
function stringField(body: unknown, name: string): string | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const v = (body as Record<string, unknown>)[name];
  return typeof v === "string" ? v : undefined;
}

export function authRoutes(d: AuthDeps): FastifyPluginAsync {
  return async (app) => {
    const guard = sessionGuard(d.authenticate);
    const entra = d.config.identity.mode === "entra";
    // Entra: only a signed-in person may connect, and only they may claim what they started.
    const signedIn = entra ? { onRequest: guard } : {};
    const failed = (reply: FastifyReply) => sendRefusal(reply, refusal(400, "RELAY_AUTH_FAILED"));

    app.post("/api/auth/start", { bodyLimit: SMALL_BODY, ...signedIn }, async (request, reply) => {
      const challenge = stringField(request.body, "challenge");
      if (challenge === undefined || !B64URL_43.test(challenge)) return failed(reply);
      const limited = d.buckets?.take(`ip:${request.ip}`);
      if (limited && !limited.ok) {
        return sendRefusal(reply, { ...refusal(429, "RELAY_RATE_LIMITED"), retryAfterSeconds: Math.max(1, Math.ceil(limited.error.retryAfterMs / 1000)) });
      }
      const now = d.now();
      await d.store.purgeExpired(now.toISOString());
      const sid = randomToken(32);
      await d.store.createPendingAuth({
        sid,
        state: randomToken(32),
        challenge,
        createdAt: now.toISOString(),
        expiresAt: new Date(now.getTime() + PENDING_AUTH_TTL_MS).toISOString(),
      });
      const response: AuthStartResponse = { sid, dialogUrl: `/dialog.html?sid=${encodeURIComponent(sid)}` };
      return reply.send(response);
    });

    app.get("/auth/start", async (request, reply) => {
      const sid = stringField(request.query, "sid");
      if (sid === undefined || !B64URL_43.test(sid)) return failed(reply);
      const pending = await d.store.getPendingAuth(sid);
      if (!pending || pending.status !== "pending" || Date.parse(pending.expiresAt) <= d.now().getTime()) {
        return toDialog(reply, sid, { result: "error", code: "RELAY_AUTH_FAILED" });
      }
      return reply.redirect(d.oauth.authorizeUrl(pending.state), 302);
    });

    app.get("/auth/callback", async (request, reply) => {
      const state = stringField(request.query, "state");
      const code = stringField(request.query, "code");
      const oauthError = stringField(request.query, "error");
      if (state === undefined || !B64URL_43.test(state)) return toDialog(reply, null, { result: "error", code: "RELAY_AUTH_FAILED" });
      // Single use: a replayed or forged callback finds nothing to complete.
      const pending = await d.store.useState(state, d.now().toISOString());
      if (!pending) return toDialog(reply, null, { result: "error", code: "RELAY_AUTH_FAILED" });

      if (oauthError !== undefined || code === undefined || !AUTH_CODE.test(code)) {
        const denied = oauthError === "access_denied";
        if (oauthError !== undefined && OAUTH_ERROR.test(oauthError)) request.log.info({ oauthError }, "HMRC sign-in did not complete");
        await d.store.markPendingFailed(pending.sid, denied ? "access_denied" : "RELAY_AUTH_FAILED");
        return toDialog(reply, pending.sid, { result: "error", code: denied ? "access_denied" : "RELAY_AUTH_FAILED" });
      }

      const exchanged = await d.oauth.exchangeCode(code);
      if (!exchanged.ok) {
        request.log.warn({ failure: exchanged.error.kind, detail: exchanged.error.kind === "rejected" ? exchanged.error.error : exchanged.error.detail }, "HMRC code exchange failed");
        await d.store.markPendingFailed(pending.sid, "RELAY_AUTH_FAILED");
        return toDialog(reply, pending.sid, { result: "error", code: "RELAY_AUTH_FAILED" });
      }
      await d.store.completePendingAuth(pending.sid, d.tokens.seal(exchanged.value, d.now()));
      return toDialog(reply, pending.sid, { result: "ok" });
    });

    app.post("/api/auth/claim", { bodyLimit: SMALL_BODY, ...signedIn }, async (request, reply) => {
      const sid = stringField(request.body, "sid");
      const verifier = stringField(request.body, "verifier");
      if (sid === undefined || verifier === undefined || !B64URL_43.test(sid) || !VERIFIER.test(verifier)) return failed(reply);
      const now = d.now();
      const pending = await d.store.getPendingAuth(sid);
      if (!pending || pending.status !== "ready" || !pending.grantId || Date.parse(pending.expiresAt) <= now.getTime()) return failed(reply);
      if (!safeEqual(challengeOf(verifier), pending.challenge)) return failed(reply);
      if (entra) {
        const linked = await d.store.claimPendingAuthForUser(sid, now.toISOString(), request.relaySession!.userId);
        return linked ? reply.code(204).send() : failed(reply);
      }
      const grant = await d.store.getGrant(pending.grantId);
      if (!grant) return failed(reply);
      const session = newSession(grant.id, grant.userId, now, d.config.sessionTtlSeconds);
      if (!(await d.store.claimPendingAuth(sid, now.toISOString(), session.record))) return failed(reply);
      const response: SessionResponse = { sessionToken: session.token, expiresAt: session.record.expiresAt };
      return reply.send(response);
    });

    const identity: IdentityInfo = d.config.identity.entra
      ? {
          mode: "entra",
          tenantId: d.config.identity.entra.tenantId,
          clientId: d.config.identity.entra.audience,
          scope: `api://${d.config.identity.entra.audience}/${d.config.identity.entra.requiredScope}`,
        }
      : { mode: "local" };
    app.get("/api/identity", async () => identity);

    app.get("/api/session", { onRequest: guard }, async (request) => {
      const session = request.relaySession!;
      const info: SessionInfo = {
        connected: session.grantId !== null,
        userId: session.userId,
        expiresAt: session.expiresAt,
        environment: d.config.environment,
        identity: session.mode,
        multiFactor: session.multiFactor !== undefined,
      };
      return info;
    });

    await app.register(async (scope) => {
      // Disconnecting must work whatever body (none, `{}`, an empty JSON post) the caller sends: ignore it.
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser("*", { parseAs: "buffer", bodyLimit: SMALL_BODY }, (_req, _body, done) => done(null, undefined));
      scope.post("/api/auth/disconnect", { onRequest: guard }, async (request, reply) => {
        // Deleting the grant deletes its encrypted HMRC tokens and every session on it.
        const { grantId } = request.relaySession!;
        if (grantId !== null) await d.store.deleteGrant(grantId);
        return reply.code(204).send();
      });
      if (entra) return;
      // Local sessions are short-lived: the task pane swaps its token for a new one before it expires.
      scope.post("/api/session/renew", { onRequest: guard }, async (request, reply) => {
        const current = request.relaySession!;
        const now = d.now();
        const next = newSession(current.grantId!, current.userId, now, d.config.sessionTtlSeconds);
        if (!(await d.store.replaceSession(current.tokenHash!, now.toISOString(), next.record))) {
          return sendRefusal(reply, refusal(401, "RELAY_SESSION_EXPIRED"));
        }
        const response: SessionResponse = { sessionToken: next.token, expiresAt: next.record.expiresAt };
        return reply.send(response);
      });
      // Ends this device's session only; the HMRC grant stays for the user's other sessions.
      scope.post("/api/session/revoke", { onRequest: guard }, async (request, reply) => {
        await d.store.deleteSession(request.relaySession!.tokenHash!);
        return reply.code(204).send();
      });
    });
  };
}
