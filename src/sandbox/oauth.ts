/**
 * HMRC's OAuth 2.0 authorization-code flow, locally: `GET /oauth/authorize` shows a test sign-in page,
 * `POST /oauth/authorize` grants or refuses and redirects back, `POST /oauth/token` exchanges a code or a
 * refresh token. An unknown client or unregistered redirect URI gets an error page, never a redirect, so the
 * page cannot be used to bounce users to arbitrary sites.
 */
import { timingSafeEqual } from "node:crypto";
import formbody from "@fastify/formbody";
import type { FastifyInstance, FastifyReply } from "fastify";
import { parseNino } from "../mtd";
import { errorPage, signInPage } from "./oauth-page";
import type { ResolvedSandboxOptions, SandboxClient } from "./options";
import { SUPPORTED_SCOPES, type SandboxScope, type TokenStore } from "./tokens";

const MAX_PARAM_LENGTH = 2048;

/** A single string field of a query or form body (repeated or oversized values count as absent). */
function field(source: unknown, name: string): string | undefined {
  if (typeof source !== "object" || source === null) return undefined;
  const v = (source as Record<string, unknown>)[name];
  return typeof v === "string" && v.length <= MAX_PARAM_LENGTH ? v : undefined;
}

function isLoopbackCallback(uri: string): boolean {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return false;
  }
  return (
    (url.protocol === "http:" || url.protocol === "https:") &&
    (url.hostname === "localhost" || url.hostname === "127.0.0.1") &&
    url.pathname === "/auth/callback" &&
    url.search === "" &&
    url.hash === "" &&
    url.username === "" &&
    url.password === ""
  );
}

export function redirectUriAllowed(client: SandboxClient, uri: string): boolean {
  return client.redirectUris.includes(uri) || (client.allowLoopbackCallbacks === true && isLoopbackCallback(uri));
}

