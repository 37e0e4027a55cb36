/**
 * What every HMRC endpoint does before its own logic, in HMRC's order:
 *   1. API platform: `Accept: application/vnd.hmrc.<version>+json` (406), bearer token (401), scope (403);
 *   2. body parsing, for endpoints with a body: JSON content type (415), well-formed JSON (400 INVALID_REQUEST);
 *   3. FORMAT_NINO on its own (HMRC looks the NINO up before anything else), then the token's NINO must be the
 *      path's (403 CLIENT_OR_AGENT_NOT_AUTHORISED);
 *   4. the other path parameters (typeOfBusiness, taxYear, businessId) together with the body's shape errors
 *      (RULE_INCORRECT_OR_EMPTY_BODY_SUBMITTED), several → INVALID_REQUEST: HMRC's validators resolve them with one
 *      cats `mapN` (e.g. property-business-api's Def1_CreateAmendUkPropertyCumulativeSummaryValidator) and check
 *      field values and rules only once all of them are valid;
 *   5. the endpoint's tax-year range (RULE_TAX_YEAR_NOT_SUPPORTED), then query/body validation;
 *   6. Gov-Test-Scenario (documented error simulations, unknown values);
 *   7. for writes to a tax year: the final-declaration lock (`HmrcRouteSpec.lock`), then the endpoint's handler.
 * Every response carries `X-CorrelationId` (set by app.ts).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import {
  acceptHeader,
  compareTaxYears,
  getEndpoint,
  isBusinessId,
  isNino,
  parseTaxYear,
  paramIsValid,
  type HmrcErrorItem,
  type HttpMethod,
  type ParamFormat,
  type Scope,
  type TaxYear,
} from "../mtd";
import { errorItem, errorResponse, singleError, type ErrorResponse } from "./errors";
import { REQUEST_SCHEMAS } from "./generated/request-schemas";
import type { FraudHeaderLog } from "./routes/fraud-validation";
import { resolveScenario } from "./scenarios";
import type { SandboxState } from "./state";
import type { Grant, TokenStore } from "./tokens";

/** The parts of a catalogue entry the sandbox needs (test-support endpoints are described the same way). */
export interface RouteEndpoint {
  readonly id: string;
  /** The exact Accept header the endpoint's API version requires. */
  readonly accept: string;
  readonly method: HttpMethod;
  readonly path: string;
  readonly params: Readonly<Record<string, ParamFormat>>;
  readonly scope: Scope;
  readonly hasBody: boolean;
  readonly minTaxYear?: TaxYear;
  readonly maxTaxYear?: TaxYear;
}

export interface HmrcContext {
  readonly endpoint: RouteEndpoint;
  /** The path NINO, valid and equal to the token's (the token's NINO for endpoints without one in the path). */
  readonly nino: string;
  readonly params: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string | undefined>>;
  /** Parsed JSON body (undefined when empty or the endpoint takes none). */
  readonly body: unknown;
  /** A request header (lower-case name), for the few sandbox-only headers HMRC documents per endpoint. */
  readonly header: (name: string) => string | undefined;
  readonly now: Date;
  readonly state: SandboxState;
  readonly grant: Grant;
}

export interface HmrcResult {
  readonly status: number;
  readonly body?: unknown;
}

/**
 * A write that a final declaration locks: once the year is declared (and no intent-to-amend is open) HMRC answers
 * the endpoint's documented amendment-window error instead of accepting it.
 */
export interface FinalDeclarationLock {
  /** Default RULE_OUTSIDE_AMENDMENT_WINDOW, which every locked endpoint documents. */
  readonly code?: string;
  /** The tax year written to; default the path's tax-year parameter. Undefined (e.g. unknown id) → not locked. */
  readonly taxYear?: (ctx: HmrcContext) => string | undefined;
}

export interface HmrcRouteSpec {
  readonly endpoint: RouteEndpoint;
  /** Set for writes a final declaration locks. */
  readonly lock?: FinalDeclarationLock;
  /** Query and body validation, run once the path parameters are valid. */
  readonly validate?: (ctx: HmrcContext) => HmrcErrorItem[];
  /** Whether Gov-Test-Scenario applies (HMRC's test-support API has none). Default true. */
  readonly scenarios?: boolean;
  /** `variant` is a documented success scenario, or undefined for the stateful behaviour. */
  readonly handle: (ctx: HmrcContext, variant: string | undefined) => HmrcResult | ErrorResponse;
}

