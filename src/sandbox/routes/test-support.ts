/**
 * Self Assessment Test Support 1.0 (sandbox only): create and delete test businesses, so tests can set up
 * calendar-quarter, latent or extra businesses. HMRC allows one UK and one foreign property business per NINO;
 * delete the default one first to replace it. ITSA status, vendor state and checkpoints: test-support-state.ts.
 */
import type { FastifyInstance } from "fastify";
import { isIsoDate, parseTaxYear, todayIso, type HmrcErrorItem, type QuarterBasis, type TypeOfBusiness } from "../../mtd";
import { errorItem, singleError } from "../errors";
import { registerHmrcRoute, type HmrcRouteDeps, type RouteEndpoint } from "../hmrc-route";
import { MAX_BUSINESSES_PER_TAXPAYER, type Business, type LatencyDetails } from "../state";
import { testSupportStateRoutes } from "./test-support-state";

const BASE = "/individuals/self-assessment-test-support/business";
const ACCEPT = "application/vnd.hmrc.1.0+json";

export const TEST_SUPPORT_CREATE: RouteEndpoint = {
  id: "test-support.business.create",
  accept: ACCEPT,
  method: "POST",
  path: `${BASE}/{nino}`,
  params: { nino: "nino" },
  scope: "write:self-assessment",
  hasBody: true,
};

export const TEST_SUPPORT_DELETE: RouteEndpoint = {
  id: "test-support.business.delete",
  accept: ACCEPT,
  method: "DELETE",
  path: `${BASE}/{nino}/{businessId}`,
  params: { nino: "nino", businessId: "businessId" },
  scope: "write:self-assessment",
  hasBody: false,
};

const ID = TEST_SUPPORT_CREATE.id;
const TYPES: readonly TypeOfBusiness[] = ["self-employment", "uk-property", "foreign-property", "property-unspecified"];
const ADDRESS_FIELDS = [
  "businessAddressLineOne",
  "businessAddressLineTwo",
  "businessAddressLineThree",
  "businessAddressLineFour",
  "businessAddressPostcode",
  "businessAddressCountryCode",
] as const;
const STRING_FIELDS = ["typeOfBusiness", "tradingName", "firstAccountingPeriodStartDate", "firstAccountingPeriodEndDate", "accountingType", "commencementDate", "cessationDate", ...ADDRESS_FIELDS];
const DATE_FIELDS = ["firstAccountingPeriodStartDate", "firstAccountingPeriodEndDate", "commencementDate", "cessationDate"];
const LATENCY_FIELDS = ["latencyEndDate", "taxYear1", "latencyIndicator1", "taxYear2", "latencyIndicator2"];
const POSTCODE = /^([A-Z]{1,2}[0-9][0-9A-Z]?\s?[0-9][A-Z]{2}|BFPO\s?[0-9]{1,10})$/;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** Collects errors HMRC-style: one item per code, with every offending JSON pointer. */
class Errors {
  private readonly byCode = new Map<string, string[]>();
  add(code: string, path?: string): void {
    const paths = this.byCode.get(code) ?? [];
    if (path && !paths.includes(path)) paths.push(path);
    this.byCode.set(code, paths);
  }
  get items(): HmrcErrorItem[] {
    return [...this.byCode].map(([code, paths]) => errorItem(ID, code, paths));
  }
}

function checkTaxYear(errors: Errors, value: unknown, path: string): void {
  const ty = parseTaxYear(value);
  if (!ty.ok) errors.add(ty.error, path);
}

