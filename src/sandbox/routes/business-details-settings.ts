/**
 * Business Details 2.0's per-year settings of a business: the quarterly period type (standard or calendar
 * quarters), the accounting type (cash or accruals) and the periods of account. Bodies are checked against HMRC's
 * request schemas; the business rules follow HMRC's business-details-api service error mapping
 * (CreateAmendQuarterlyPeriodTypeService: WRONG_TAX_YEAR_PROVIDED → RULE_REQUEST_CANNOT_BE_FULFILLED,
 * INVALID_REQUEST_SUBMISSION and ANNUAL_INCOME_SOURCE → RULE_BUSINESS_ID_STATE_CONFLICT, INCOME_SOURCE_NOT_FOUND →
 * RULE_BUSINESS_ID_NOT_FOUND, QUARTER_REPORTING_UPDATING_ERROR → RULE_QUARTERLY_PERIOD_UPDATING).
 */
import type { FastifyInstance } from "fastify";
import { taxYearEnd, taxYearOf, taxYearStart, todayIso, type HmrcErrorItem, type IsoDate, type QuarterBasis, type TaxYear } from "../../mtd";
import { errorItem, errorResponse, singleError } from "../errors";
import { ENDPOINT_DOCS } from "../generated/hmrc-docs";
import { catalogueEndpoint, registerHmrcRoute, type HmrcContext, type HmrcRouteDeps } from "../hmrc-route";
import { chooseQuarterBasis, quarterBasisOf, reportsAnnually, type AccountingType, type Business } from "../state";
import { validateRequestBody } from "../validation/request-body";

const QUARTERLY = "business-details.quarterly-period-type";
const ACCOUNTING_RETRIEVE = "business-details.accounting-type.retrieve";
const ACCOUNTING_UPDATE = "business-details.accounting-type.update";
const PERIODS_RETRIEVE = "business-details.periods-of-account.retrieve";
const PERIODS_UPDATE = "business-details.periods-of-account.update";

/** HMRC's API-wide wording for RULE_REQUEST_CANNOT_BE_FULFILLED (the endpoint documents only the income-source one). */
const CANNOT_BE_FULFILLED = "Custom (will vary in production depending on the actual error)";

type Json = Record<string, unknown>;

/** Enum failures of these bodies are JSON read failures at HMRC: RULE_INCORRECT_OR_EMPTY_BODY_SUBMITTED. */
const ENUM_AS_BODY_ERROR = { quarterlyPeriodType: "RULE_INCORRECT_OR_EMPTY_BODY_SUBMITTED", accountingType: "RULE_INCORRECT_OR_EMPTY_BODY_SUBMITTED" };

/**
 * 1–5 April at the end of the tax year (in it on standard quarters, the next year's first days on calendar ones):
 * HMRC refuses a change while both the commencement date and today fall there, today the later.
 */
function quarterlyPeriodUpdating(b: Business, ty: TaxYear, today: string): boolean {
  const year = taxYearEnd(ty).slice(0, 4);
  const inWindow = (d: string) => d >= `${year}-04-01` && d <= `${year}-04-05`;
  const c = b.commencementDate;
  return c !== undefined && inWindow(c) && inWindow(today) && today > c;
}

function setQuarterlyPeriodType(ctx: HmrcContext) {
  const ty = ctx.params.taxYear as TaxYear;
  const business = ctx.state.business(ctx.nino, ctx.params.businessId!);
  if (!business) return singleError(QUARTERLY, "RULE_BUSINESS_ID_NOT_FOUND");
  if (business.typeOfBusiness === "property-unspecified") return singleError(QUARTERLY, "RULE_REQUEST_CANNOT_BE_FULFILLED");
  const today = todayIso(ctx.now);
  if (ty !== taxYearOf(today)) return errorResponse(QUARTERLY, [{ code: "RULE_REQUEST_CANNOT_BE_FULFILLED", message: CANNOT_BE_FULFILLED }]);
  if (reportsAnnually(ctx.state, ctx.nino, business, ty)) return singleError(QUARTERLY, "RULE_BUSINESS_ID_STATE_CONFLICT");
  if (quarterlyPeriodUpdating(business, ty, today)) return singleError(QUARTERLY, "RULE_QUARTERLY_PERIOD_UPDATING");
  const chosen = (ctx.body as Json).quarterlyPeriodType as QuarterBasis;
  // The basis cannot change once the year has a cumulative update (HMRC: "after a submission is made for that year").
  if (ctx.state.cumulative(ctx.nino, business.businessId, ty) && chosen !== quarterBasisOf(business, ty)) {
    return singleError(QUARTERLY, "RULE_BUSINESS_ID_STATE_CONFLICT");
  }
  chooseQuarterBasis(business, ty, chosen);
  return { status: 204 };
}

/** The year's accounting type: as updated for the year, else the business's own (Test Support's `ACCRUALS`), else cash. */
function accountingTypeOf(ctx: HmrcContext, b: Business): AccountingType {
  const set = ctx.state.taxpayer(ctx.nino).accountingTypes.get(`${b.businessId}/${ctx.params.taxYear}`);
  return set ?? (b.accountingType === "ACCRUALS" ? "ACCRUAL" : "CASH");
}

interface Period {
  startDate: string;
  endDate: string;
}

