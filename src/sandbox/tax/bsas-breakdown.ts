/**
 * BSAS 7.0 retrieve's per-field breakdown (`income{}`, `expenses{}`, `additions{}`, `deductions{}`,
 * `accountingAdjustments{}`, SE's `outstandingBusinessIncome`), in integer pence, from the snapshot's cumulative and
 * annual submissions and then, for `adjustedSummaryCalculation`, the adjustments (deltas on the same field names).
 * Field names are HMRC's retrieve schema's (self-employment def3/def4, UK property def2/def3, foreign property
 * def2/def3); where a submission names a field differently the mapping says so. The totals stay those of
 * business-figures.ts (which BISS and the calculation share); the breakdown shows where they come from.
 * Not broken down: UK rent-a-room `amountClaimed` (in totalExpenses). Foreign country / property detail is this
 * breakdown of each part of the summary (foreign-detail.ts).
 */
import { addPence, poundsToPence, type Pence } from "../../mtd";
import { isObject } from "../figures";
import type { AnnualSubmission, BsasTypeOfBusiness, CumulativeSubmission, SubmittedJson } from "../state";

export type BreakdownSection = "income" | "expenses" | "additions" | "deductions" | "accountingAdjustments" | "top";
/** Section → HMRC field → pence. `top` holds fields HMRC puts beside the totals (SE outstandingBusinessIncome). */
export type Breakdown = Partial<Record<BreakdownSection, Record<string, Pence>>>;

interface Rule {
  /** Path to an object inside the business part (SE: the body; property: ukProperty or a foreignProperty entry). */
  readonly from: readonly string[];
  readonly to: BreakdownSection;
  /** Submission name → retrieve name; with `only`, fields not listed are skipped. */
  readonly rename?: Readonly<Record<string, string>>;
  readonly only?: readonly string[];
}

const SBA = ["structuredBuildingAllowance", "enhancedStructuredBuildingAllowance"];
const ALLOWANCE_RENAMES = { zeroEmissionsGoodsVehicleAllowance: "zeroEmissionGoods", propertyIncomeAllowance: "propertyAllowance", tradingIncomeAllowance: "tradingAllowance" };

const SE_CUMULATIVE: readonly Rule[] = [
  { from: ["periodIncome"], to: "income", only: ["turnover", "other"] },
  { from: ["periodExpenses"], to: "expenses" },
  { from: ["periodDisallowableExpenses"], to: "additions" },
];
const SE_ANNUAL: readonly Rule[] = [
  { from: ["adjustments"], to: "additions", only: ["balancingChargeOther", "balancingChargeBpra", "goodsAndServicesOwnUse"] },
  { from: ["adjustments"], to: "deductions", only: ["includedNonTaxableProfits"] },
  { from: ["adjustments"], to: "accountingAdjustments", only: ["basisAdjustment", "overlapReliefUsed", "accountingAdjustment", "averagingAdjustment"] },
  { from: ["adjustments"], to: "top", only: ["outstandingBusinessIncome"] },
  {
    from: ["allowances"],
    to: "deductions",
    rename: ALLOWANCE_RENAMES,
    only: [
      "tradingIncomeAllowance",
      "annualInvestmentAllowance",
      "capitalAllowanceMainPool",
      "capitalAllowanceSpecialRatePool",
      "zeroEmissionsGoodsVehicleAllowance",
      "businessPremisesRenovationAllowance",
      "enhancedCapitalAllowance",
      "allowanceOnSales",
      "capitalAllowanceSingleAssetPool",
      "zeroEmissionsCarAllowance",
      "firstYearAllowanceOnPlantAndMachinery",
      ...SBA,
    ],
  },
];

const PROPERTY_EXPENSES = ["premisesRunningCosts", "repairsAndMaintenance", "financialCosts", "professionalFees", "costOfServices", "other", "travelCosts", "consolidatedExpenses", "residentialFinancialCost", "broughtFwdResidentialFinancialCost"];

const UK_CUMULATIVE: readonly Rule[] = [
  { from: ["income"], to: "income", rename: { periodAmount: "totalRentsReceived", otherIncome: "otherPropertyIncome" }, only: ["periodAmount", "premiumsOfLeaseGrant", "reversePremiums", "otherIncome"] },
  { from: ["income", "rentARoom"], to: "income", rename: { rentsReceived: "rarRentReceived" }, only: ["rentsReceived"] },
  { from: ["expenses"], to: "expenses", rename: { residentialFinancialCostsCarriedForward: "broughtFwdResidentialFinancialCost" }, only: [...PROPERTY_EXPENSES, "residentialFinancialCostsCarriedForward"] },
];
const UK_ANNUAL: readonly Rule[] = [
  { from: ["adjustments"], to: "additions", rename: { businessPremisesRenovationAllowanceBalancingCharges: "bpraBalancingCharge" }, only: ["privateUseAdjustment", "balancingCharge", "businessPremisesRenovationAllowanceBalancingCharges"] },
  {
    from: ["allowances"],
    to: "deductions",
    rename: ALLOWANCE_RENAMES,
    only: ["annualInvestmentAllowance", "businessPremisesRenovationAllowance", "otherCapitalAllowance", "costOfReplacingDomesticItems", "zeroEmissionsCarAllowance", "zeroEmissionsGoodsVehicleAllowance", "propertyIncomeAllowance", "firstYearAllowanceOnPlantAndMachinery", ...SBA],
  },
];