function secretMatches(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

type ScopeCheck = { ok: true; scopes: SandboxScope[] } | { ok: false };

function parseScopes(scope: string | undefined): ScopeCheck {
  const requested = (scope ?? "").split(/[\s+]+/).filter(Boolean);
  if (requested.length === 0) return { ok: false };
  if (!requested.every((s) => (SUPPORTED_SCOPES as readonly string[]).includes(s))) return { ok: false };
  return { ok: true, scopes: SUPPORTED_SCOPES.filter((s) => requested.includes(s)) };
}

function redirectWith(reply: FastifyReply, redirectUri: string, params: Record<string, string | undefined>): FastifyReply {
  const url = new URL(redirectUri);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return reply.redirect(url.toString(), 302);
}

function html(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply
    .code(status)
    .header("Content-Type", "text/html; charset=utf-8")
    .header("Cache-Control", "no-store")
    .header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
    .header("X-Content-Type-Options", "nosniff")
    .send(body);
}

function oauthError(reply: FastifyReply, status: number, error: string, description: string): FastifyReply {
  return reply.code(status).header("Cache-Control", "no-store").send({ error, error_description: description });
}

/** Client credentials from the form body or, as RFC 6749 prefers, HTTP Basic. */
function clientCredentials(body: unknown, authorization: string | undefined): { id?: string; secret?: string } {
  const m = /^Basic\s+(\S+)$/i.exec(authorization ?? "");
  if (m) {
    const decoded = Buffer.from(m[1]!, "base64").toString("utf8");
    const i = decoded.indexOf(":");
    if (i > 0) {
      try {
        return { id: decodeURIComponent(decoded.slice(0, i)), secret: decodeURIComponent(decoded.slice(i + 1)) };
      } catch {
        return {};
      }
    }
  }
  return { id: field(body, "client_id"), secret: field(body, "client_secret") };
}

export async function oauthRoutes(app: FastifyInstance, opts: { options: ResolvedSandboxOptions; tokens: TokenStore }): Promise<void> {
  const { options, tokens } = opts;
  await app.register(formbody, { bodyLimit: 16 * 1024 });
  const clientById = (id: string | undefined) => options.clients.find((c) => c.clientId === id);

  /** Checks done before anything may redirect: a known client and one of its redirect URIs. */
  const checkClient = (source: unknown): { client: SandboxClient; redirectUri: string } | { error: string } => {
    const client = clientById(field(source, "client_id"));
    if (!client) return { error: "The application asking for access (client_id) is not registered with this sandbox." };
    const redirectUri = field(source, "redirect_uri");
    if (!redirectUri || !redirectUriAllowed(client, redirectUri)) {
      return { error: "The return address (redirect_uri) is not registered for this application." };
    }
    return { client, redirectUri };
  };

  app.get("/oauth/authorize", async (req, reply) => {
    const checked = checkClient(req.query);
    if ("error" in checked) return html(reply, 400, errorPage(checked.error));
    const state = field(req.query, "state");
    if (field(req.query, "response_type") !== "code") {
      return redirectWith(reply, checked.redirectUri, { error: "unsupported_response_type", state });
    }
    const scope = parseScopes(field(req.query, "scope"));
    if (!scope.ok) return redirectWith(reply, checked.redirectUri, { error: "invalid_scope", state });
    return html(
      reply,
      200,
      signInPage({
        clientId: checked.client.clientId,
        redirectUri: checked.redirectUri,
        scope: scope.scopes.join(" "),
        ...(state !== undefined ? { state } : {}),
        nino: options.defaultTestNino,
      }),
    );
  });

  app.post("/oauth/authorize", async (req, reply) => {
    const checked = checkClient(req.body);
    if ("error" in checked) return html(reply, 400, errorPage(checked.error));
    const state = field(req.body, "state");
    const scope = parseScopes(field(req.body, "scope"));
    if (!scope.ok) return redirectWith(reply, checked.redirectUri, { error: "invalid_scope", state });
    if (field(req.body, "action") !== "grant") return redirectWith(reply, checked.redirectUri, { error: "access_denied", state });
    const nino = parseNino(field(req.body, "nino") ?? "");
    if (!nino.ok) {
      return html(
        reply,
        400,
        signInPage({
          clientId: checked.client.clientId,
          redirectUri: checked.redirectUri,
          scope: scope.scopes.join(" "),
          ...(state !== undefined ? { state } : {}),
          nino: (field(req.body, "nino") ?? "").slice(0, 20),
          error: "Enter a National Insurance number in the right format, like AA123456A.",
        }),
      );
    }
    const code = tokens.issueCode({ clientId: checked.client.clientId, nino: nino.value, scopes: scope.scopes }, checked.redirectUri);
    return redirectWith(reply, checked.redirectUri, { code, state });
  });

  app.post("/oauth/token", async (req, reply) => {
    const creds = clientCredentials(req.body, req.headers.authorization);
    const client = clientById(creds.id);
    if (!client || creds.secret === undefined || !secretMatches(client.clientSecret, creds.secret)) {
      return oauthError(reply, 401, "invalid_client", "The client_id or client_secret is not valid.");
    }
    const grantType = field(req.body, "grant_type");
    if (grantType === undefined) return oauthError(reply, 400, "invalid_request", "grant_type is required.");
    if (grantType === "authorization_code") {
      const code = field(req.body, "code");
      const redirectUri = field(req.body, "redirect_uri");
      if (!code || !redirectUri) return oauthError(reply, 400, "invalid_request", "code and redirect_uri are required.");
      const result = tokens.exchangeCode(code, client.clientId, redirectUri);
      if (!result.ok) return oauthError(reply, 400, result.error, result.description);
      return reply.header("Cache-Control", "no-store").send(result.tokens);
    }
    if (grantType === "refresh_token") {
      const refreshToken = field(req.body, "refresh_token");
      if (!refreshToken) return oauthError(reply, 400, "invalid_request", "refresh_token is required.");
      const result = tokens.refreshTokens(refreshToken, client.clientId);
      if (!result.ok) return oauthError(reply, 400, result.error, result.description);
      return reply.header("Cache-Control", "no-store").send(result.tokens);
    }
    return oauthError(reply, 400, "unsupported_grant_type", "grant_type must be authorization_code or refresh_token.");
  });
}
