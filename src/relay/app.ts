/**
 * The relay (DESIGN.md §5) as a Fastify instance: HMRC connect flow, sessions, the allow-listed forwarder,
 * receipts, health, and same-origin hosting of the add-in. No CORS, no cookies.
 */
import Fastify, { type FastifyError, type FastifyInstance } from "fastify";
import { performance } from "node:perf_hooks";
import { HMRC_MESSAGES, type HmrcErrorBody } from "../mtd";
import { authRoutes } from "./auth-routes";
import type { RelayConfig } from "./config";
import { createTokenCipher } from "./crypto";
import { refusal, sendRefusal } from "./errors";
import { forwardRoutes } from "./forward";
import { fraudCheckRoutes } from "./fraud-check-routes";
import { createGrantTokens } from "./grant-tokens";
import { createHmrcOAuthClient } from "./hmrc-oauth";
import { createEntraVerifier } from "./identity/entra";
import { rateLimited, TokenBuckets } from "./rate-limit";
import { createAuthenticator } from "./sessions";
import { loggerOptions } from "./logging";
import { receiptsRoutes } from "./receipts-routes";
import { addSecurityHeaders, serveAddin } from "./static";
import { openStore, type RelayStore } from "./store";

export interface RelayDeps {
  /** How the relay reaches HMRC (tests pass a spy; defaults to the global fetch). */
  fetch?: typeof fetch;
  /** The clock for every expiry and timestamp (tests pass a controllable one). */
  now?: () => Date;
  /** Defaults to PostgreSQL at config.databaseUrl or SQLite at config.databasePath, closed with the app; an injected store is left open. */
  store?: RelayStore;
  /** Where log lines go when logging is on (default stdout). */
  logStream?: NodeJS.WritableStream;
  /** Waits between upstream retries (tests pass one that records instead of waiting). */
  sleep?: (ms: number) => Promise<void>;
  /** Jitter source in [0, 1) for retry backoff. */
  random?: () => number;
  /** Milliseconds on a monotonic clock: rate-limit refills and upstream time budgets. */
  monotonic?: () => number;
}

export interface ReadyResponse {
  status: "ready" | "not-ready";
}

export interface HealthResponse {
  status: "ok";
  service: "mtd-bridge-relay";
  version: string;
  environment: RelayConfig["environment"];
}

const PURGE_INTERVAL_MS = 10 * 60 * 1000;
const NOT_FOUND: HmrcErrorBody = { code: "MATCHING_RESOURCE_NOT_FOUND", message: HMRC_MESSAGES.MATCHING_RESOURCE_NOT_FOUND! };

export async function createRelay(config: RelayConfig, deps: RelayDeps = {}): Promise<FastifyInstance> {
  const store = deps.store ?? (await openStore(config));
  try {
    return await build(config, store, deps);
  } catch (e) {
    if (!deps.store) await store.close();
    throw e;
  }
}