const FOREIGN_CUMULATIVE: readonly Rule[] = [
  { from: ["income", "rentIncome"], to: "income", rename: { rentAmount: "totalRentsReceived" }, only: ["rentAmount"] },
  { from: ["income"], to: "income", only: ["premiumsOfLeaseGrant", "otherPropertyIncome"] },
  { from: ["expenses"], to: "expenses", rename: { consolidatedExpense: "consolidatedExpenses" }, only: [...PROPERTY_EXPENSES, "consolidatedExpense"] },
];
const FOREIGN_ANNUAL: readonly Rule[] = [
  { from: ["adjustments"], to: "additions", only: ["privateUseAdjustment", "balancingCharge"] },
  {
    from: ["allowances"],
    to: "deductions",
    rename: ALLOWANCE_RENAMES,
    only: ["annualInvestmentAllowance", "costOfReplacingDomesticItems", "zeroEmissionsGoodsVehicleAllowance", "otherCapitalAllowance", "zeroEmissionsCarAllowance", "propertyIncomeAllowance", "structuredBuildingAllowance"],
  },
];

/** Adjustments use the retrieve's own names: income, expenses (and SE additions) as they are. */
const ADJUSTMENTS: readonly Rule[] = [
  { from: ["income"], to: "income" },
  { from: ["expenses"], to: "expenses" },
  { from: ["additions"], to: "additions" },
];

function at(part: Record<string, unknown>, path: readonly string[]): Record<string, unknown> | undefined {
  let v: unknown = part;
  for (const k of path) v = isObject(v) ? v[k] : undefined;
  return isObject(v) ? v : undefined;
}

/** A field's pence: a number, or the summed `amount`s of a structure and buildings allowance list. */
function amountOf(v: unknown): Pence | undefined {
  if (typeof v === "number") return poundsToPence(v);
  if (!Array.isArray(v)) return undefined;
  const amounts = v.filter(isObject).map((e) => e.amount).filter((a): a is number => typeof a === "number");
  return amounts.length > 0 ? amounts.reduce<Pence>((t, a) => addPence(t, poundsToPence(a)), 0 as Pence) : undefined;
}

function apply(into: Breakdown, parts: readonly Record<string, unknown>[], rules: readonly Rule[]): void {
  for (const part of parts) {
    for (const rule of rules) {
      const source = at(part, rule.from);
      if (!source) continue;
      for (const [k, v] of Object.entries(source)) {
        if (rule.only && !rule.only.includes(k)) continue;
        const pence = amountOf(v);
        if (pence === undefined) continue;
        const section = (into[rule.to] ??= {});
        const name = rule.rename?.[k] ?? k;
        section[name] = addPence(section[name] ?? (0 as Pence), pence);
      }
    }
  }
}

/** The business objects of a body: SE's root, ukProperty, or each foreignProperty entry (list or adjustment details). */
function parts(type: BsasTypeOfBusiness, body: SubmittedJson): Record<string, unknown>[] {
  if (type === "self-employment") return [body as Record<string, unknown>];
  if (type === "uk-property") return isObject(body.ukProperty) ? [body.ukProperty] : [];
  const fp = body.foreignProperty;
  if (Array.isArray(fp)) return fp.filter(isObject);
  if (!isObject(fp)) return [];
  return [...(Array.isArray(fp.propertyLevelDetail) ? fp.propertyLevelDetail : []), ...(Array.isArray(fp.countryLevelDetail) ? fp.countryLevelDetail : [])].filter(isObject);
}

const CUMULATIVE_RULES: Readonly<Record<BsasTypeOfBusiness, readonly Rule[]>> = { "self-employment": SE_CUMULATIVE, "uk-property": UK_CUMULATIVE, "foreign-property": FOREIGN_CUMULATIVE };
const ANNUAL_RULES: Readonly<Record<BsasTypeOfBusiness, readonly Rule[]>> = { "self-employment": SE_ANNUAL, "uk-property": UK_ANNUAL, "foreign-property": FOREIGN_ANNUAL };

/** The breakdown of what was submitted. */
export function submittedBreakdown(type: BsasTypeOfBusiness, cumulative?: CumulativeSubmission, annual?: AnnualSubmission): Breakdown {
  const out: Breakdown = {};
  if (cumulative) apply(out, parts(type, cumulative.body), CUMULATIVE_RULES[type]);
  if (annual) apply(out, parts(type, annual.body), ANNUAL_RULES[type]);
  return out;
}

/** The breakdown after a BSAS's adjustments (deltas per field; `zeroAdjustments` changes nothing). */
export function adjustedBreakdown(base: Breakdown, type: BsasTypeOfBusiness, adjustments: SubmittedJson): Breakdown {
  const out: Breakdown = Object.fromEntries(Object.entries(base).map(([s, fields]) => [s, { ...fields }]));
  apply(out, parts(type, adjustments), ADJUSTMENTS);
  return out;
}
