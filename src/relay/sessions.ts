/**
 * Relay sessions: the task pane holds a random bearer token (no cookies); the store holds only its SHA-256.
 * `sessionGuard` is an onRequest hook, so an unauthenticated request is refused before its body is read.
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import { err, ok, type Result } from "../mtd";
import { randomToken, sha256Hex } from "./crypto";
import { refusal, sendRefusal, type RelayRefusal } from "./errors";
import type { RelayStore, Session } from "./store";

declare module "fastify" {
  interface FastifyRequest {
    /** Set by sessionGuard on routes that need a session. */
    relaySession: Session | null;
  }
}

/** 32 random bytes, base64url. */
const SESSION_TOKEN = /^[A-Za-z0-9_-]{43}$/;
const BEARER = /^Bearer ([^\s]+)$/i;

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

export async function authenticate(store: RelayStore, authorization: string | undefined, now: Date): Promise<Result<Session, RelayRefusal>> {
  const token = authorization === undefined ? undefined : BEARER.exec(authorization)?.[1];
  if (token === undefined || !SESSION_TOKEN.test(token)) return err(refusal(401, "RELAY_NOT_CONNECTED"));
  const hash = sha256Hex(token);
  const session = await store.getSession(hash);
  if (!session) return err(refusal(401, "RELAY_NOT_CONNECTED"));
  if (Date.parse(session.expiresAt) <= now.getTime()) {
    await store.deleteSession(hash);
    return err(refusal(401, "RELAY_SESSION_EXPIRED"));
  }
  return ok(session);
}

export function sessionGuard(store: RelayStore, now: () => Date) {
  return async function guard(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
    const result = await authenticate(store, request.headers.authorization, now());
    if (!result.ok) return sendRefusal(reply, result.error);
    request.relaySession = result.value;
    return undefined;
  };
}
