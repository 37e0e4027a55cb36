/**
 * Who is calling: every route that needs a person runs `sessionGuard` as an onRequest hook, so an
 * unauthenticated request is refused before its body is read. Two identity modes (identity/settings.ts):
 *  - local: the task pane holds a random relay session token (no cookies) obtained by connecting to HMRC;
 *    the store holds only its SHA-256. Short-lived, renewable (a new token replaces the old one) and revocable.
 *  - entra: the task pane sends a Microsoft access token for our API with every request; it is checked
 *    (identity/entra.ts) and the person's HMRC grant is looked up.
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import { err, ok, type Result } from "../mtd";
import { randomToken, sha256Hex } from "./crypto";
import { refusal, sendRefusal, type RelayRefusal } from "./errors";
import type { EntraVerifier } from "./identity/entra";
import type { IdentityMode } from "./identity/settings";
import type { RelaySession } from "./identity/types";
import type { RelayStore, Session } from "./store";

export type { MultiFactor, RelaySession } from "./identity/types";

declare module "fastify" {
  interface FastifyRequest {
    /** Set by sessionGuard on routes that need a session. */
    relaySession: RelaySession | null;
  }
}

/** 32 random bytes, base64url. */
const SESSION_TOKEN = /^[A-Za-z0-9_-]{43}$/;
const BEARER = /^Bearer ([^\s]{1,8192})$/i;

export interface NewSession {
  /** Given to the task pane once; never stored. */
  token: string;
  record: Session;
}

export function newSession(grantId: string, userId: string, now: Date, ttlSeconds: number): NewSession {
  const token = randomToken(32);
  return {
    token,
    record: {
      tokenHash: sha256Hex(token),
      grantId,
      userId,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + ttlSeconds * 1000).toISOString(),
    },
  };
}

/** Turns an Authorization header into the caller's session, or the refusal to send. */
export type Authenticator = (authorization: string | undefined) => Promise<Result<RelaySession, RelayRefusal>>;

export interface AuthenticatorDeps {
  mode: IdentityMode;
  store: RelayStore;
  now: () => Date;
  /** Required in entra mode. */
  entra?: EntraVerifier;
}

export function bearerOf(authorization: string | undefined): string | undefined {
  return authorization === undefined ? undefined : BEARER.exec(authorization)?.[1];
}

export function createAuthenticator(d: AuthenticatorDeps): Authenticator {
  if (d.mode === "entra") {
    const verify = d.entra;
    if (!verify) throw new Error("IDENTITY_MODE=entra needs a Microsoft token verifier.");
    return async (authorization) => {
      const token = bearerOf(authorization);
      if (token === undefined) return err(refusal(401, "RELAY_NOT_SIGNED_IN"));
      const identity = await verify(token);
      if (!identity.ok) return err(identity.error === "unavailable" ? refusal(503, "RELAY_SIGN_IN_UNAVAILABLE") : refusal(401, "RELAY_NOT_SIGNED_IN"));
      const grant = await d.store.findUserGrant(identity.value.userId);
      return ok({
        mode: "entra",
        userId: identity.value.userId,
        grantId: grant?.id ?? null,
        expiresAt: identity.value.expiresAt,
        tokenHash: null,
        ...(identity.value.multiFactor ? { multiFactor: identity.value.multiFactor } : {}),
      });
    };
  }
  return async (authorization) => {
    const token = bearerOf(authorization);
    if (token === undefined || !SESSION_TOKEN.test(token)) return err(refusal(401, "RELAY_NOT_CONNECTED"));
    const hash = sha256Hex(token);
    const session = await d.store.getSession(hash);
    if (!session) return err(refusal(401, "RELAY_NOT_CONNECTED"));
    if (Date.parse(session.expiresAt) <= d.now().getTime()) {
      await d.store.deleteSession(hash);
      return err(refusal(401, "RELAY_SESSION_EXPIRED"));
    }
    return ok({ mode: "local", userId: session.userId, grantId: session.grantId, expiresAt: session.expiresAt, tokenHash: hash });
  };
}

export function sessionGuard(authenticate: Authenticator) {
  return async function guard(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
    const result = await authenticate(request.headers.authorization);
    if (!result.ok) return sendRefusal(reply, result.error);
    request.relaySession = result.value;
    return undefined;
  };
}
