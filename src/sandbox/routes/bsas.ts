/**
 * BSAS 7.0 (Business Source Adjustable Summary): trigger, list, and retrieve / adjust for self-employment, UK
 * property and foreign property. A summary is a snapshot of the business's cumulative and annual submissions when
 * triggered; its totals come from src/sandbox/tax/business-figures.ts and the per-field breakdown
 * (income{}, expenses{}, additions{}, deductions{}, accountingAdjustments{}) from tax/bsas-breakdown.ts; foreign
 * property's countryLevelDetail[] / propertyLevelDetail[] are the same computed per country / property (tax/foreign-detail.ts). Adjustments are deltas, accepted once per summary, and feed the tax calculation.
 * Rules, in order (see README): trigger — body schema, end before start, FHL types from 2025-26, period before
 * HMRC's first year (RULE_ACCOUNTING_PERIOD_NOT_SUPPORTED), not 6 April–5 April (RULE_ACCOUNTING_PERIOD_NOT_ALIGNED);
 * then business not this NINO's of that type → 404, period not ended, quarterly obligations not all fulfilled
 * (RULE_OBLIGATIONS_NOT_MET). Adjust — body schema, zeroAdjustments exclusivity, consolidated vs itemised expenses;
 * then unknown summary → 404, other type → RULE_TYPE_OF_BUSINESS_INCORRECT, an older summary →
 * RULE_SUMMARY_STATUS_SUPERSEDED, submissions changed since the trigger → RULE_SUMMARY_STATUS_INVALID, adjusted already → RULE_ALREADY_ADJUSTED, a foreign propertyId the summary does
 * not hold → RULE_PROPERTY_ID_MISMATCH, a total going negative → RULE_RESULTING_VALUE_NOT_PERMITTED.
 */
import { randomUUID } from "node:crypto";
import type { FastifyInstance } from "fastify";
import {
  compareTaxYears,
  isBusinessId,
  penceToPounds,
  quartersOf,
  taxYearEnd,
  taxYearOf,
  taxYearStart,
  todayIso,
  type HmrcErrorItem,
  type Pence,
  type TaxYear,
} from "../../mtd";
import { errorItem, singleError } from "../errors";
import { catalogueEndpoint, registerHmrcRoute, type HmrcContext, type HmrcRouteDeps } from "../hmrc-route";
import { pushBounded, quarterBasisOf, reportsAnnually, type BsasTypeOfBusiness, type StoredBsas, type SubmittedJson } from "../state";
import { adjustedBreakdown, bsasFigures, bsasStatus, foreignEntryKeys, foreignPart, integerPounds, submittedBreakdown, type Breakdown, type BreakdownSection, type BusinessFigures } from "../tax";
import { validateRequestBody } from "../validation/request-body";
import { cannedExample } from "./canned";

const TRIGGER = "bsas.trigger";
const LIST = "bsas.list";
const TYPES: readonly BsasTypeOfBusiness[] = ["self-employment", "uk-property", "foreign-property"];
const FHL_TYPES = ["uk-property-fhl", "foreign-property-fhl-eea"];
const NO_FHL_FROM = "2025-26" as TaxYear;
/** Foreign property is reported per property (propertyId) from 2026-27, per country before. */
const PROPERTY_LEVEL_FROM = "2026-27" as TaxYear;
/** HMRC's earliest accounting periods: 2019-20 for self-employment and UK property, 2021-22 for foreign property. */
const FIRST_YEAR: Readonly<Record<string, TaxYear>> = { "foreign-property": "2021-22" as TaxYear, "foreign-property-fhl-eea": "2021-22" as TaxYear };
const DEFAULT_FIRST_YEAR = "2019-20" as TaxYear;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

// ---- trigger -------------------------------------------------------------------------------------------------

interface TriggerBody {
  accountingPeriod: { startDate: string; endDate: string };
  typeOfBusiness: string;
  businessId: string;
}

function triggerRules(b: Json): HmrcErrorItem[] {
  const body = b as unknown as TriggerBody;
  const { startDate, endDate } = body.accountingPeriod;
  if (endDate < startDate) return [errorItem(TRIGGER, "RULE_END_DATE_BEFORE_START_DATE")];
  const ty = taxYearOf(endDate as never);
  if (FHL_TYPES.includes(body.typeOfBusiness) && compareTaxYears(ty, NO_FHL_FROM) >= 0) return [errorItem(TRIGGER, "FORMAT_TYPE_OF_BUSINESS")];
  if (compareTaxYears(ty, FIRST_YEAR[body.typeOfBusiness] ?? DEFAULT_FIRST_YEAR) < 0) return [errorItem(TRIGGER, "RULE_ACCOUNTING_PERIOD_NOT_SUPPORTED")];
  if (startDate !== taxYearStart(ty) || endDate !== taxYearEnd(ty)) return [errorItem(TRIGGER, "RULE_ACCOUNTING_PERIOD_NOT_ALIGNED")];
  return [];
}