export interface HmrcRouteDeps {
  readonly tokens: TokenStore;
  readonly state: SandboxState;
  readonly now: () => Date;
  /** Remembers each endpoint's latest Gov-* headers for the Test Fraud Prevention Headers API's feedback. */
  readonly fraudHeaders?: FraudHeaderLog;
}

/** A catalogue entry as a RouteEndpoint: versions, paths and scopes come from src/mtd, never from here. */
export function catalogueEndpoint(id: string): RouteEndpoint {
  const e = getEndpoint(id);
  return { ...e, accept: acceptHeader(e) };
}

/** Path parameters after the NINO, in the order HMRC's validators report them. */
const PARAM_ORDER: readonly ParamFormat[] = ["typeOfBusiness", "bsasTypeOfBusiness", "taxYear", "businessId"];

const FORMAT_CODES: Partial<Record<ParamFormat, string>> = {
  businessId: "FORMAT_BUSINESS_ID",
  typeOfBusiness: "FORMAT_TYPE_OF_BUSINESS",
  bsasTypeOfBusiness: "FORMAT_TYPE_OF_BUSINESS",
  propertyId: "FORMAT_PROPERTY_ID",
};

function pathParamErrors(endpoint: RouteEndpoint, params: Record<string, string>): HmrcErrorItem[] {
  const entries = Object.entries(endpoint.params).filter(([, f]) => f !== "nino");
  entries.sort(([, a], [, b]) => PARAM_ORDER.indexOf(a) - PARAM_ORDER.indexOf(b));
  const errors: HmrcErrorItem[] = [];
  for (const [name, format] of entries) {
    const value = params[name] ?? "";
    if (format === "taxYear") {
      const ty = parseTaxYear(value);
      if (!ty.ok) errors.push(errorItem(endpoint.id, ty.error));
    } else if (format === "businessId" ? !isBusinessId(value) : !paramIsValid(format, value)) {
      errors.push(errorItem(endpoint.id, FORMAT_CODES[format] ?? `FORMAT_${name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`));
    }
  }
  return errors;
}

function pathTaxYear(endpoint: RouteEndpoint, params: Readonly<Record<string, string>>): string | undefined {
  const name = Object.keys(endpoint.params).find((n) => endpoint.params[n] === "taxYear");
  return name ? params[name] : undefined;
}

function lockedError(spec: HmrcRouteSpec, ctx: HmrcContext): ErrorResponse | undefined {
  if (!spec.lock) return undefined;
  const taxYear = spec.lock.taxYear ? spec.lock.taxYear(ctx) : pathTaxYear(spec.endpoint, ctx.params);
  if (taxYear === undefined || !ctx.state.isLocked(ctx.nino, taxYear, ctx.now)) return undefined;
  return singleError(spec.endpoint.id, spec.lock.code ?? "RULE_OUTSIDE_AMENDMENT_WINDOW");
}

/**
 * The body's shape errors, for reporting with path-parameter errors. An endpoint whose body schema depends on the
 * tax year picks it from a valid tax year only (HMRC's validator factories answer an invalid one alone); with one
 * schema the body is checked whatever the tax year.
 */
function bodyShapeErrors(spec: HmrcRouteSpec, ctx: HmrcContext): HmrcErrorItem[] {
  if (!spec.endpoint.hasBody || !spec.validate) return [];
  const yearParam = Object.keys(spec.endpoint.params).find((n) => spec.endpoint.params[n] === "taxYear");
  if (yearParam && !parseTaxYear(ctx.params[yearParam] ?? "").ok) {
    if ((REQUEST_SCHEMAS[spec.endpoint.id]?.length ?? 1) > 1) return [];
    const params = { ...ctx.params };
    delete params[yearParam];
    ctx = { ...ctx, params };
  }
  return spec.validate(ctx).filter((e) => e.code === "RULE_INCORRECT_OR_EMPTY_BODY_SUBMITTED");
}

function taxYearSupported(endpoint: RouteEndpoint, params: Record<string, string>): boolean {
  const name = Object.keys(endpoint.params).find((n) => endpoint.params[n] === "taxYear");
  if (!name) return true;
  const ty = params[name] as TaxYear;
  return !((endpoint.minTaxYear && compareTaxYears(ty, endpoint.minTaxYear) < 0) || (endpoint.maxTaxYear && compareTaxYears(ty, endpoint.maxTaxYear) > 0));
}

/** `{nino}` → `:nino` for Fastify's router. */
export function fastifyPath(path: string): string {
  return path.replace(/\{(\w+)\}/g, ":$1");
}