/** Shapes and formats (FORMAT_*, unknown or mistyped fields). */
function formatErrors(body: unknown): HmrcErrorItem[] {
  const errors = new Errors();
  if (!isObject(body) || Object.keys(body).length === 0) return [errorItem(ID, "RULE_INCORRECT_OR_EMPTY_BODY_SUBMITTED")];
  const known = new Set([...STRING_FIELDS, "latencyDetails", "quarterlyTypeChoice"]);
  for (const key of Object.keys(body)) if (!known.has(key)) errors.add("RULE_INCORRECT_OR_EMPTY_BODY_SUBMITTED", `/${key}`);
  for (const key of STRING_FIELDS) if (key in body && typeof body[key] !== "string") errors.add("RULE_INCORRECT_OR_EMPTY_BODY_SUBMITTED", `/${key}`);
  if (body.typeOfBusiness === undefined) errors.add("RULE_INCORRECT_OR_EMPTY_BODY_SUBMITTED", "/typeOfBusiness");
  else if (typeof body.typeOfBusiness === "string" && !(TYPES as readonly string[]).includes(body.typeOfBusiness)) errors.add("FORMAT_TYPE_OF_BUSINESS", "/typeOfBusiness");
  for (const key of DATE_FIELDS) if (typeof body[key] === "string" && !isIsoDate(body[key])) errors.add("FORMAT_DATE", `/${key}`);
  if (typeof body.tradingName === "string" && (body.tradingName.length < 1 || body.tradingName.length > 105)) errors.add("RULE_INCORRECT_OR_EMPTY_BODY_SUBMITTED", "/tradingName");
  for (const key of ADDRESS_FIELDS.slice(0, 4)) {
    const v = body[key];
    if (typeof v === "string" && (v.length < 1 || v.length > 35)) errors.add("RULE_INCORRECT_OR_EMPTY_BODY_SUBMITTED", `/${key}`);
  }
  if (typeof body.businessAddressPostcode === "string" && !POSTCODE.test(body.businessAddressPostcode)) errors.add("FORMAT_POSTCODE", "/businessAddressPostcode");
  if (typeof body.businessAddressCountryCode === "string" && !/^[A-Z]{2}$/.test(body.businessAddressCountryCode)) {
    errors.add("FORMAT_COUNTRY_CODE", "/businessAddressCountryCode");
  }
  if (typeof body.accountingType === "string" && !["CASH", "ACCRUALS"].includes(body.accountingType)) errors.add("FORMAT_ACCOUNTING_TYPE", "/accountingType");

  if ("latencyDetails" in body) {
    const l = body.latencyDetails;
    if (!isObject(l)) errors.add("RULE_INCORRECT_OR_EMPTY_BODY_SUBMITTED", "/latencyDetails");
    else {
      for (const key of Object.keys(l)) if (!LATENCY_FIELDS.includes(key)) errors.add("RULE_INCORRECT_OR_EMPTY_BODY_SUBMITTED", `/latencyDetails/${key}`);
      for (const key of LATENCY_FIELDS) if (typeof l[key] !== "string") errors.add("RULE_INCORRECT_OR_EMPTY_BODY_SUBMITTED", `/latencyDetails/${key}`);
      if (typeof l.latencyEndDate === "string" && !isIsoDate(l.latencyEndDate)) errors.add("FORMAT_DATE", "/latencyDetails/latencyEndDate");
      for (const n of [1, 2]) {
        if (typeof l[`taxYear${n}`] === "string") checkTaxYear(errors, l[`taxYear${n}`], `/latencyDetails/taxYear${n}`);
        const ind = l[`latencyIndicator${n}`];
        if (typeof ind === "string" && ind !== "A" && ind !== "Q") errors.add("FORMAT_LATENCY_INDICATOR", `/latencyDetails/latencyIndicator${n}`);
      }
    }
  }
  if ("quarterlyTypeChoice" in body) {
    const q = body.quarterlyTypeChoice;
    if (!isObject(q)) errors.add("RULE_INCORRECT_OR_EMPTY_BODY_SUBMITTED", "/quarterlyTypeChoice");
    else {
      for (const key of Object.keys(q)) if (key !== "quarterlyPeriodType" && key !== "taxYearOfChoice") errors.add("RULE_INCORRECT_OR_EMPTY_BODY_SUBMITTED", `/quarterlyTypeChoice/${key}`);
      if (q.quarterlyPeriodType !== "standard" && q.quarterlyPeriodType !== "calendar") errors.add("RULE_INCORRECT_OR_EMPTY_BODY_SUBMITTED", "/quarterlyTypeChoice/quarterlyPeriodType");
      if (typeof q.taxYearOfChoice !== "string") errors.add("RULE_INCORRECT_OR_EMPTY_BODY_SUBMITTED", "/quarterlyTypeChoice/taxYearOfChoice");
      else checkTaxYear(errors, q.taxYearOfChoice, "/quarterlyTypeChoice/taxYearOfChoice");
    }
  }
  return errors.items;
}

