/**
 * Test Fraud Prevention Headers API 1.0 (HMRC sandbox only; reference/fraud-headers.md §3):
 *   GET /test/fraud-prevention-headers/validate                    → the verdict on this request's own Gov-* headers;
 *   GET /test/fraud-prevention-headers/{api}/validation-feedback   → per-header feedback on the latest request to
 *       each endpoint of `{api}` that this application made (optionally only those of one connection method).
 * Both answer with the shapes of HMRC's API, from the shared validator in src/mtd/fraud.
 *
 * Auth: HMRC wants an application-restricted token (client credentials). This sandbox issues user-restricted
 * tokens only, so any live access token is accepted, whatever its scopes, and stands for its application.
 * With no recorded request for `{api}`, feedback is `{"requests":[]}` (HMRC's behaviour there is unpublished).
 */
import type { IncomingHttpHeaders } from "node:http";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { endpointById, fraudHeaderFeedback, validateFraudHeaders, type ApiName, type FraudHeaderFeedback } from "../../mtd";
import { singleError, type ErrorResponse } from "../errors";
import type { HmrcRouteDeps } from "../hmrc-route";

export const FRAUD_TEST_ACCEPT = "application/vnd.hmrc.1.0+json";
export const VALIDATE_PATH = "/test/fraud-prevention-headers/validate";
export const FEEDBACK_PATH = "/test/fraud-prevention-headers/:api/validation-feedback";

/** HMRC's `{api}` values (the OAS enum). */
export const FEEDBACK_APIS: readonly string[] = [
  "business-details-mtd",
  "business-income-source-summary-mtd",
  "business-source-adjustable-summary-mtd",
  "cis-deductions-mtd",
  "individual-calculations-mtd",
  "individual-losses-mtd",
  "individuals-business-end-of-period-statement-mtd",
  "individuals-capital-gains-income-mtd",
  "individuals-charges-mtd",
  "individuals-disclosures-mtd",
  "individuals-dividends-income-mtd",
  "individuals-employments-income-mtd",
  "individuals-expenses-mtd",
  "individuals-foreign-income-mtd",
  "individuals-income-received-mtd",
  "individuals-insurance-policies-income-mtd",
  "individuals-other-income-mtd",
  "individuals-pensions-income-mtd",
  "individuals-reliefs-mtd",
  "individuals-savings-income-mtd",
  "individuals-state-benefits-mtd",
  "obligations-mtd",
  "other-deductions-mtd",
  "property-business-mtd",
  "self-assessment-accounts-mtd",
  "self-assessment-assist-mtd",
  "self-assessment-individual-details-mtd",
  "self-assessment-mtd",
  "self-employment-business-mtd",
  "vat-mtd",
];

/** Our catalogue's APIs under HMRC's `{api}` names (BISS is Business Income Source Summary). */
export const FEEDBACK_API_FOR: Readonly<Partial<Record<ApiName, string>>> = {
  "business-details": "business-details-mtd",
  obligations: "obligations-mtd",
  "self-employment": "self-employment-business-mtd",
  property: "property-business-mtd",
  biss: "business-income-source-summary-mtd",
  bsas: "business-source-adjustable-summary-mtd",
  calculations: "individual-calculations-mtd",
  losses: "individual-losses-mtd",
};

const CONNECTION_METHODS = new Set([
  "BATCH_PROCESS_DIRECT",
  "DESKTOP_APP_DIRECT",
  "DESKTOP_APP_VIA_SERVER",
  "MOBILE_APP_DIRECT",
  "MOBILE_APP_VIA_SERVER",
  "OTHER_DIRECT",
  "OTHER_VIA_SERVER",
  "WEB_APP_VIA_SERVER",
]);

interface RecordedRequest {
  readonly path: string;
  readonly method: string;
  readonly requestTimestamp: string;
  /** The request's Gov-* headers only, lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
}

/** One value per header, as Node delivers them (a repeated header arrives as an array). */
function flatHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(",") : value;
  }
  return out;
}

