/**
 * Request-body validation for a sandbox endpoint: HMRC's schema for the tax year (generated/request-schemas.ts),
 * then the endpoint's own field rules (validation/rules.ts), each error worded as the endpoint documents it.
 * HMRC reports schema errors first and the cross-field rules only once the fields themselves are valid.
 */
import { compareTaxYears, isIsoDate, type HmrcErrorItem, type TaxYear } from "../../mtd";
import { withDocumentedMessages } from "../errors";
import { REQUEST_SCHEMAS, type RequestSchema } from "../generated/request-schemas";
import { validateJsonSchema, type FieldCodes } from "./json-schema";
import { ISO_ALPHA3, isCountryCodeFormat } from "./country-codes";

/** The schema HMRC applies to `endpointId` in `taxYear` (the open-ended newest when the endpoint has no tax year). */
export function requestSchemaFor(endpointId: string, taxYear: string | undefined): RequestSchema {
  const defs = REQUEST_SCHEMAS[endpointId];
  if (!defs || defs.length === 0) throw new Error(`no request schema generated for ${endpointId}`);
  if (!taxYear) return defs[defs.length - 1]!;
  const ty = taxYear as TaxYear;
  const def = defs.find(
    (d) => (!d.minTaxYear || compareTaxYears(ty, d.minTaxYear as TaxYear) >= 0) && (!d.maxTaxYear || compareTaxYears(ty, d.maxTaxYear as TaxYear) <= 0),
  );
  return def ?? defs[defs.length - 1]!;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Formats HMRC's validators check that some of its schemas leave unstated (the property API's schemas have no
 * `format` on dates or property ids, nor any constraint on country codes): what a field is follows from its
 * name. Fields the schema already flagged are not reported twice.
 */
function namedFormatErrors(body: unknown, codes: FieldCodes, already: ReadonlySet<string>): HmrcErrorItem[] {
  const byCode = new Map<string, string[]>();
  const add = (code: string, pointer: string) => {
    if (!already.has(pointer)) byCode.set(code, [...(byCode.get(code) ?? []), pointer]);
  };
  const walk = (v: unknown, at: string, name: string): void => {
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${at}/${i}`, name));
    else if (isObject(v)) for (const [k, x] of Object.entries(v)) walk(x, `${at}/${k}`, k);
    else if (typeof v === "string") {
      if (name === "countryCode" && !isCountryCodeFormat(v)) add("FORMAT_COUNTRY_CODE", at);
      else if (name === "countryCode" && !ISO_ALPHA3.has(v)) add("RULE_COUNTRY_CODE", at);
      else if (name === "propertyId" && !UUID.test(v)) add(codes[name] ?? "FORMAT_PROPERTY_ID", at);
      else if (/(^d|D)ate$/.test(name) && !isIsoDate(v)) add(codes[name] ?? "FORMAT_DATE", at);
    }
  };
  walk(body, "", "");
  return [...byCode].map(([code, paths]) => ({ code, message: code, paths }));
}

export interface BodyRules {
  /** FORMAT_ codes of string fields by name (json-schema.ts's defaults otherwise). */
  readonly codes?: FieldCodes;
  /** Cross-field rules, run once every field is valid. */
  readonly rules?: (body: Record<string, unknown>, taxYear: string | undefined) => HmrcErrorItem[];
}

/** HMRC's validation of a request body for `endpointId` in `taxYear`; empty when it would be accepted. */
export function validateRequestBody(endpointId: string, taxYear: string | undefined, body: unknown, spec: BodyRules = {}): HmrcErrorItem[] {
  const { schema } = requestSchemaFor(endpointId, taxYear);
  let errors = validateJsonSchema(body, schema, spec.codes);
  if (!errors.some((e) => e.code === "RULE_INCORRECT_OR_EMPTY_BODY_SUBMITTED")) {
    const flagged = new Set(errors.flatMap((e) => e.paths ?? []));
    errors = [...errors, ...namedFormatErrors(body, spec.codes ?? {}, flagged)];
  }
  if (errors.length === 0 && spec.rules) errors = spec.rules(body as Record<string, unknown>, taxYear);
  return withDocumentedMessages(endpointId, errors);
}
