/**
 * BISS 3.0: the year-to-date income summary of one business (self-employment, UK or foreign property), computed
 * in integer pence from the stored cumulative submission and, when there is one, the annual submission
 * (src/sandbox/figures.ts states which fields count where):
 *   total.income, total.expenses                 from the cumulative submission;
 *   total.additions   = SE disallowable expenses + the annual submission's additions (only when not zero);
 *   total.deductions  = the annual submission's allowances and deductions (only when not zero);
 *   total.accountingAdjustments = SE's accountingAdjustment (only when not zero);
 *   profit.net = max(0, income − expenses), loss.net = max(0, expenses − income);
 *   profit.taxable / loss.taxable = the same with additions, deductions and accounting adjustments applied;
 *   2025-26 on: profit.adjusted = max(0, income − expenses + SE disallowable expenses − SE includedNonTaxableProfits)
 *   (HMRC: "profit including disallowable expenses and deducting non-taxable income, before claiming capital
 *   allowances or making any further tax adjustments"), and outstandingBusinessIncome (SE annual adjustments) when
 *   submitted.
 */
import type { FastifyInstance } from "fastify";
import { addPence, compareTaxYears, penceToPounds, subtractPence, ZERO, type BissResponse, type HmrcErrorItem, type Pence, type TaxYear, type UkPropertyCumulativeBody } from "../../mtd";
import { errorItem, singleError } from "../errors";
import { annualTotals, cumulativeTotals, selfEmploymentAdjustment, taxableResult, type SubmissionBusinessType } from "../figures";
import { catalogueEndpoint, registerHmrcRoute, type HmrcRouteDeps } from "../hmrc-route";
import type { SubmittedJson } from "../state";

const ID = "biss.retrieve";
const FHL_TYPES = ["uk-property-fhl", "foreign-property-fhl-eea"];
/** FHL was abolished from 2025-26: HMRC then treats those types as a bad format. */
const NO_FHL_FROM = "2025-26" as TaxYear;
/** `profit.adjusted` and top-level `outstandingBusinessIncome` are returned from 2025-26. */
const ADJUSTED_PROFIT_FROM = "2025-26" as TaxYear;
const TYPES: readonly string[] = ["self-employment", "uk-property", "foreign-property"];

const positive = (p: Pence): number => penceToPounds(p > 0 ? p : ZERO);
const negativeAsPositive = (p: Pence): number => penceToPounds(p < 0 ? subtractPence(ZERO, p) : ZERO);

/** BISS for a business type and tax year from its stored cumulative body and optional annual body. */
export function bissOf(type: SubmissionBusinessType, taxYear: string, cumulative: SubmittedJson, annual?: SubmittedJson): BissResponse {
  const c = cumulativeTotals(type, cumulative);
  const a = annual ? annualTotals(type, annual) : { additions: ZERO, deductions: ZERO, accountingAdjustments: ZERO };
  const net = subtractPence(c.income, c.expenses);
  const taxable = taxableResult(c, a);
  const additions = (c.disallowable + a.additions) as Pence;
  const from2025 = compareTaxYears(taxYear as TaxYear, ADJUSTED_PROFIT_FROM) >= 0;
  const nonTaxable = annual ? selfEmploymentAdjustment(type, annual, "includedNonTaxableProfits") : ZERO;
  const outstanding = annual ? selfEmploymentAdjustment(type, annual, "outstandingBusinessIncome") : ZERO;
  const adjusted = subtractPence(addPence(net, c.disallowable), nonTaxable);
  return {
    total: {
      income: penceToPounds(c.income),
      expenses: penceToPounds(c.expenses),
      ...(additions !== 0 ? { additions: penceToPounds(additions) } : {}),
      ...(a.deductions !== 0 ? { deductions: penceToPounds(a.deductions) } : {}),
      ...(a.accountingAdjustments !== 0 ? { accountingAdjustments: penceToPounds(a.accountingAdjustments) } : {}),
    },
    profit: { net: positive(net), taxable: positive(taxable), ...(from2025 ? { adjusted: positive(adjusted) } : {}) },
    loss: { net: negativeAsPositive(net), taxable: negativeAsPositive(taxable) },
    ...(from2025 && outstanding !== 0 ? { outstandingBusinessIncome: penceToPounds(outstanding) } : {}),
  };
}

/** UK property BISS from a cumulative body alone (kept for callers holding a typed body). */
export function ukPropertyBiss(body: UkPropertyCumulativeBody, taxYear: string): BissResponse {
  return bissOf("uk-property", taxYear, body as unknown as SubmittedJson);
}

function validateTypeForYear(typeOfBusiness: string, taxYear: string): HmrcErrorItem[] {
  const fhlAbolished = compareTaxYears(taxYear as TaxYear, NO_FHL_FROM) >= 0;
  return FHL_TYPES.includes(typeOfBusiness) && fhlAbolished ? [errorItem(ID, "FORMAT_TYPE_OF_BUSINESS")] : [];
}

export function bissRoutes(app: FastifyInstance, deps: HmrcRouteDeps): void {
  registerHmrcRoute(app, deps, {
    endpoint: catalogueEndpoint(ID),
    validate: (ctx) => validateTypeForYear(ctx.params.typeOfBusiness!, ctx.params.taxYear!),
    handle: (ctx) => {
      const { typeOfBusiness, taxYear, businessId } = ctx.params as Record<string, string>;
      const business = ctx.state.business(ctx.nino, businessId!);
      if (!business || business.typeOfBusiness !== typeOfBusiness) return singleError(ID, "MATCHING_RESOURCE_NOT_FOUND");
      const submission = TYPES.includes(typeOfBusiness!) ? ctx.state.cumulative(ctx.nino, businessId!, taxYear!) : undefined;
      if (!submission) return singleError(ID, "RULE_NO_INCOME_SUBMISSIONS_EXIST");
      const annual = ctx.state.annual(ctx.nino, businessId!, taxYear!);
      return { status: 200, body: bissOf(typeOfBusiness as SubmissionBusinessType, taxYear!, submission.body, annual?.body) };
    },
  });
}