const TRIGGER_CODES = { startDate: "FORMAT_START_DATE", endDate: "FORMAT_END_DATE", typeOfBusiness: "FORMAT_TYPE_OF_BUSINESS", businessId: "FORMAT_BUSINESS_ID" };

function trigger(ctx: HmrcContext) {
  const body = ctx.body as TriggerBody;
  const ty = taxYearOf(body.accountingPeriod.endDate as never);
  const business = ctx.state.business(ctx.nino, body.businessId);
  if (!business || business.typeOfBusiness !== body.typeOfBusiness) return singleError(TRIGGER, "MATCHING_RESOURCE_NOT_FOUND");
  if (todayIso(ctx.now) <= body.accountingPeriod.endDate) return singleError(TRIGGER, "RULE_ACCOUNTING_PERIOD_NOT_ENDED");
  const cumulative = ctx.state.cumulative(ctx.nino, business.businessId, ty);
  const annual = ctx.state.annual(ctx.nino, business.businessId, ty);
  // Quarterly obligations are fulfilled once a cumulative update reaches the last quarter's end.
  const lastQuarterEnd = quartersOf(ty, quarterBasisOf(business, ty))[3]!.end;
  const fulfilled = reportsAnnually(ctx.state, ctx.nino, business, ty) ? cumulative !== undefined || annual !== undefined : (cumulative?.history.some((h) => h.toDate >= lastQuarterEnd) ?? false);
  if (!fulfilled) return singleError(TRIGGER, "RULE_OBLIGATIONS_NOT_MET");

  const calculationId = randomUUID();
  pushBounded(ctx.state.yearEnd(ctx.nino).bsas, {
    calculationId,
    typeOfBusiness: business.typeOfBusiness as BsasTypeOfBusiness,
    businessId: business.businessId,
    taxYear: ty,
    accountingPeriod: { startDate: body.accountingPeriod.startDate, endDate: body.accountingPeriod.endDate },
    requestedDateTime: ctx.now.toISOString(),
    snapshot: { ...(cumulative ? { cumulative: structuredClone(cumulative) } : {}), ...(annual ? { annual: structuredClone(annual) } : {}) },
  });
  return { status: 200, body: { calculationId } };
}

// ---- list ----------------------------------------------------------------------------------------------------

const summaryStatus = (ctx: HmrcContext, b: StoredBsas) => bsasStatus(ctx.state, ctx.nino, b);

function validateListQuery(ctx: HmrcContext): HmrcErrorItem[] {
  const { typeOfBusiness, businessId } = ctx.query;
  const errors: HmrcErrorItem[] = [];
  const fhlAllowed = compareTaxYears(ctx.params.taxYear as TaxYear, NO_FHL_FROM) < 0;
  if (businessId !== undefined && !isBusinessId(businessId)) errors.push(errorItem(LIST, "FORMAT_BUSINESS_ID"));
  if (typeOfBusiness !== undefined && !(TYPES as readonly string[]).includes(typeOfBusiness) && !(fhlAllowed && FHL_TYPES.includes(typeOfBusiness))) {
    errors.push(errorItem(LIST, "FORMAT_TYPE_OF_BUSINESS"));
  }
  return errors;
}

function list(ctx: HmrcContext, variant: string | undefined) {
  if (variant) return { status: 200, body: cannedExample(LIST, [], ctx.params.taxYear) ?? {} };
  const { typeOfBusiness, businessId } = ctx.query;
  const all = ctx.state
    .yearEnd(ctx.nino)
    .bsas.filter((b) => b.taxYear === ctx.params.taxYear && (!typeOfBusiness || b.typeOfBusiness === typeOfBusiness) && (!businessId || b.businessId === businessId));
  if (all.length === 0) return singleError(LIST, "MATCHING_RESOURCE_NOT_FOUND");
  const byBusiness = new Map<string, StoredBsas[]>();
  for (const b of all) byBusiness.set(b.businessId, [...(byBusiness.get(b.businessId) ?? []), b]);
  return {
    status: 200,
    body: {
      businessSources: [...byBusiness.values()].map((summaries) => ({
        businessId: summaries[0]!.businessId,
        typeOfBusiness: summaries[0]!.typeOfBusiness,
        accountingPeriod: summaries[0]!.accountingPeriod,
        taxYear: summaries[0]!.taxYear,
        summaries: [...summaries].reverse().map((b) => ({
          calculationId: b.calculationId,
          requestedDateTime: b.requestedDateTime,
          summaryStatus: summaryStatus(ctx, b),
          adjustedSummary: b.adjustments !== undefined,
          ...(b.adjustedDateTime ? { adjustedDateTime: b.adjustedDateTime } : {}),
        })),
      })),
    },
  };
}

