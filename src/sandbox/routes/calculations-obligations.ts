/**
 * Obligations 3.0 final declaration ("crystallisation") obligations, derived from the year-end state: one per tax
 * year from 2025-26 (the first MTD year the sandbox holds) to the clock's, or just `?taxYear`; period 6 April – 5
 * April, due 31 January after the year; `fulfilled` with `receivedDate` once the year's final declaration was
 * accepted (Individual Calculations 8.0), `open` before. `?status` filters; nothing left → 404
 * NO_OBLIGATIONS_FOUND. The MULTIPLE scenario serves the same derived list (HMRC's canned one lists years long gone).
 */
import type { FastifyInstance } from "fastify";
import { compareTaxYears, nextTaxYear, parseTaxYear, taxYearEnd, taxYearOf, taxYearStart, todayIso, type HmrcErrorItem, type TaxYear } from "../../mtd";
import { errorItem, singleError } from "../errors";
import { catalogueEndpoint, registerHmrcRoute, type HmrcContext, type HmrcRouteDeps } from "../hmrc-route";

const ID = "obligations.final-declaration";
const FIRST_SANDBOX_YEAR = "2025-26" as TaxYear;
/** HMRC: the earliest tax year this endpoint accepts. */
const EARLIEST = "2017-18" as TaxYear;

function validateQuery(ctx: HmrcContext): HmrcErrorItem[] {
  const errors: HmrcErrorItem[] = [];
  const { taxYear, status } = ctx.query;
  if (taxYear !== undefined) {
    const ty = parseTaxYear(taxYear);
    if (!ty.ok) errors.push(errorItem(ID, ty.error));
    else if (compareTaxYears(ty.value, EARLIEST) < 0) errors.push(errorItem(ID, "RULE_TAX_YEAR_NOT_SUPPORTED"));
  }
  if (status !== undefined && status !== "open" && status !== "fulfilled") errors.push(errorItem(ID, "FORMAT_STATUS"));
  return errors;
}

function yearsOf(ctx: HmrcContext): TaxYear[] {
  if (ctx.query.taxYear) return [ctx.query.taxYear as TaxYear];
  const years: TaxYear[] = [];
  for (let ty = FIRST_SANDBOX_YEAR; compareTaxYears(ty, taxYearOf(todayIso(ctx.now))) <= 0; ty = nextTaxYear(ty)) years.push(ty);
  return years;
}

export function finalDeclarationObligationRoutes(app: FastifyInstance, deps: HmrcRouteDeps): void {
  registerHmrcRoute(app, deps, {
    endpoint: catalogueEndpoint(ID),
    validate: validateQuery,
    handle: (ctx) => {
      const declarations = ctx.state.yearEnd(ctx.nino).declarations;
      const obligations = yearsOf(ctx)
        .filter((ty) => compareTaxYears(ty, FIRST_SANDBOX_YEAR) >= 0)
        .map((ty) => {
          const declared = declarations.get(ty);
          return {
            periodStartDate: taxYearStart(ty),
            periodEndDate: taxYearEnd(ty),
            dueDate: `${Number(taxYearEnd(ty).slice(0, 4)) + 1}-01-31`,
            status: declared ? "fulfilled" : "open",
            ...(declared ? { receivedDate: declared.timestamp.slice(0, 10) } : {}),
          };
        })
        .filter((o) => !ctx.query.status || o.status === ctx.query.status);
      return obligations.length > 0 ? { status: 200, body: { obligations } } : singleError(ID, "NO_OBLIGATIONS_FOUND");
    },
  });
}