function flatQuery(query: unknown): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  if (typeof query !== "object" || query === null) return out;
  for (const [k, v] of Object.entries(query as Record<string, unknown>)) {
    if (typeof v === "string") out[k] = v;
    else if (Array.isArray(v) && typeof v[0] === "string") out[k] = v[0];
  }
  return out;
}

type BodyParse = { ok: true; body: unknown } | { ok: false; response: ErrorResponse };

function parseJsonBody(endpointId: string, req: FastifyRequest): BodyParse {
  const type = String(req.headers["content-type"] ?? "");
  if (!/^(application|text)\/json\s*(;|$)/i.test(type)) return { ok: false, response: singleError(endpointId, "INVALID_BODY_TYPE") };
  const raw = typeof req.body === "string" ? req.body : "";
  if (raw.trim() === "") return { ok: true, body: undefined };
  try {
    return { ok: true, body: JSON.parse(raw) as unknown };
  } catch {
    return { ok: false, response: singleError(endpointId, "INVALID_REQUEST") };
  }
}

function headerOf(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function send(reply: FastifyReply, result: HmrcResult | ErrorResponse): FastifyReply {
  reply.code(result.status);
  if (result.status === 204 || result.body === undefined) return reply.send();
  return reply.header("Content-Type", "application/json").send(JSON.stringify(result.body));
}

function bearerToken(req: FastifyRequest): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(String(req.headers.authorization ?? ""));
  return m?.[1];
}

export function registerHmrcRoute(app: FastifyInstance, deps: HmrcRouteDeps, spec: HmrcRouteSpec): void {
  const { endpoint } = spec;
  const expectedAccept = endpoint.accept.toLowerCase();

  const run = (req: FastifyRequest): HmrcResult | ErrorResponse => {
    const id = endpoint.id;
    // 1. API platform checks.
    if (String(req.headers.accept ?? "").trim().toLowerCase() !== expectedAccept) return singleError(id, "ACCEPT_HEADER_INVALID");
    const token = bearerToken(req);
    const grant = token ? deps.tokens.accessGrant(token) : undefined;
    if (!grant) return singleError(id, "UNAUTHORIZED");
    if (!grant.scopes.includes(endpoint.scope)) return singleError(id, "INVALID_SCOPE");
    deps.fraudHeaders?.record(grant.clientId, id, req, deps.now());

    // 2. Body parsing.
    let body: unknown;
    if (endpoint.hasBody) {
      const parsed = parseJsonBody(id, req);
      if (!parsed.ok) return parsed.response;
      body = parsed.body;
    }

    // 3. NINO, then whose NINO it is. Test Support's vendor-state endpoints have none in the path (a query one, if
    // any, is theirs to check): their context NINO is the token's.
    const params = { ...(req.params as Record<string, string>) };
    const hasPathNino = Object.values(endpoint.params).includes("nino");
    const nino = hasPathNino ? (params.nino ?? "") : grant.nino;
    if (!isNino(nino)) return singleError(id, "FORMAT_NINO");
    if (nino !== grant.nino) return singleError(id, "CLIENT_OR_AGENT_NOT_AUTHORISED");

    // 4-5. Other path parameters (with the body's shape), tax-year range, query and body.
    const header = (name: string) => headerOf(req, name);
    const ctx: HmrcContext = { endpoint, nino, params, query: flatQuery(req.query), body, header, now: deps.now(), state: deps.state, grant };
    const pathErrors = pathParamErrors(endpoint, params);
    if (pathErrors.length > 0) return errorResponse(id, [...pathErrors, ...bodyShapeErrors(spec, ctx)]);
    if (!taxYearSupported(endpoint, params)) return singleError(id, "RULE_TAX_YEAR_NOT_SUPPORTED");
    const invalid = spec.validate?.(ctx) ?? [];
    if (invalid.length > 0) return errorResponse(id, invalid);

    // 6. Gov-Test-Scenario.
    let variant: string | undefined;
    if (spec.scenarios !== false) {
      const scenario = resolveScenario(id, header("gov-test-scenario"));
      if (scenario.kind === "respond") return scenario.response;
      variant = scenario.variant;
    }

    // 7. The final-declaration lock (stateful behaviour only), then the endpoint itself.
    const locked = variant === undefined ? lockedError(spec, ctx) : undefined;
    return locked ?? spec.handle(ctx, variant);
  };

  app.route({
    method: endpoint.method,
    url: fastifyPath(endpoint.path),
    handler: async (req, reply) => send(reply, run(req)),
  });
}
