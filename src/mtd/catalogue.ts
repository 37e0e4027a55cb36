/**
 * The endpoint catalogue: every HMRC endpoint the product calls (DESIGN.md §1), with the exact method,
 * path template, Accept version, OAuth scope and the tax years it serves. The relay forwards only what
 * matches an entry here; the sandbox serves these paths; the add-in builds its URLs from them.
 * Source: the OpenAPI definitions in shared/hmrc-api (checked by test/mtd/catalogue.test.ts against the
 * generated path list in ./generated/oas-paths.json).
 */
import { isBusinessId, isNino } from "./identifiers";
import { compareTaxYears, isTaxYear, type TaxYear } from "./tax-year";

export type HttpMethod = "GET" | "PUT" | "POST" | "DELETE";
export type Scope = "read:self-assessment" | "write:self-assessment";

export type ApiName =
  | "business-details"
  | "obligations"
  | "self-employment"
  | "property"
  | "biss"
  | "bsas"
  | "calculations"
  | "losses"
  | "test-fraud-prevention-headers";

/** The formats a path parameter may take; each has a validator below. */
export type ParamFormat =
  | "nino"
  | "businessId"
  | "taxYear"
  | "calculationId"
  | "calculationType"
  | "finalCalculationType"
  | "typeOfBusiness"
  | "bsasTypeOfBusiness"
  | "lossId"
  | "claimId"
  | "propertyId"
  | "periodId"
  | "submissionId";

export interface Endpoint {
  readonly id: string;
  readonly api: ApiName;
  /** HMRC API version; the relay sends `Accept: application/vnd.hmrc.<version>+json`. */
  readonly version: string;
  readonly method: HttpMethod;
  /** HMRC's path with `{param}` placeholders. */
  readonly path: string;
  readonly params: Readonly<Record<string, ParamFormat>>;
  /** Query parameters HMRC defines for the endpoint; nothing else is forwarded. */
  readonly query: readonly string[];
  readonly scope: Scope;
  /** Which path parameter carries the tax year, when one does. */
  readonly taxYearParam?: string;
  readonly minTaxYear?: TaxYear;
  readonly maxTaxYear?: TaxYear;
  /** Safe to repeat with the same effect (GET, PUT create-or-amend): the relay may retry these. */
  readonly idempotent: boolean;
  readonly hasBody: boolean;
  readonly successStatus: number;
  readonly summary: string;
  /** HMRC offers it in its sandbox only (test support): a relay talking to production refuses it. */
  readonly sandboxOnly?: true;
}

const TY = (s: string) => s as TaxYear;

type Def = Omit<Endpoint, "params" | "query" | "scope" | "idempotent" | "hasBody" | "taxYearParam"> & {
  query?: readonly string[];
  hasBody?: boolean;
  idempotent?: boolean;
  formats?: Readonly<Record<string, ParamFormat>>;
};

/** Parameter names HMRC uses consistently map to one format; odd names are given per endpoint. */
const DEFAULT_FORMATS: Readonly<Record<string, ParamFormat>> = {
  nino: "nino",
  businessId: "businessId",
  taxYear: "taxYear",
  taxYearClaimedFor: "taxYear",
  taxYearBroughtForwardFrom: "taxYear",
  calculationId: "calculationId",
  lossId: "lossId",
  claimId: "claimId",
  propId: "propertyId",
  periodId: "periodId",
  submissionId: "submissionId",
  typeOfBusiness: "typeOfBusiness",
};