// ---- retrieve ------------------------------------------------------------------------------------------------

const money = (p: Pence): number => penceToPounds(p);

/** A breakdown section in pounds, left out when empty (HMRC's objects have no required fields). */
function section(b: Breakdown, name: BreakdownSection): Json {
  const fields = b[name];
  if (!fields || Object.keys(fields).length === 0) return {};
  return { [name]: Object.fromEntries(Object.entries(fields).map(([k, p]) => [k, money(p)])) };
}

function summaryCalculation(f: BusinessFigures, b: Breakdown, type: BsasTypeOfBusiness): Json {
  const outstanding = b.top?.outstandingBusinessIncome;
  return {
    totalIncome: money(f.income),
    ...section(b, "income"),
    totalExpenses: money(f.expenses),
    ...section(b, "expenses"),
    netProfit: money(Math.max(0, f.net) as Pence),
    netLoss: money(Math.max(0, -f.net) as Pence),
    totalAdditions: money(f.additions),
    ...(outstanding !== undefined ? { outstandingBusinessIncome: money(outstanding) } : {}),
    ...section(b, "additions"),
    totalDeductions: money(f.deductions),
    ...section(b, "deductions"),
    ...(type === "self-employment" ? { totalAccountingAdjustments: money(f.accountingAdjustments), ...section(b, "accountingAdjustments") } : {}),
    taxableProfit: integerPounds(f.result),
    adjustedIncomeTaxLoss: integerPounds(-f.result as Pence),
  };
}

/** The adjustments as the retrieve shows them: the body without its business wrapper. */
function adjustmentsShown(b: StoredBsas): Json | undefined {
  if (!b.adjustments) return undefined;
  if (b.typeOfBusiness === "self-employment") return structuredClone(b.adjustments) as Json;
  const inner = b.adjustments[b.typeOfBusiness === "uk-property" ? "ukProperty" : "foreignProperty"];
  return isObject(inner) ? structuredClone(inner) : undefined;
}

/** The adjustable and adjusted summary calculations of a summary (or of one country's or property's part of it). */
function summaries(b: StoredBsas): { adjustable: Json; adjusted: Json } {
  const { adjustable, adjusted } = bsasFigures(b);
  const breakdown = submittedBreakdown(b.typeOfBusiness, b.snapshot.cumulative, b.snapshot.annual);
  const adjustedFields = b.adjustments ? adjustedBreakdown(breakdown, b.typeOfBusiness, b.adjustments) : breakdown;
  return { adjustable: summaryCalculation(adjustable, breakdown, b.typeOfBusiness), adjusted: summaryCalculation(adjusted, adjustedFields, b.typeOfBusiness) };
}

/**
 * Foreign property's `countryLevelDetail[]` for both summaries: each country's (2025-26) or each property's
 * (2026-27 on, as `propertyLevelDetail[]` inside its country, by the property's details) share of the summary, from
 * the same figures and breakdown as the totals.
 */
function foreignDetail(ctx: HmrcContext, b: StoredBsas): { adjustable: Json; adjusted: Json } {
  const countryOf = (id: string) => ctx.state.foreignProperty(ctx.nino, id)?.countryCode;
  const propertyLevel = compareTaxYears(b.taxYear as TaxYear, PROPERTY_LEVEL_FROM) >= 0;
  const ids = foreignEntryKeys(b, propertyLevel ? "propertyId" : "countryCode");
  const byCountry = new Map<string, string[]>();
  for (const id of ids) {
    const country = propertyLevel ? countryOf(id) : id;
    if (country !== undefined) byCountry.set(country, [...(byCountry.get(country) ?? []), id]);
  }
  const adjustable: Json[] = [];
  const adjusted: Json[] = [];
  for (const [countryCode, keys] of byCountry) {
    const country = summaries(foreignPart(b, propertyLevel ? "propertyId" : "countryCode", keys));
    const properties = propertyLevel ? keys.map((propertyId) => ({ propertyId, ...summaries(foreignPart(b, "propertyId", [propertyId])) })) : [];
    adjustable.push({ countryCode, ...country.adjustable, ...(propertyLevel ? { propertyLevelDetail: properties.map((p) => ({ propertyId: p.propertyId, ...p.adjustable })) } : {}) });
    adjusted.push({ countryCode, ...country.adjusted, ...(propertyLevel ? { propertyLevelDetail: properties.map((p) => ({ propertyId: p.propertyId, ...p.adjusted })) } : {}) });
  }
  return adjustable.length === 0 ? { adjustable: {}, adjusted: {} } : { adjustable: { countryLevelDetail: adjustable }, adjusted: { countryLevelDetail: adjusted } };
}

