/**
 * What stored submissions add up to, in integer pence, for each business type: the one place BISS (and BSAS,
 * calculations) turn HMRC's JSON into money. The rules, per business type (field names are HMRC's):
 *
 * Cumulative (year to date):
 *   - self-employment: income = periodIncome.turnover + periodIncome.other (taxTakenOffTradingIncome is tax, not
 *     income); expenses = every periodExpenses amount (consolidatedExpenses included); disallowable = every
 *     periodDisallowableExpenses amount (added back to profit).
 *   - uk-property: income = every ukProperty.income amount except taxDeducted; expenses = every ukProperty.expenses
 *     amount (consolidatedExpenses, rentARoom.amountClaimed included) except residentialFinancialCost and
 *     residentialFinancialCostsCarriedForward (finance costs give a basic-rate tax reduction instead).
 *   - foreign-property: over every foreignProperty entry, income = rentIncome.rentAmount + premiumsOfLeaseGrant +
 *     otherPropertyIncome (foreignTaxPaidOrDeducted and specialWithholdingTaxOrUkTaxPaid are tax); expenses =
 *     every expenses amount except residentialFinancialCost and broughtFwdResidentialFinancialCost.
 * Annual:
 *   - additions = the balancing charges, private-use and own-use adjustments and outstanding business income
 *     (`ADDITION_FIELDS`);
 *   - deductions = every allowance (capital allowances, structure and buildings allowance `amount`s, trading or
 *     property income allowance) plus SE's includedNonTaxableProfits and overlapReliefUsed;
 *   - accountingAdjustments = SE's accountingAdjustment.
 *   Not modelled: basisAdjustment, averagingAdjustment, transition profits, Class 4 exemptions, non-financials.
 */
import { addPence, poundsToPence, subtractPence, ZERO, type Pence } from "../mtd";
import type { SubmittedJson } from "./state";

export type SubmissionBusinessType = "self-employment" | "uk-property" | "foreign-property";

export interface CumulativeTotals {
  readonly income: Pence;
  readonly expenses: Pence;
  /** SE disallowable expenses (added back to profit); zero for property. */
  readonly disallowable: Pence;
}

export interface AnnualTotals {
  readonly additions: Pence;
  readonly deductions: Pence;
  readonly accountingAdjustments: Pence;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Sum of every number below `value`, skipping any key in `skip` at any depth (the one such helper). */
export function sumLeaves(value: unknown, skip: ReadonlySet<string> = new Set()): Pence {
  if (typeof value === "number") return poundsToPence(value);
  let total: Pence = ZERO;
  if (Array.isArray(value)) for (const v of value) total = addPence(total, sumLeaves(v, skip));
  else if (isObject(value)) for (const [k, v] of Object.entries(value)) if (!skip.has(k)) total = addPence(total, sumLeaves(v, skip));
  return total;
}

function pick(obj: unknown, keys: readonly string[]): Pence {
  if (!isObject(obj)) return ZERO;
  return keys.reduce<Pence>((t, k) => (typeof obj[k] === "number" ? addPence(t, poundsToPence(obj[k])) : t), ZERO);
}

function entries(body: SubmittedJson, key: string): unknown[] {
  const v = body[key];
  return Array.isArray(v) ? v : isObject(v) ? [v] : [];
}

const UK_NOT_INCOME = new Set(["taxDeducted"]);
const UK_NOT_EXPENSES = new Set(["residentialFinancialCost", "residentialFinancialCostsCarriedForward"]);
const FOREIGN_INCOME = ["premiumsOfLeaseGrant", "otherPropertyIncome"];
const FOREIGN_NOT_EXPENSES = new Set(["residentialFinancialCost", "broughtFwdResidentialFinancialCost"]);

export function cumulativeTotals(type: SubmissionBusinessType, body: SubmittedJson): CumulativeTotals {
  switch (type) {
    case "self-employment":
      return {
        income: pick(body.periodIncome, ["turnover", "other"]),
        expenses: sumLeaves(body.periodExpenses),
        disallowable: sumLeaves(body.periodDisallowableExpenses),
      };
    case "uk-property": {
      const uk = isObject(body.ukProperty) ? body.ukProperty : {};
      return { income: sumLeaves(uk.income, UK_NOT_INCOME), expenses: sumLeaves(uk.expenses, UK_NOT_EXPENSES), disallowable: ZERO };
    }
    case "foreign-property": {
      let income: Pence = ZERO;
      let expenses: Pence = ZERO;
      for (const entry of entries(body, "foreignProperty")) {
        if (!isObject(entry)) continue;
        const inc = entry.income;
        income = addPence(addPence(income, pick(isObject(inc) ? inc.rentIncome : undefined, ["rentAmount"])), pick(inc, FOREIGN_INCOME));
        expenses = addPence(expenses, sumLeaves(entry.expenses, FOREIGN_NOT_EXPENSES));
      }
      return { income, expenses, disallowable: ZERO };
    }
  }
}

const ADDITION_FIELDS = [
  "balancingCharge",
  "privateUseAdjustment",
  "businessPremisesRenovationAllowanceBalancingCharges",
  "outstandingBusinessIncome",
  "balancingChargeBpra",
  "balancingChargeOther",
  "goodsAndServicesOwnUse",
];
const SE_DEDUCTION_ADJUSTMENTS = ["includedNonTaxableProfits", "overlapReliefUsed"];
/** Inside structure and buildings allowance entries only `amount` is an allowance; the rest describes the building. */
const NOT_ALLOWANCE = new Set(["firstYear", "building"]);

/** The business objects an annual body holds: SE's root, ukProperty, or each foreignProperty entry. */
function annualParts(type: SubmissionBusinessType, body: SubmittedJson): Array<Record<string, unknown>> {
  if (type === "self-employment") return [body as Record<string, unknown>];
  return entries(body, type === "uk-property" ? "ukProperty" : "foreignProperty").filter(isObject);
}

export function annualTotals(type: SubmissionBusinessType, body: SubmittedJson): AnnualTotals {
  let additions: Pence = ZERO;
  let deductions: Pence = ZERO;
  let accountingAdjustments: Pence = ZERO;
  for (const part of annualParts(type, body)) {
    additions = addPence(additions, pick(part.adjustments, ADDITION_FIELDS));
    deductions = addPence(deductions, sumLeaves(part.allowances, NOT_ALLOWANCE));
    if (type === "self-employment") {
      deductions = addPence(deductions, pick(part.adjustments, SE_DEDUCTION_ADJUSTMENTS));
      accountingAdjustments = addPence(accountingAdjustments, pick(part.adjustments, ["accountingAdjustment"]));
    }
  }
  return { additions, deductions, accountingAdjustments };
}

/** One self-employment annual `adjustments` amount (zero for property, which has no such field). */
export function selfEmploymentAdjustment(type: SubmissionBusinessType, body: SubmittedJson, field: string): Pence {
  return type === "self-employment" ? pick(body.adjustments, [field]) : ZERO;
}

/** income − expenses + additions − deductions + accounting adjustments (negative = a loss). */
export function taxableResult(c: CumulativeTotals, a: AnnualTotals): Pence {
  const net = subtractPence(c.income, c.expenses);
  return addPence(subtractPence(addPence(addPence(net, c.disallowable), a.additions), a.deductions), a.accountingAdjustments);
}