function define(d: Def): Endpoint {
  const names = [...d.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  const params: Record<string, ParamFormat> = {};
  for (const n of names) {
    const f = d.formats?.[n] ?? DEFAULT_FORMATS[n];
    if (!f) throw new Error(`catalogue: no format for {${n}} in ${d.id}`);
    params[n] = f;
  }
  const taxYearParam = names.find((n) => params[n] === "taxYear");
  const write = d.method !== "GET";
  const { formats: _formats, ...rest } = d;
  return {
    ...rest,
    params,
    query: d.query ?? [],
    scope: write ? "write:self-assessment" : "read:self-assessment",
    ...(taxYearParam ? { taxYearParam } : {}),
    idempotent: d.idempotent ?? (d.method === "GET" || d.method === "PUT" || d.method === "DELETE"),
    hasBody: d.hasBody ?? (d.method === "PUT" || d.method === "POST"),
  };
}

const BD = "/individuals/business/details";
const SE = "/individuals/business/self-employment";
const PROP = "/individuals/business/property";
const BSAS = "/individuals/self-assessment/adjustable-summary";
const CALC = "/individuals/calculations";
const LOSS = "/individuals/losses";

export const ENDPOINTS: readonly Endpoint[] = [
  // Business Details 2.0
  define({ id: "business-details.list", api: "business-details", version: "2.0", method: "GET", path: `${BD}/{nino}/list`, successStatus: 200, summary: "List all businesses" }),
  define({ id: "business-details.retrieve", api: "business-details", version: "2.0", method: "GET", path: `${BD}/{nino}/{businessId}`, successStatus: 200, summary: "Retrieve business details" }),
  define({ id: "business-details.quarterly-period-type", api: "business-details", version: "2.0", method: "PUT", path: `${BD}/{nino}/{businessId}/{taxYear}`, successStatus: 204, summary: "Create or amend quarterly period type" }),
  define({ id: "business-details.accounting-type.retrieve", api: "business-details", version: "2.0", method: "GET", path: `${BD}/{nino}/{businessId}/{taxYear}/accounting-type`, successStatus: 200, summary: "Retrieve accounting type" }),
  define({ id: "business-details.accounting-type.update", api: "business-details", version: "2.0", method: "PUT", path: `${BD}/{nino}/{businessId}/{taxYear}/accounting-type`, minTaxYear: TY("2025-26"), successStatus: 204, summary: "Update accounting type" }),
  define({ id: "business-details.periods-of-account.retrieve", api: "business-details", version: "2.0", method: "GET", path: `${BD}/{nino}/{businessId}/{taxYear}/periods-of-account`, minTaxYear: TY("2025-26"), successStatus: 200, summary: "Retrieve periods of account" }),
  define({ id: "business-details.periods-of-account.update", api: "business-details", version: "2.0", method: "PUT", path: `${BD}/{nino}/{businessId}/{taxYear}/periods-of-account`, minTaxYear: TY("2025-26"), successStatus: 204, summary: "Create or update periods of account" }),
  define({ id: "business-details.late-accounting-date-rule.retrieve", api: "business-details", version: "2.0", method: "GET", path: `${BD}/{nino}/{businessId}/{taxYear}/late-accounting-date-rule-election`, successStatus: 200, summary: "Retrieve late accounting date rule election" }),
  define({ id: "business-details.late-accounting-date-rule.disapply", api: "business-details", version: "2.0", method: "POST", path: `${BD}/{nino}/{businessId}/{taxYear}/late-accounting-date-rule-election/disapply`, minTaxYear: TY("2025-26"), hasBody: false, successStatus: 204, summary: "Disapply late accounting date rule" }),
  define({ id: "business-details.late-accounting-date-rule.withdraw", api: "business-details", version: "2.0", method: "DELETE", path: `${BD}/{nino}/{businessId}/{taxYear}/late-accounting-date-rule-election/withdraw`, minTaxYear: TY("2025-26"), successStatus: 204, summary: "Withdraw late accounting date rule" }),

  // Obligations 3.0
  define({ id: "obligations.income-and-expenditure", api: "obligations", version: "3.0", method: "GET", path: "/obligations/details/{nino}/income-and-expenditure", query: ["typeOfBusiness", "businessId", "fromDate", "toDate", "status"], successStatus: 200, summary: "Retrieve income and expenditure obligations" }),
  define({ id: "obligations.final-declaration", api: "obligations", version: "3.0", method: "GET", path: "/obligations/details/{nino}/crystallisation", query: ["taxYear", "status"], successStatus: 200, summary: "Retrieve final declaration obligations" }),

  // Self-Employment Business 5.0
  define({ id: "self-employment.cumulative.amend", api: "self-employment", version: "5.0", method: "PUT", path: `${SE}/{nino}/{businessId}/cumulative/{taxYear}`, minTaxYear: TY("2025-26"), successStatus: 204, summary: "Create or amend a self-employment cumulative period summary" }),
  define({ id: "self-employment.cumulative.retrieve", api: "self-employment", version: "5.0", method: "GET", path: `${SE}/{nino}/{businessId}/cumulative/{taxYear}`, minTaxYear: TY("2025-26"), successStatus: 200, summary: "Retrieve a self-employment cumulative period summary" }),
  define({ id: "self-employment.annual.amend", api: "self-employment", version: "5.0", method: "PUT", path: `${SE}/{nino}/{businessId}/annual/{taxYear}`, minTaxYear: TY("2017-18"), successStatus: 204, summary: "Create and amend a self-employment annual submission" }),
  define({ id: "self-employment.annual.retrieve", api: "self-employment", version: "5.0", method: "GET", path: `${SE}/{nino}/{businessId}/annual/{taxYear}`, minTaxYear: TY("2017-18"), successStatus: 200, summary: "Retrieve a self-employment annual submission" }),
  define({ id: "self-employment.annual.delete", api: "self-employment", version: "5.0", method: "DELETE", path: `${SE}/{nino}/{businessId}/annual/{taxYear}`, minTaxYear: TY("2017-18"), successStatus: 204, summary: "Delete a self-employment annual submission" }),
  define({ id: "self-employment.period.list", api: "self-employment", version: "5.0", method: "GET", path: `${SE}/{nino}/{businessId}/period/{taxYear}`, maxTaxYear: TY("2024-25"), successStatus: 200, summary: "List self-employment period summaries" }),
  define({ id: "self-employment.period.retrieve", api: "self-employment", version: "5.0", method: "GET", path: `${SE}/{nino}/{businessId}/period/{taxYear}/{periodId}`, maxTaxYear: TY("2024-25"), successStatus: 200, summary: "Retrieve a self-employment period summary" }),

  // Property Business 6.0
  define({ id: "property.uk.cumulative.amend", api: "property", version: "6.0", method: "PUT", path: `${PROP}/uk/{nino}/{businessId}/cumulative/{taxYear}`, minTaxYear: TY("2025-26"), successStatus: 204, summary: "Create or amend a UK property cumulative period summary" }),
  define({ id: "property.uk.cumulative.retrieve", api: "property", version: "6.0", method: "GET", path: `${PROP}/uk/{nino}/{businessId}/cumulative/{taxYear}`, minTaxYear: TY("2025-26"), successStatus: 200, summary: "Retrieve a UK property cumulative period summary" }),
  define({ id: "property.foreign.cumulative.amend", api: "property", version: "6.0", method: "PUT", path: `${PROP}/foreign/{nino}/{businessId}/cumulative/{taxYear}`, minTaxYear: TY("2025-26"), successStatus: 204, summary: "Create or amend a foreign property cumulative period summary" }),
  define({ id: "property.foreign.cumulative.retrieve", api: "property", version: "6.0", method: "GET", path: `${PROP}/foreign/{nino}/{businessId}/cumulative/{taxYear}`, query: ["propertyId"], minTaxYear: TY("2025-26"), successStatus: 200, summary: "Retrieve a foreign property cumulative period summary" }),
  define({ id: "property.foreign.details.create", api: "property", version: "6.0", method: "POST", path: `${PROP}/foreign/{nino}/{businessId}/details/{taxYear}`, minTaxYear: TY("2026-27"), successStatus: 200, summary: "Create foreign property details" }),
  define({ id: "property.foreign.details.retrieve", api: "property", version: "6.0", method: "GET", path: `${PROP}/foreign/{nino}/{businessId}/details/{taxYear}`, query: ["propertyId"], minTaxYear: TY("2026-27"), successStatus: 200, summary: "Retrieve foreign property details" }),
  define({ id: "property.foreign.details.update", api: "property", version: "6.0", method: "PUT", path: `${PROP}/foreign/{nino}/details/{propId}/{taxYear}`, minTaxYear: TY("2026-27"), successStatus: 204, summary: "Update foreign property details" }),
  define({ id: "property.uk.annual.amend", api: "property", version: "6.0", method: "PUT", path: `${PROP}/uk/{nino}/{businessId}/annual/{taxYear}`, minTaxYear: TY("2022-23"), successStatus: 200, summary: "Create and amend a UK property annual submission" }),
  define({ id: "property.uk.annual.retrieve", api: "property", version: "6.0", method: "GET", path: `${PROP}/uk/{nino}/{businessId}/annual/{taxYear}`, minTaxYear: TY("2022-23"), successStatus: 200, summary: "Retrieve a UK property annual submission" }),
  define({ id: "property.foreign.annual.amend", api: "property", version: "6.0", method: "PUT", path: `${PROP}/foreign/{nino}/{businessId}/annual/{taxYear}`, minTaxYear: TY("2021-22"), successStatus: 200, summary: "Create and amend a foreign property annual submission" }),
  define({ id: "property.foreign.annual.retrieve", api: "property", version: "6.0", method: "GET", path: `${PROP}/foreign/{nino}/{businessId}/annual/{taxYear}`, query: ["propertyId"], minTaxYear: TY("2021-22"), successStatus: 200, summary: "Retrieve a foreign property annual submission" }),
  define({ id: "property.annual.delete", api: "property", version: "6.0", method: "DELETE", path: `${PROP}/{nino}/{businessId}/annual/{taxYear}`, minTaxYear: TY("2021-22"), successStatus: 204, summary: "Delete a property annual submission" }),

  // BISS 3.0
  define({ id: "biss.retrieve", api: "biss", version: "3.0", method: "GET", path: "/individuals/self-assessment/income-summary/{nino}/{typeOfBusiness}/{taxYear}/{businessId}", minTaxYear: TY("2022-23"), successStatus: 200, summary: "Retrieve a business income source summary" }),

  // BSAS 7.0
  define({ id: "bsas.list", api: "bsas", version: "7.0", method: "GET", path: `${BSAS}/{nino}/{taxYear}`, query: ["typeOfBusiness", "businessId"], minTaxYear: TY("2023-24"), successStatus: 200, summary: "List business source adjustable summaries" }),
  define({ id: "bsas.trigger", api: "bsas", version: "7.0", method: "POST", path: `${BSAS}/{nino}/trigger`, successStatus: 200, summary: "Trigger a business source adjustable summary" }),
  ...(["self-employment", "uk-property", "foreign-property"] as const).flatMap((t) => [
    define({ id: `bsas.${t}.retrieve`, api: "bsas", version: "7.0", method: "GET", path: `${BSAS}/{nino}/${t}/{calculationId}/{taxYear}`, minTaxYear: TY("2023-24"), successStatus: 200, summary: `Retrieve a ${t} adjustable summary` }),
    define({ id: `bsas.${t}.adjust`, api: "bsas", version: "7.0", method: "POST", path: `${BSAS}/{nino}/${t}/{calculationId}/adjust/{taxYear}`, minTaxYear: TY("2023-24"), successStatus: 200, summary: `Submit ${t} accounting adjustments` }),
  ]),

  // Individual Calculations 8.0
  define({ id: "calculations.trigger", api: "calculations", version: "8.0", method: "POST", path: `${CALC}/{nino}/self-assessment/{taxYear}/trigger/{calculationType}`, formats: { calculationType: "calculationType" }, hasBody: false, minTaxYear: TY("2017-18"), successStatus: 202, summary: "Trigger a self assessment tax calculation" }),
  define({ id: "calculations.list", api: "calculations", version: "8.0", method: "GET", path: `${CALC}/{nino}/self-assessment/{taxYear}`, query: ["calculationType"], minTaxYear: TY("2017-18"), successStatus: 200, summary: "List self assessment tax calculations" }),
  define({ id: "calculations.retrieve", api: "calculations", version: "8.0", method: "GET", path: `${CALC}/{nino}/self-assessment/{taxYear}/{calculationId}`, minTaxYear: TY("2017-18"), successStatus: 200, summary: "Retrieve a self assessment tax calculation" }),
  define({ id: "calculations.submit", api: "calculations", version: "8.0", method: "POST", path: `${CALC}/{nino}/self-assessment/{taxYear}/{calculationId}/{calculationType}`, formats: { calculationType: "finalCalculationType" }, hasBody: false, minTaxYear: TY("2017-18"), successStatus: 204, summary: "Submit a final declaration or confirm an amendment" }),

  // Individual Losses 6.0 (tax years to 2025-26)
  define({ id: "losses.bf.create", api: "losses", version: "6.0", method: "POST", path: `${LOSS}/{nino}/brought-forward-losses/tax-year/brought-forward-from/{taxYear}`, minTaxYear: TY("2019-20"), maxTaxYear: TY("2025-26"), successStatus: 201, summary: "Create a brought forward loss" }),
  define({ id: "losses.bf.amend", api: "losses", version: "6.0", method: "POST", path: `${LOSS}/{nino}/brought-forward-losses/{lossId}/tax-year/{taxYear}/change-loss-amount`, minTaxYear: TY("2019-20"), maxTaxYear: TY("2025-26"), idempotent: true, successStatus: 200, summary: "Amend a brought forward loss amount" }),
  define({ id: "losses.bf.list", api: "losses", version: "6.0", method: "GET", path: `${LOSS}/{nino}/brought-forward-losses/tax-year/{taxYearBroughtForwardFrom}`, query: ["typeOfLoss", "businessId"], minTaxYear: TY("2019-20"), maxTaxYear: TY("2025-26"), successStatus: 200, summary: "List brought forward losses" }),
  define({ id: "losses.bf.retrieve", api: "losses", version: "6.0", method: "GET", path: `${LOSS}/{nino}/brought-forward-losses/{lossId}`, successStatus: 200, summary: "Retrieve a brought forward loss" }),
  define({ id: "losses.bf.delete", api: "losses", version: "6.0", method: "DELETE", path: `${LOSS}/{nino}/brought-forward-losses/{lossId}/tax-year/{taxYear}`, minTaxYear: TY("2019-20"), maxTaxYear: TY("2025-26"), successStatus: 204, summary: "Delete a brought forward loss" }),
  define({ id: "losses.claims.create", api: "losses", version: "6.0", method: "POST", path: `${LOSS}/{nino}/loss-claims`, successStatus: 201, summary: "Create a loss claim" }),
  define({ id: "losses.claims.list", api: "losses", version: "6.0", method: "GET", path: `${LOSS}/{nino}/loss-claims/tax-year/{taxYearClaimedFor}`, query: ["typeOfLoss", "businessId", "typeOfClaim"], minTaxYear: TY("2019-20"), maxTaxYear: TY("2025-26"), successStatus: 200, summary: "List loss claims" }),
  define({ id: "losses.claims.retrieve", api: "losses", version: "6.0", method: "GET", path: `${LOSS}/{nino}/loss-claims/{claimId}`, successStatus: 200, summary: "Retrieve a loss claim" }),
  define({ id: "losses.claims.delete", api: "losses", version: "6.0", method: "DELETE", path: `${LOSS}/{nino}/loss-claims/{claimId}/tax-year/{taxYearClaimedFor}`, minTaxYear: TY("2019-20"), maxTaxYear: TY("2025-26"), successStatus: 204, summary: "Delete a loss claim" }),
  define({ id: "losses.claims.change-type", api: "losses", version: "6.0", method: "POST", path: `${LOSS}/{nino}/loss-claims/{claimId}/tax-year/{taxYearClaimedFor}/change-type-of-claim`, minTaxYear: TY("2019-20"), maxTaxYear: TY("2025-26"), idempotent: true, successStatus: 200, summary: "Amend a loss claim type" }),
  define({ id: "losses.claims.order", api: "losses", version: "6.0", method: "PUT", path: `${LOSS}/{nino}/loss-claims/order/{taxYearClaimedFor}`, minTaxYear: TY("2019-20"), maxTaxYear: TY("2025-26"), successStatus: 200, summary: "Amend loss claims order" }),

  // Individual Losses 7.0 (tax years from 2026-27)
  define({ id: "losses.business.retrieve", api: "losses", version: "7.0", method: "GET", path: `${LOSS}/{nino}/businesses/{businessId}/loss-claims/{taxYear}`, minTaxYear: TY("2026-27"), successStatus: 200, summary: "Retrieve losses and claims" }),
  define({ id: "losses.business.amend", api: "losses", version: "7.0", method: "PUT", path: `${LOSS}/{nino}/businesses/{businessId}/loss-claims/{taxYear}`, minTaxYear: TY("2026-27"), successStatus: 204, summary: "Create or amend losses and claims" }),
  define({ id: "losses.business.delete", api: "losses", version: "7.0", method: "DELETE", path: `${LOSS}/{nino}/businesses/{businessId}/loss-claims/{taxYear}`, minTaxYear: TY("2026-27"), successStatus: 204, summary: "Delete losses and claims" }),
];

/**
 * HMRC's sandbox-only test APIs the relay may forward outside production. Kept apart from ENDPOINTS, which
 * mirror the MTD OpenAPI definitions. The fraud-header validator is application-restricted at HMRC; any token
 * the relay holds for a user carries the read scope, which is what the entry declares.
 */
export const SANDBOX_ONLY_ENDPOINTS: readonly Endpoint[] = [
  define({ id: "fraud-headers.validate", api: "test-fraud-prevention-headers", version: "1.0", method: "GET", path: "/test/fraud-prevention-headers/validate", sandboxOnly: true, successStatus: 200, summary: "Validate fraud prevention headers" }),
];

const BY_ID = new Map([...ENDPOINTS, ...SANDBOX_ONLY_ENDPOINTS].map((e) => [e.id, e]));

export function endpointById(id: string): Endpoint | undefined {
  return BY_ID.get(id);
}

export function getEndpoint(id: string): Endpoint {
  const e = BY_ID.get(id);
  if (!e) throw new Error(`Unknown endpoint ${id}`);
  return e;
}

export function acceptHeader(e: Endpoint): string {
  return `application/vnd.hmrc.${e.version}+json`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const PARAM_CHECKS: Readonly<Record<ParamFormat, (v: string) => boolean>> = {
  nino: isNino,
  businessId: isBusinessId,
  taxYear: isTaxYear,
  calculationId: (v) => /^[0-9]{8}$/.test(v) || UUID.test(v),
  calculationType: (v) => ["in-year", "intent-to-finalise", "intent-to-amend"].includes(v),
  finalCalculationType: (v) => ["final-declaration", "confirm-amendment"].includes(v),
  typeOfBusiness: (v) => ["self-employment", "uk-property", "foreign-property", "uk-property-fhl", "foreign-property-fhl-eea"].includes(v),
  bsasTypeOfBusiness: (v) => ["self-employment", "uk-property", "foreign-property"].includes(v),
  lossId: (v) => /^[A-Za-z0-9]{15}$/.test(v),
  claimId: (v) => /^[A-Za-z0-9]{15}$/.test(v),
  propertyId: (v) => UUID.test(v),
  periodId: (v) => /^\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}$/.test(v),
  submissionId: (v) => UUID.test(v),
};

export function paramIsValid(format: ParamFormat, value: string): boolean {
  return PARAM_CHECKS[format](value);
}

export type EndpointMatch =
  | { ok: true; endpoint: Endpoint; params: Record<string, string> }
  | { ok: false; reason: "no-such-endpoint" | "bad-parameter" | "tax-year-not-supported"; detail: string };

interface Compiled {
  endpoint: Endpoint;
  regex: RegExp;
  names: string[];
  literalSegments: number;
}

const COMPILED: Compiled[] = [...ENDPOINTS, ...SANDBOX_ONLY_ENDPOINTS].map((endpoint) => {
  const names: string[] = [];
  const source = endpoint.path
    .split("/")
    .map((seg) => {
      const m = /^\{(\w+)\}$/.exec(seg);
      if (m) {
        names.push(m[1]!);
        return "([^/]+)";
      }
      return seg.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("/");
  const literalSegments = endpoint.path.split("/").filter((s) => s && !s.startsWith("{")).length;
  return { endpoint, regex: new RegExp(`^${source}$`), names, literalSegments };
})
  // Prefer the most specific template: `/{nino}/list` must win over `/{nino}/{businessId}`.
  .sort((a, b) => b.literalSegments - a.literalSegments);

/**
 * Matches a method and an HMRC path (no query string) to a catalogue entry, checking every parameter's
 * format and the endpoint's tax-year range. Anything that does not match is not an HMRC call we make.
 */
export function matchEndpoint(method: string, path: string): EndpointMatch {
  let badParam: string | undefined;
  for (const c of COMPILED) {
    if (c.endpoint.method !== method.toUpperCase()) continue;
    const m = c.regex.exec(path);
    if (!m) continue;
    const params: Record<string, string> = {};
    let valid = true;
    c.names.forEach((name, i) => {
      const raw = m[i + 1]!;
      let value: string;
      try {
        value = decodeURIComponent(raw);
      } catch {
        value = "\u0000";
      }
      params[name] = value;
      if (!paramIsValid(c.endpoint.params[name]!, value)) {
        valid = false;
        badParam ??= name;
      }
    });
    if (!valid) continue;
    const e = c.endpoint;
    if (e.taxYearParam) {
      const ty = params[e.taxYearParam] as TaxYear;
      if ((e.minTaxYear && compareTaxYears(ty, e.minTaxYear) < 0) || (e.maxTaxYear && compareTaxYears(ty, e.maxTaxYear) > 0)) {
        return { ok: false, reason: "tax-year-not-supported", detail: `${e.id} does not serve tax year ${ty}` };
      }
    }
    return { ok: true, endpoint: e, params };
  }
  if (badParam) return { ok: false, reason: "bad-parameter", detail: `parameter ${badParam} is not in HMRC's format` };
  return { ok: false, reason: "no-such-endpoint", detail: `${method} is not allowed on this path` };
}

/** Fills a template; values are checked and percent-encoded so a caller cannot smuggle path segments. */
export function buildPath(e: Endpoint, params: Readonly<Record<string, string>>): string {
  return e.path.replace(/\{(\w+)\}/g, (_m, name: string) => {
    const value = params[name];
    const format = e.params[name]!;
    if (value === undefined) throw new Error(`${e.id}: missing parameter ${name}`);
    if (!paramIsValid(format, value)) throw new Error(`${e.id}: parameter ${name} is not a valid ${format}`);
    return encodeURIComponent(value);
  });
}
