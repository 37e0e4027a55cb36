/**
 * The local HMRC emulator: HMRC's OAuth endpoints and the MTD endpoints of the walking skeleton, with HMRC's
 * paths, Accept versions, validation, error bodies, Gov-Test-Scenario and stateful storage (in memory). It is
 * what `npm start` and the tests talk to when no HMRC credentials are configured. See ./README.md.
 */
import { randomUUID } from "node:crypto";
import Fastify, { type FastifyInstance } from "fastify";
import { maskNinosIn } from "../mtd";
import { singleError } from "./errors";
import { installFaults } from "./faults";
import type { HmrcRouteDeps } from "./hmrc-route";
import { oauthRoutes } from "./oauth";
import { resolveOptions, type SandboxOptions } from "./options";
import { bissRoutes } from "./routes/biss";
import { bsasRoutes } from "./routes/bsas";
import { businessDetailsRoutes } from "./routes/business-details";
import { calculationsRoutes } from "./routes/calculations";
import { finalDeclarationObligationRoutes } from "./routes/calculations-obligations";
import { lossesRoutes } from "./routes/losses";
import { obligationsRoutes } from "./routes/obligations";
import { propertyUkRoutes } from "./routes/property-uk";
import { propertyForeignRoutes } from "./routes/property-foreign";
import { propertyAnnualRoutes } from "./routes/property-annual";
import { selfEmploymentRoutes } from "./routes/self-employment";
import { testSupportRoutes } from "./routes/test-support";
import { FraudHeaderLog, fraudValidationRoutes } from "./routes/fraud-validation";
import { SandboxState } from "./state";
import { TokenStore } from "./tokens";

export type { SandboxClient, SandboxOptions } from "./options";
export { DEV_CLIENT } from "./options";

/** HMRC's request bodies are small; anything near this is a mistake or an attack. */
const BODY_LIMIT_BYTES = 64 * 1024;

export function createSandbox(options: SandboxOptions = {}): FastifyInstance {
  const opts = resolveOptions(options);
  const fastifyOptions = {
    logger: opts.logger
      ? { serializers: { req: (req: { method: string; url: string }) => ({ method: req.method, url: maskNinosIn(req.url) }) } }
      : false,
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: () => randomUUID(),
  };
  // Fastify types an https instance apart from an http one; the routes are the same on either transport.
  const app = (options.tls ? Fastify({ ...fastifyOptions, https: { cert: options.tls.cert, key: options.tls.key } }) : Fastify(fastifyOptions)) as unknown as FastifyInstance;
  const state = new SandboxState();
  const tokens = new TokenStore(opts.now, opts.accessTokenTtlSeconds, opts.refreshTokenTtlSeconds);
  const deps: HmrcRouteDeps = { tokens, state, now: opts.now, fraudHeaders: new FraudHeaderLog() };

  // HMRC puts a correlation id on every response; so do we (the request id is a fresh UUID).
  app.addHook("onRequest", async (req, reply) => {
    reply.header("X-CorrelationId", req.id);
  });

  installFaults(app, options.faults ?? [], options.random);

  app.get("/healthz", async () => ({ status: "ok", service: "hmrc-sandbox" }));

  void app.register(oauthRoutes, { options: opts, tokens });

  void app.register(async (hmrc) => {
    // HMRC routes read the raw body themselves so they can answer 415 and malformed JSON the way HMRC does.
    hmrc.removeAllContentTypeParsers();
    hmrc.addContentTypeParser("*", { parseAs: "string" }, (_req, body, done) => done(null, body));
    businessDetailsRoutes(hmrc, deps);
    obligationsRoutes(hmrc, deps);
    propertyUkRoutes(hmrc, deps);
    propertyForeignRoutes(hmrc, deps);
    propertyAnnualRoutes(hmrc, deps);
    selfEmploymentRoutes(hmrc, deps);
    bissRoutes(hmrc, deps);
    bsasRoutes(hmrc, deps);
    calculationsRoutes(hmrc, deps);
    finalDeclarationObligationRoutes(hmrc, deps);
    lossesRoutes(hmrc, deps);
    testSupportRoutes(hmrc, deps);
    fraudValidationRoutes(hmrc, deps);
  });

  app.setNotFoundHandler((_req, reply) => {
    void reply.code(404).send({ code: "MATCHING_RESOURCE_NOT_FOUND", message: "A resource with the name in the request can not be found in the API" });
  });

  // Framework-level failures (body too large, unreadable form) in HMRC's error shape; never a stack trace.
  app.setErrorHandler((error: { statusCode?: number }, req, reply) => {
    const clientError = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500;
    if (!clientError) req.log.error({ err: error }, "sandbox error");
    const { body } = singleError("", clientError ? "INVALID_REQUEST" : "INTERNAL_SERVER_ERROR");
    void reply.code(clientError ? error.statusCode! : 500).send(body);
  });

  return app;
}
