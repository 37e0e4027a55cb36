/**
 * BISS 3.0: the year-to-date income summary of one business. For UK property it is computed from the stored
 * cumulative submission, in integer pence:
 *   total.income   = every income amount except taxDeducted (tax already paid is not income);
 *   total.expenses = every expense amount, consolidatedExpenses and rentARoom.amountClaimed included, except
 *                    residentialFinancialCost and residentialFinancialCostsCarriedForward (finance costs give a
 *                    basic-rate tax reduction, they are not deducted from profit);
 *   profit.net = profit.taxable = max(0, income − expenses);  loss.net = loss.taxable = max(0, expenses − income).
 * No adjustments or allowances are applied (those come with the annual submission and BSAS).
 */
import type { FastifyInstance } from "fastify";
import {
  amountsOfUkPropertyBody,
  compareTaxYears,
  penceToPounds,
  ZERO,
  addPence,
  subtractPence,
  type BissResponse,
  type HmrcErrorItem,
  type Pence,
  type TaxYear,
  type UkPropertyCumulativeBody,
} from "../../mtd";
import { errorItem, singleError } from "../errors";
import { catalogueEndpoint, registerHmrcRoute, type HmrcRouteDeps } from "../hmrc-route";

const ID = "biss.retrieve";
const FHL_TYPES = ["uk-property-fhl", "foreign-property-fhl-eea"];
/** FHL was abolished from 2025-26: HMRC then treats those types as a bad format. */
const NO_FHL_FROM = "2025-26" as TaxYear;
const NOT_EXPENSES = new Set(["expenses.residentialFinancialCost", "expenses.residentialFinancialCostsCarriedForward"]);

export function ukPropertyBiss(body: UkPropertyCumulativeBody): BissResponse {
  let income: Pence = ZERO;
  let expenses: Pence = ZERO;
  for (const [path, amount] of amountsOfUkPropertyBody(body)) {
    if (path.startsWith("income.") && path !== "income.taxDeducted") income = addPence(income, amount);
    else if (path.startsWith("expenses.") && !NOT_EXPENSES.has(path)) expenses = addPence(expenses, amount);
  }
  const net = subtractPence(income, expenses);
  const profit = penceToPounds(net > 0 ? net : ZERO);
  const loss = penceToPounds(net < 0 ? subtractPence(ZERO, net) : ZERO);
  return {
    total: { income: penceToPounds(income), expenses: penceToPounds(expenses) },
    profit: { net: profit, taxable: profit },
    loss: { net: loss, taxable: loss },
  };
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
      const submission = typeOfBusiness === "uk-property" ? ctx.state.cumulative(ctx.nino, businessId!, taxYear!) : undefined;
      if (!submission) return singleError(ID, "RULE_NO_INCOME_SUBMISSIONS_EXIST");
      return { status: 200, body: ukPropertyBiss(submission.body) };
    },
  });
}
