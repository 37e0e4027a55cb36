/**
 * The forwarding allow-list (DESIGN.md §5): a browser request to `/api/hmrc/<path>` is turned into an HMRC
 * call only if method and path match the mtd endpoint catalogue, every parameter is in HMRC's format, the
 * query holds only the endpoint's declared parameters, and the body (where the endpoint takes one) is JSON.
 * Anything else is refused here, before it can leave the relay.
 */
import {
  buildPath,
  isBusinessId,
  isIsoDate,
  isTaxYear,
  matchEndpoint,
  paramIsValid,
  RELAY_HMRC_PREFIX,
  err,
  ok,
  type Endpoint,
  type Result,
} from "../mtd";
import { refusal, type RelayRefusal } from "./errors";

export interface MatchedCall {
  endpoint: Endpoint;
  params: Record<string, string>;
  /** HMRC path rebuilt from the checked parameters (canonical encoding, nothing smuggled). */
  path: string;
  /** Query string without `?`, only declared parameters, in the catalogue's order; "" when none. */
  query: string;
}

export interface CheckedBody {
  /** The exact bytes to send. */
  bytes: Buffer;
  json: Record<string, unknown>;
}

const MAX_URL_LENGTH = 2048;
const QUERY_VALUE = /^[A-Za-z0-9._:-]{1,64}$/;
const QUERY_FORMATS: Readonly<Record<string, (v: string) => boolean>> = {
  businessId: isBusinessId,
  taxYear: isTaxYear,
  fromDate: isIsoDate,
  toDate: isIsoDate,
  propertyId: (v) => paramIsValid("propertyId", v),
};

/** Checks method, path and query of a request to the relay's HMRC prefix. */
export function matchHmrcCall(method: string, rawUrl: string): Result<MatchedCall, RelayRefusal> {
  if (rawUrl.length > MAX_URL_LENGTH || !rawUrl.startsWith(`${RELAY_HMRC_PREFIX}/`)) return err(refusal(403, "RELAY_ENDPOINT_NOT_ALLOWED"));
  const rest = rawUrl.slice(RELAY_HMRC_PREFIX.length);
  const q = rest.indexOf("?");
  const rawPath = q === -1 ? rest : rest.slice(0, q);
  const rawQuery = q === -1 ? "" : rest.slice(q + 1);

  const match = matchEndpoint(method, rawPath);
  if (!match.ok) {
    if (match.reason === "bad-parameter") return err(refusal(400, "RELAY_BAD_PARAMETER"));
    if (match.reason === "tax-year-not-supported") return err(refusal(400, "RELAY_TAX_YEAR_NOT_SUPPORTED"));
    return err(refusal(403, "RELAY_ENDPOINT_NOT_ALLOWED"));
  }
  const { endpoint, params } = match;

  const given = new Map<string, string>();
  for (const [key, value] of new URLSearchParams(rawQuery)) {
    if (!endpoint.query.includes(key) || given.has(key)) return err(refusal(400, "RELAY_BAD_PARAMETER"));
    const formatOk = QUERY_FORMATS[key]?.(value) ?? true;
    if (!QUERY_VALUE.test(value) || !formatOk) return err(refusal(400, "RELAY_BAD_PARAMETER"));
    given.set(key, value);
  }
  const query = new URLSearchParams(endpoint.query.filter((k) => given.has(k)).map((k) => [k, given.get(k)!])).toString();

  return ok({ endpoint, params, path: buildPath(endpoint, params), query });
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * The body rule: endpoints without a body get none; endpoints with one get a JSON object, sent as the exact
 * bytes received. `contentType` is the request's Content-Type header.
 */
export function checkBody(endpoint: Endpoint, contentType: string | undefined, body: Buffer | undefined, maxBytes: number): Result<CheckedBody | null, RelayRefusal> {
  const size = body?.length ?? 0;
  if (!endpoint.hasBody) return size === 0 ? ok(null) : err(refusal(403, "RELAY_ENDPOINT_NOT_ALLOWED"));
  if (size > maxBytes) return err(refusal(413, "RELAY_BODY_TOO_LARGE"));
  if (!body || size === 0) return err(refusal(400, "RELAY_BODY_NOT_JSON"));
  if (!isJsonContentType(contentType)) return err(refusal(415, "RELAY_BODY_NOT_JSON"));
  let json: unknown;
  try {
    json = JSON.parse(utf8.decode(body));
  } catch {
    return err(refusal(400, "RELAY_BODY_NOT_JSON"));
  }
  // Every HMRC request body we send is a JSON object.
  if (typeof json !== "object" || json === null || Array.isArray(json)) return err(refusal(400, "RELAY_BODY_NOT_JSON"));
  return ok({ bytes: body, json: json as Record<string, unknown> });
}

/** `application/json`, optionally with `charset=utf-8`; nothing else. */
export function isJsonContentType(value: string | undefined): boolean {
  if (value === undefined) return false;
  const [type, ...params] = value.split(";").map((s) => s.trim().toLowerCase());
  if (type !== "application/json") return false;
  return params.every((p) => p === "" || p === "charset=utf-8" || p === 'charset="utf-8"');
}