/** Rules between fields, once every field is well formed. */
function ruleErrors(body: Json, today: string): HmrcErrorItem[] {
  const errors = new Errors();
  const start = body.firstAccountingPeriodStartDate as string | undefined;
  const end = body.firstAccountingPeriodEndDate as string | undefined;
  if (start !== undefined && end === undefined) errors.add("MISSING_FIRST_ACCOUNTING_PERIOD_END_DATE");
  if (start === undefined && end !== undefined) errors.add("MISSING_FIRST_ACCOUNTING_PERIOD_START_DATE");
  if (start !== undefined && end !== undefined) {
    const y = Number(start.slice(0, 4));
    if (start.slice(4) !== "-04-06" || end !== `${y + 1}-04-05`) errors.add("RULE_FIRST_ACCOUNTING_DATE_RANGE_INVALID");
  }
  if (typeof body.commencementDate === "string" && body.commencementDate >= today) errors.add("RULE_COMMENCEMENT_DATE_NOT_SUPPORTED", "/commencementDate");
  const hasAddress = ADDRESS_FIELDS.some((f) => f in body);
  if (body.typeOfBusiness === "self-employment") {
    if (body.tradingName === undefined) errors.add("RULE_MISSING_TRADING_NAME");
    if (body.businessAddressLineOne === undefined || body.businessAddressCountryCode === undefined) errors.add("RULE_MISSING_BUSINESS_ADDRESS");
    if (body.businessAddressCountryCode === "GB" && body.businessAddressPostcode === undefined) errors.add("MISSING_POSTCODE");
  } else {
    if (body.tradingName !== undefined) errors.add("RULE_UNEXPECTED_TRADING_NAME");
    if (hasAddress) errors.add("RULE_UNEXPECTED_BUSINESS_ADDRESS");
  }
  return errors.items;
}

export function validateCreateBusiness(body: unknown, today: string): HmrcErrorItem[] {
  const formats = formatErrors(body);
  return formats.length > 0 ? formats : ruleErrors(body as Json, today);
}

function toBusiness(body: Json): Omit<Business, "businessId"> {
  const str = (k: string) => (typeof body[k] === "string" ? { [k]: body[k] as string } : {});
  const q = body.quarterlyTypeChoice as { quarterlyPeriodType: QuarterBasis; taxYearOfChoice: string } | undefined;
  return {
    typeOfBusiness: body.typeOfBusiness as TypeOfBusiness,
    ...str("tradingName"),
    ...str("firstAccountingPeriodStartDate"),
    ...str("firstAccountingPeriodEndDate"),
    ...(isObject(body.latencyDetails) ? { latencyDetails: { ...(body.latencyDetails as unknown as LatencyDetails) } } : {}),
    ...(q ? { quarterlyTypeChoice: { quarterlyPeriodType: q.quarterlyPeriodType, taxYearOfChoice: q.taxYearOfChoice } } : {}),
    ...(typeof body.accountingType === "string" ? { accountingType: body.accountingType as "CASH" | "ACCRUALS" } : {}),
    ...str("commencementDate"),
    ...str("cessationDate"),
    ...Object.assign({}, ...ADDRESS_FIELDS.map(str)),
  };
}

export function testSupportRoutes(app: FastifyInstance, deps: HmrcRouteDeps): void {
  registerHmrcRoute(app, deps, {
    endpoint: TEST_SUPPORT_CREATE,
    scenarios: false,
    validate: (ctx) => validateCreateBusiness(ctx.body, todayIso(ctx.now)),
    handle: (ctx) => {
      const body = ctx.body as Json;
      const type = body.typeOfBusiness as TypeOfBusiness;
      const existing = ctx.state.taxpayer(ctx.nino).businesses;
      if ((type === "uk-property" || type === "foreign-property") && existing.some((b) => b.typeOfBusiness === type)) {
        return singleError(ID, "RULE_PROPERTY_BUSINESS_ADDED");
      }
      try {
        const business = ctx.state.addBusiness(ctx.nino, toBusiness(body));
        return { status: 201, body: { businessId: business.businessId } };
      } catch (e) {
        // The sandbox's own limit (HMRC has none documented), reported in HMRC's error shape.
        if (e instanceof RangeError) {
          return { status: 400, body: { code: "RULE_TOO_MANY_BUSINESSES", message: `This sandbox holds at most ${MAX_BUSINESSES_PER_TAXPAYER} businesses per NINO` } };
        }
        throw e;
      }
    },
  });

  registerHmrcRoute(app, deps, {
    endpoint: TEST_SUPPORT_DELETE,
    scenarios: false,
    handle: (ctx) =>
      ctx.state.deleteBusiness(ctx.nino, ctx.params.businessId!) ? { status: 204 } : singleError(TEST_SUPPORT_DELETE.id, "MATCHING_RESOURCE_NOT_FOUND"),
  });

  testSupportStateRoutes(app, deps);
}