/** Periods of account rules, once the body's fields are valid, every broken one reported. */
export function periodsOfAccountRules(body: Json, taxYear: string | undefined): HmrcErrorItem[] {
  const id = PERIODS_UPDATE;
  const periods = (body.periodsOfAccountDates as Period[] | undefined) ?? [];
  if ((body.periodsOfAccount === true) !== periods.length > 0) return [errorItem(id, "RULE_PERIODS_OF_ACCOUNT")];
  if (!taxYear) return [];
  const start = taxYearStart(taxYear as TaxYear);
  const end = taxYearEnd(taxYear as TaxYear);
  const byCode = new Map<string, string[]>();
  const add = (code: string, path: string) => byCode.set(code, [...(byCode.get(code) ?? []), path]);
  periods.forEach((p, i) => {
    const at = `/periodsOfAccountDates/${i}`;
    if (p.endDate < p.startDate) add("RULE_END_DATE_BEFORE_START_DATE", at);
    if (p.startDate > end) add("RULE_START_DATE", `${at}/startDate`);
    if (p.endDate < start || p.endDate > end) add("RULE_END_DATE", `${at}/endDate`);
  });
  const sorted = periods.map((p, i) => ({ ...p, i })).sort((a, b) => (a.startDate < b.startDate ? -1 : 1));
  for (let k = 1; k < sorted.length; k++) {
    if (sorted[k]!.startDate <= sorted[k - 1]!.endDate) add("RULE_PERIODS_OVERLAP", `/periodsOfAccountDates/${sorted[k]!.i}`);
  }
  return [...byCode].map(([code, paths]) => errorItem(id, code, paths));
}

/** Periods of account are for self-employment businesses only: HMRC answers 404 for any other id. */
function selfEmployment(ctx: HmrcContext): Business | undefined {
  const b = ctx.state.business(ctx.nino, ctx.params.businessId!);
  return b?.typeOfBusiness === "self-employment" ? b : undefined;
}

export function businessDetailsSettingsRoutes(app: FastifyInstance, deps: HmrcRouteDeps): void {
  registerHmrcRoute(app, deps, {
    endpoint: catalogueEndpoint(QUARTERLY),
    validate: (ctx) => validateRequestBody(QUARTERLY, ctx.params.taxYear, ctx.body, { codes: ENUM_AS_BODY_ERROR }),
    handle: (ctx) => setQuarterlyPeriodType(ctx),
  });

  registerHmrcRoute(app, deps, {
    endpoint: catalogueEndpoint(ACCOUNTING_RETRIEVE),
    handle: (ctx) => {
      const business = ctx.state.business(ctx.nino, ctx.params.businessId!);
      if (!business) return singleError(ACCOUNTING_RETRIEVE, "MATCHING_RESOURCE_NOT_FOUND");
      return { status: 200, body: { accountingType: accountingTypeOf(ctx, business) } };
    },
  });

  registerHmrcRoute(app, deps, {
    endpoint: catalogueEndpoint(ACCOUNTING_UPDATE),
    lock: {},
    validate: (ctx) => validateRequestBody(ACCOUNTING_UPDATE, ctx.params.taxYear, ctx.body, { codes: ENUM_AS_BODY_ERROR }),
    handle: (ctx) => {
      const business = ctx.state.business(ctx.nino, ctx.params.businessId!);
      if (!business) return singleError(ACCOUNTING_UPDATE, "MATCHING_RESOURCE_NOT_FOUND");
      ctx.state.taxpayer(ctx.nino).accountingTypes.set(`${business.businessId}/${ctx.params.taxYear}`, (ctx.body as Json).accountingType as AccountingType);
      return { status: 204 };
    },
  });

  registerHmrcRoute(app, deps, {
    endpoint: catalogueEndpoint(PERIODS_RETRIEVE),
    handle: (ctx, variant) => {
      if (variant === "NO_PERIODS_OF_ACCOUNT") return { status: 200, body: ENDPOINT_DOCS[PERIODS_RETRIEVE]!.examples["Example response when periodsOfAccount is false"] };
      const business = selfEmployment(ctx);
      const stored = business && ctx.state.taxpayer(ctx.nino).periodsOfAccount.get(`${business.businessId}/${ctx.params.taxYear}`);
      if (!stored) return singleError(PERIODS_RETRIEVE, "MATCHING_RESOURCE_NOT_FOUND");
      return { status: 200, body: { submittedOn: stored.submittedOn, ...stored.body } };
    },
  });

  registerHmrcRoute(app, deps, {
    endpoint: catalogueEndpoint(PERIODS_UPDATE),
    lock: {},
    validate: (ctx) =>
      validateRequestBody(PERIODS_UPDATE, ctx.params.taxYear, ctx.body, { codes: { startDate: "FORMAT_START_DATE", endDate: "FORMAT_END_DATE" }, rules: periodsOfAccountRules }),
    handle: (ctx) => {
      const business = selfEmployment(ctx);
      if (!business) return singleError(PERIODS_UPDATE, "MATCHING_RESOURCE_NOT_FOUND");
      const body = ctx.body as Json;
      const periods = (body.periodsOfAccountDates as Period[] | undefined) ?? [];
      const ceased = business.cessationDate as IsoDate | undefined;
      if (ceased && periods.some((p) => p.endDate > ceased)) return singleError(PERIODS_UPDATE, "RULE_CESSATION_DATE");
      ctx.state.taxpayer(ctx.nino).periodsOfAccount.set(`${business.businessId}/${ctx.params.taxYear}`, { submittedOn: ctx.now.toISOString(), body: structuredClone(body) });
      return { status: 204 };
    },
  });
}