async function build(config: RelayConfig, store: RelayStore, deps: RelayDeps): Promise<FastifyInstance> {
  const now = deps.now ?? (() => new Date());
  const ownsStore = deps.store === undefined;
  const fetchImpl = deps.fetch ?? fetch;

  const fastifyOptions = {
    logger: loggerOptions(config.logLevel, deps.logStream),
    trustProxy: config.trustProxy ?? false,
    bodyLimit: config.maxBodyBytes,
    // HMRC paths with two UUIDs exceed find-my-way's default 100-character parameter limit.
    routerOptions: { maxParamLength: 2048 },
  };
  // Fastify types an https instance apart from an http one; the routes are the same on either transport.
  const app = (config.tls ? Fastify({ ...fastifyOptions, https: { cert: config.tls.cert, key: config.tls.key } }) : Fastify(fastifyOptions)) as unknown as FastifyInstance;

  const oauth = createHmrcOAuthClient({
    baseUrl: config.hmrcBaseUrl,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    redirectUri: config.redirectUri,
    timeoutMs: config.upstreamTimeoutMs,
    fetch: fetchImpl,
  });
  const tokens = createGrantTokens({
    store,
    cipher: createTokenCipher(config.tokenKey, config.previousTokenKeys),
    oauth,
    now,
    onError: (message) => app.log.error(message),
  });

  const monotonic = deps.monotonic ?? (() => performance.now());
  const { identity, protection } = config;
  const buckets = protection.ratePerMinute > 0 ? new TokenBuckets({ ratePerMinute: protection.ratePerMinute, burst: protection.burst, now: monotonic }) : null;
  const authenticate = rateLimited(
    createAuthenticator({
      mode: identity.mode,
      store,
      now,
      ...(identity.entra ? { entra: createEntraVerifier(identity.entra, now, { timeoutMs: config.upstreamTimeoutMs }) } : {}),
    }),
    buckets,
  );

  app.decorateRequest("relaySession", null);
  addSecurityHeaders(app, { https: config.publicUrl.startsWith("https:"), identityMode: config.identity.mode });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    switch (error.code) {
      case "FST_ERR_CTP_BODY_TOO_LARGE":
        return sendRefusal(reply, refusal(413, "RELAY_BODY_TOO_LARGE"));
      case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
        return sendRefusal(reply, refusal(415, "RELAY_BODY_NOT_JSON"));
      case "FST_ERR_CTP_EMPTY_JSON_BODY":
      case "FST_ERR_CTP_INVALID_JSON_BODY":
        return sendRefusal(reply, refusal(400, "RELAY_BODY_NOT_JSON"));
    }
    const status = error.statusCode ?? 500;
    if (status === 400 && error instanceof SyntaxError) return sendRefusal(reply, refusal(400, "RELAY_BODY_NOT_JSON"));
    if (status < 500) return reply.code(status).send({ code: "INVALID_REQUEST", message: HMRC_MESSAGES.INVALID_REQUEST! } satisfies HmrcErrorBody);
    request.log.error({ err: error }, "relay error");
    return reply.code(500).send({ code: "INTERNAL_SERVER_ERROR", message: HMRC_MESSAGES.INTERNAL_SERVER_ERROR! } satisfies HmrcErrorBody);
  });
  app.setNotFoundHandler((_request, reply) => reply.code(404).send(NOT_FOUND));

  app.get("/healthz", async (): Promise<HealthResponse> => ({
    status: "ok",
    service: "mtd-bridge-relay",
    version: config.relayVersion,
    environment: config.environment,
  }));

  // Ready when the store answers: a load balancer sends traffic only then.
  app.get("/readyz", async (request, reply) => {
    try {
      await store.ping();
      return { status: "ready" } satisfies ReadyResponse;
    } catch (e) {
      request.log.warn({ err: e }, "store not reachable");
      return reply.code(503).send({ status: "not-ready" } satisfies ReadyResponse);
    }
  });

  await app.register(authRoutes({ config, store, tokens, oauth, authenticate, buckets, now }));
  await app.register(
    forwardRoutes({
      config,
      store,
      tokens,
      fetch: fetchImpl,
      now,
      authenticate,
      monotonic,
      ...(deps.sleep ? { sleep: deps.sleep } : {}),
      ...(deps.random ? { random: deps.random } : {}),
    }),
  );
  await app.register(receiptsRoutes({ store, now, authenticate }));
  await app.register(fraudCheckRoutes({ config, authenticate, now }));
  if (!(await serveAddin(app, config.addinDistDir))) {
    app.log.warn(`No add-in build at ${config.addinDistDir}: serving the API only (run npm run build:addin).`);
  }

  const purge = setInterval(() => {
    store.purgeExpired(now().toISOString()).catch((e: unknown) => app.log.error({ err: e }, "purging expired records failed"));
  }, PURGE_INTERVAL_MS);
  purge.unref();
  app.addHook("onClose", async () => {
    clearInterval(purge);
    if (ownsStore) await store.close();
  });

  return app;
}