function retrieveBody(ctx: HmrcContext, b: StoredBsas): Json {
  const calculated = summaries(b);
  const detail = b.typeOfBusiness === "foreign-property" ? foreignDetail(ctx, b) : { adjustable: {}, adjusted: {} };
  const business = ctx.state.business(ctx.nino, b.businessId);
  const c = b.snapshot.cumulative;
  const shown = adjustmentsShown(b);
  return {
    metadata: {
      calculationId: b.calculationId,
      requestedDateTime: b.requestedDateTime,
      ...(b.adjustedDateTime ? { adjustedDateTime: b.adjustedDateTime } : {}),
      nino: ctx.nino,
      taxYear: b.taxYear,
      summaryStatus: summaryStatus(ctx, b),
    },
    inputs: {
      businessId: b.businessId,
      ...(b.typeOfBusiness === "self-employment" ? { typeOfBusiness: b.typeOfBusiness } : {}),
      ...(business?.tradingName ? { businessName: business.tradingName } : {}),
      accountingPeriodStartDate: b.accountingPeriod.startDate,
      accountingPeriodEndDate: b.accountingPeriod.endDate,
      source: "MTD-SA",
      submissionPeriod: {
        submissionId: b.calculationId,
        startDate: c?.fromDate ?? b.accountingPeriod.startDate,
        endDate: c?.toDate ?? b.accountingPeriod.endDate,
        receivedDateTime: c?.submittedOn ?? b.snapshot.annual?.submittedOn ?? b.requestedDateTime,
      },
    },
    adjustableSummaryCalculation: { ...calculated.adjustable, ...detail.adjustable },
    ...(shown ? { adjustments: shown } : {}),
    adjustedSummaryCalculation: { ...calculated.adjusted, ...detail.adjusted },
  };
}

function findBsas(ctx: HmrcContext): StoredBsas | undefined {
  return ctx.state.yearEnd(ctx.nino).bsas.find((b) => b.calculationId === ctx.params.calculationId && b.taxYear === ctx.params.taxYear);
}

// ---- adjust --------------------------------------------------------------------------------------------------

/** zeroAdjustments: must be true, and alone (beside nothing in its object). */
function zeroAdjustmentRules(endpointId: string, part: unknown): HmrcErrorItem[] {
  if (!isObject(part) || part.zeroAdjustments === undefined) return [];
  if (part.zeroAdjustments !== true) return [errorItem(endpointId, "RULE_ZERO_ADJUSTMENTS_INVALID")];
  return Object.keys(part).length > 1 ? [errorItem(endpointId, "RULE_BOTH_ADJUSTMENTS_SUPPLIED")] : [];
}

const CONSOLIDATED_ALLOWED = new Set(["consolidatedExpenses", "residentialFinancialCost"]);

function bothExpenses(endpointId: string, expenses: unknown, path: string): HmrcErrorItem[] {
  if (!isObject(expenses) || expenses.consolidatedExpenses === undefined) return [];
  return Object.keys(expenses).some((k) => !CONSOLIDATED_ALLOWED.has(k)) ? [errorItem(endpointId, "RULE_BOTH_EXPENSES_SUPPLIED", [path])] : [];
}

function adjustRules(type: BsasTypeOfBusiness, endpointId: string, body: Json): HmrcErrorItem[] {
  if (type === "self-employment") return [...zeroAdjustmentRules(endpointId, body), ...bothExpenses(endpointId, body.expenses, "/expenses")];
  if (type === "uk-property") {
    const uk = body.ukProperty;
    return [...zeroAdjustmentRules(endpointId, uk), ...(isObject(uk) ? bothExpenses(endpointId, uk.expenses, "/ukProperty/expenses") : [])];
  }
  const fp = body.foreignProperty;
  const entries = isObject(fp) ? [...(Array.isArray(fp.countryLevelDetail) ? fp.countryLevelDetail : []), ...(Array.isArray(fp.propertyLevelDetail) ? fp.propertyLevelDetail : [])] : [];
  const key = isObject(fp) && Array.isArray(fp.propertyLevelDetail) ? "propertyLevelDetail" : "countryLevelDetail";
  return [...zeroAdjustmentRules(endpointId, fp), ...entries.flatMap((e, i) => (isObject(e) ? bothExpenses(endpointId, e.expenses, `/foreignProperty/${key}/${i}/expenses`) : []))];
}