/**
 * The Gov-* headers of the latest request to each endpoint, per application and HMRC `{api}`. Bounded: one entry
 * per (client, endpoint), and the clients are the sandbox's configured ones.
 */
export class FraudHeaderLog {
  private readonly byClient = new Map<string, Map<string, Map<string, RecordedRequest>>>();

  /** Called for every authorised request to a catalogue endpoint (hmrc-route.ts); others are not recorded. */
  record(clientId: string, endpointId: string, req: { method: string; url: string; headers: IncomingHttpHeaders }, at: Date): void {
    const endpoint = endpointById(endpointId);
    const api = endpoint ? FEEDBACK_API_FOR[endpoint.api] : undefined;
    if (!api) return;
    const gov = Object.fromEntries(Object.entries(flatHeaders(req.headers)).filter(([name]) => name.startsWith("gov-")));
    const apis = this.byClient.get(clientId) ?? new Map<string, Map<string, RecordedRequest>>();
    this.byClient.set(clientId, apis);
    const endpoints = apis.get(api) ?? new Map<string, RecordedRequest>();
    apis.set(api, endpoints);
    // Re-inserting keeps the map in order of each endpoint's latest call.
    endpoints.delete(endpointId);
    endpoints.set(endpointId, { path: req.url.split("?")[0]!, method: req.method, requestTimestamp: at.toISOString(), headers: gov });
  }

  latest(clientId: string, api: string): readonly RecordedRequest[] {
    return [...(this.byClient.get(clientId)?.get(api)?.values() ?? [])];
  }
}

export interface FeedbackRequest extends FraudHeaderFeedback {
  readonly path: string;
  readonly method: string;
  readonly requestTimestamp: string;
}

function send(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return reply.code(status).header("Content-Type", "application/json").send(JSON.stringify(body));
}

function sendError(reply: FastifyReply, e: ErrorResponse): FastifyReply {
  return send(reply, e.status, e.body);
}

/** The API platform's checks, in HMRC's order: Accept (406), then a live bearer token (401). */
function platformCheck(req: FastifyRequest, deps: HmrcRouteDeps): { clientId: string } | ErrorResponse {
  if (String(req.headers.accept ?? "").trim().toLowerCase() !== FRAUD_TEST_ACCEPT) return singleError("", "ACCEPT_HEADER_INVALID");
  const token = /^Bearer\s+(\S+)\s*$/i.exec(String(req.headers.authorization ?? ""))?.[1];
  const grant = token ? deps.tokens.accessGrant(token) : undefined;
  return grant ? { clientId: grant.clientId } : singleError("", "UNAUTHORIZED");
}

const NOT_FOUND = { code: "MATCHING_RESOURCE_NOT_FOUND", message: "A resource with the name in the request can not be found in the API" };

export function fraudValidationRoutes(app: FastifyInstance, deps: HmrcRouteDeps): void {
  app.get(VALIDATE_PATH, async (req, reply) => {
    const auth = platformCheck(req, deps);
    if ("status" in auth) return sendError(reply, auth);
    return send(reply, 200, validateFraudHeaders(flatHeaders(req.headers)));
  });

  app.get(FEEDBACK_PATH, async (req, reply) => {
    const auth = platformCheck(req, deps);
    if ("status" in auth) return sendError(reply, auth);
    const api = (req.params as { api?: string }).api ?? "";
    if (!FEEDBACK_APIS.includes(api)) return send(reply, 404, NOT_FOUND);
    const method = (req.query as Record<string, unknown>).connectionMethod;
    if (method !== undefined && (typeof method !== "string" || !CONNECTION_METHODS.has(method))) return sendError(reply, singleError("", "INVALID_REQUEST"));
    const requests: FeedbackRequest[] = (deps.fraudHeaders?.latest(auth.clientId, api) ?? [])
      .filter((r) => method === undefined || r.headers["gov-client-connection-method"] === method)
      .map((r) => ({ path: r.path, method: r.method, requestTimestamp: r.requestTimestamp, ...fraudHeaderFeedback(r.headers) }));
    return send(reply, 200, { requests });
  });
}
