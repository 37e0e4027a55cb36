/**
 * A business's year figures as BSAS and the tax calculation see them, in pence: the submitted cumulative and
 * annual totals (src/sandbox/figures.ts, the one place submissions become money), then a BSAS's accounting
 * adjustments on top. Adjustments are deltas (BSAS 7.0): each income / expenses / additions amount is added to
 * the matching total; residentialFinancialCost deltas change the finance costs, not the expenses.
 */
import { addPence, poundsToPence, subtractPence, ZERO, type Pence } from "../../mtd";
import { annualTotals, cumulativeTotals, isObject, sumLeaves, type AnnualTotals, type CumulativeTotals, type SubmissionBusinessType } from "../figures";
import type { AnnualSubmission, CumulativeSubmission, SubmittedJson } from "../state";

export interface BusinessFigures {
  readonly income: Pence;
  readonly expenses: Pence;
  readonly additions: Pence;
  readonly deductions: Pence;
  readonly accountingAdjustments: Pence;
  /** income − expenses (negative = loss), before additions and deductions. */
  readonly net: Pence;
  /** net + additions − deductions + accounting adjustments (negative = loss). */
  readonly result: Pence;
  /** Residential finance costs (with those brought forward): relieved as a basic-rate tax reduction. */
  readonly residentialFinanceCosts: Pence;
}

const FINANCE_COST_FIELDS = new Set(["residentialFinancialCost", "residentialFinancialCostsCarriedForward", "broughtFwdResidentialFinancialCost"]);

/** The property parts of a body: ukProperty, or each foreignProperty entry (list or country/property detail). */
function propertyParts(type: SubmissionBusinessType, body: SubmittedJson): Record<string, unknown>[] {
  if (type === "uk-property") return isObject(body.ukProperty) ? [body.ukProperty] : [];
  const fp = body.foreignProperty;
  if (Array.isArray(fp)) return fp.filter(isObject);
  if (!isObject(fp)) return [];
  const detail = fp.propertyLevelDetail ?? fp.countryLevelDetail;
  return Array.isArray(detail) ? detail.filter(isObject) : [fp];
}

/** Residential finance costs in a cumulative (or adjustments) body; self-employment has none. */
export function residentialFinanceCostsOf(type: SubmissionBusinessType, body: SubmittedJson): Pence {
  if (type === "self-employment") return ZERO;
  let total: Pence = ZERO;
  for (const part of propertyParts(type, body)) {
    const expenses = part.expenses;
    if (!isObject(expenses)) continue;
    for (const f of FINANCE_COST_FIELDS) if (typeof expenses[f] === "number") total = addPence(total, poundsToPence(expenses[f]));
  }
  return total;
}

export interface AdjustmentDeltas {
  readonly income: Pence;
  readonly expenses: Pence;
  readonly additions: Pence;
  readonly residentialFinanceCosts: Pence;
}

/** The deltas a BSAS adjustments body makes; all zero for `zeroAdjustments`. */
export function adjustmentDeltas(type: SubmissionBusinessType, body: SubmittedJson): AdjustmentDeltas {
  if (type === "self-employment") {
    return { income: sumLeaves(body.income), expenses: sumLeaves(body.expenses), additions: sumLeaves(body.additions), residentialFinanceCosts: ZERO };
  }
  let income: Pence = ZERO;
  let expenses: Pence = ZERO;
  for (const part of propertyParts(type, body)) {
    income = addPence(income, sumLeaves(part.income));
    expenses = addPence(expenses, sumLeaves(part.expenses, FINANCE_COST_FIELDS));
  }
  return { income, expenses, additions: ZERO, residentialFinanceCosts: residentialFinanceCostsOf(type, body) };
}

const NO_ANNUAL: AnnualTotals = { additions: ZERO, deductions: ZERO, accountingAdjustments: ZERO };
const NO_CUMULATIVE: CumulativeTotals = { income: ZERO, expenses: ZERO, disallowable: ZERO };

function figures(c: CumulativeTotals, a: AnnualTotals, financeCosts: Pence): BusinessFigures {
  const net = subtractPence(c.income, c.expenses);
  const additions = addPence(c.disallowable, a.additions);
  return {
    income: c.income,
    expenses: c.expenses,
    additions,
    deductions: a.deductions,
    accountingAdjustments: a.accountingAdjustments,
    net,
    result: addPence(subtractPence(addPence(net, additions), a.deductions), a.accountingAdjustments),
    residentialFinanceCosts: financeCosts,
  };
}

/** The figures of what was submitted (no BSAS adjustments). */
export function submittedFigures(type: SubmissionBusinessType, cumulative?: CumulativeSubmission, annual?: AnnualSubmission): BusinessFigures {
  return figures(
    cumulative ? cumulativeTotals(type, cumulative.body) : NO_CUMULATIVE,
    annual ? annualTotals(type, annual.body) : NO_ANNUAL,
    cumulative ? residentialFinanceCostsOf(type, cumulative.body) : ZERO,
  );
}

/** The figures after a BSAS's adjustments. */
export function adjustedFigures(base: BusinessFigures, d: AdjustmentDeltas): BusinessFigures {
  const income = addPence(base.income, d.income);
  const expenses = addPence(base.expenses, d.expenses);
  const additions = addPence(base.additions, d.additions);
  const net = subtractPence(income, expenses);
  return {
    ...base,
    income,
    expenses,
    additions,
    net,
    result: addPence(subtractPence(addPence(net, additions), base.deductions), base.accountingAdjustments),
    residentialFinanceCosts: addPence(base.residentialFinanceCosts, d.residentialFinanceCosts),
  };
}