/** 2026-27 on: every propertyId adjusted must be one the summary's submissions reported. */
function propertyIdsKnown(b: StoredBsas, body: Json): boolean {
  const fp = body.foreignProperty;
  const adjusted = isObject(fp) && Array.isArray(fp.propertyLevelDetail) ? fp.propertyLevelDetail.filter(isObject).map((e) => e.propertyId) : [];
  const submitted = b.snapshot.cumulative?.body.foreignProperty;
  const known = new Set(Array.isArray(submitted) ? submitted.filter(isObject).map((e) => e.propertyId) : []);
  return adjusted.every((id) => known.has(id));
}

function adjust(ctx: HmrcContext, type: BsasTypeOfBusiness, endpointId: string) {
  const b = findBsas(ctx);
  if (!b) return singleError(endpointId, "MATCHING_RESOURCE_NOT_FOUND");
  if (b.typeOfBusiness !== type) return singleError(endpointId, "RULE_TYPE_OF_BUSINESS_INCORRECT");
  const status = summaryStatus(ctx, b);
  if (status === "superseded") return singleError(endpointId, "RULE_SUMMARY_STATUS_SUPERSEDED");
  if (status === "invalid") return singleError(endpointId, "RULE_SUMMARY_STATUS_INVALID");
  if (b.adjustments) return singleError(endpointId, "RULE_ALREADY_ADJUSTED");
  if (type === "foreign-property" && !propertyIdsKnown(b, ctx.body as Json)) return singleError(endpointId, "RULE_PROPERTY_ID_MISMATCH");
  const candidate: StoredBsas = { ...b, adjustments: ctx.body as SubmittedJson };
  const { adjustable, adjusted } = bsasFigures(candidate);
  const negative = (before: Pence, after: Pence) => after < 0 && after < before;
  if (negative(adjustable.income, adjusted.income) || negative(adjustable.expenses, adjusted.expenses) || negative(adjustable.residentialFinanceCosts, adjusted.residentialFinanceCosts)) {
    return singleError(endpointId, "RULE_RESULTING_VALUE_NOT_PERMITTED");
  }
  b.adjustments = structuredClone(ctx.body as SubmittedJson);
  b.adjustedDateTime = ctx.now.toISOString();
  return { status: 200 };
}

export function bsasRoutes(app: FastifyInstance, deps: HmrcRouteDeps): void {
  registerHmrcRoute(app, deps, {
    endpoint: catalogueEndpoint(TRIGGER),
    lock: { taxYear: (ctx) => taxYearOf((ctx.body as { accountingPeriod: { endDate: string } }).accountingPeriod.endDate as never) },
    validate: (ctx) => validateRequestBody(TRIGGER, undefined, ctx.body, { codes: TRIGGER_CODES, rules: triggerRules }),
    handle: trigger,
  });
  registerHmrcRoute(app, deps, { endpoint: catalogueEndpoint(LIST), validate: validateListQuery, handle: list });

  for (const type of TYPES) {
    const retrieveId = `bsas.${type}.retrieve`;
    const adjustId = `bsas.${type}.adjust`;
    registerHmrcRoute(app, deps, {
      endpoint: catalogueEndpoint(retrieveId),
      handle: (ctx, variant) => {
        if (variant) return { status: 200, body: cannedExample(retrieveId, [], ctx.params.taxYear) ?? {} };
        const b = findBsas(ctx);
        if (!b) return singleError(retrieveId, "MATCHING_RESOURCE_NOT_FOUND");
        if (b.typeOfBusiness !== type) return singleError(retrieveId, "RULE_TYPE_OF_BUSINESS_INCORRECT");
        return { status: 200, body: retrieveBody(ctx, b) };
      },
    });
    registerHmrcRoute(app, deps, {
      endpoint: catalogueEndpoint(adjustId),
      lock: {},
      validate: (ctx) => validateRequestBody(adjustId, ctx.params.taxYear, ctx.body, { codes: { countryCode: "FORMAT_COUNTRY_CODE", propertyId: "FORMAT_PROPERTY_ID" }, rules: (body) => adjustRules(type, adjustId, body) }),
      handle: (ctx) => adjust(ctx, type, adjustId),
    });
  }
}
