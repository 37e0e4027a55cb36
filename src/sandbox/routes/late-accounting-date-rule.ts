/**
 * Business Details 2.0 late accounting date rule (LADR) election of a self-employment business: retrieve,
 * disapply, withdraw. An election made for a tax year stays in force for that year and the next four (HMRC:
 * "will remain in place for 5 years"; its example: elected 2025-26, expires 2029-30) until another year's election
 * replaces it. Rules, after HMRC's path checks: disapply / withdraw before the year ends → RULE_TAX_YEAR_NOT_ENDED;
 * a declared year → RULE_OUTSIDE_AMENDMENT_WINDOW (the lock); unknown business → 404 (disapply: a property business
 * → RULE_TYPE_OF_BUSINESS_INCORRECT; retrieve and withdraw: 404); disapply with no period of account ending
 * 31 March – 4 April in the year → RULE_NO_ACCOUNTING_DATE_FOUND; withdraw with no disapplication in force → 404;
 * changing an election made for an earlier, finally declared year while it is in force →
 * RULE_ELECTION_PERIOD_NOT_EXPIRED.
 */
import type { FastifyInstance } from "fastify";
import { taxYearEnd, taxYearFromStartYear, taxYearStartYear, todayIso, type HmrcErrorItem, type TaxYear } from "../../mtd";
import { errorItem, singleError } from "../errors";
import { catalogueEndpoint, registerHmrcRoute, type HmrcContext, type HmrcRouteDeps } from "../hmrc-route";
import type { Business } from "../state";

const RETRIEVE = "business-details.late-accounting-date-rule.retrieve";
const DISAPPLY = "business-details.late-accounting-date-rule.disapply";
const WITHDRAW = "business-details.late-accounting-date-rule.withdraw";
/** An election covers its own tax year and the next four. */
const YEARS_IN_FORCE = 5;

interface Election {
  readonly disapply: boolean;
  readonly taxYearOfElection: TaxYear;
}

const shiftYear = (ty: TaxYear, by: number) => taxYearFromStartYear(taxYearStartYear(ty) + by);

function elections(ctx: HmrcContext): Map<string, boolean> {
  const t = ctx.state.taxpayer(ctx.nino);
  return (t.lateAccountingDateRule ??= new Map());
}

/** The election in force for the path's year: the latest made for it or one of the four years before. */
function inForce(ctx: HmrcContext, businessId: string): Election | undefined {
  const ty = ctx.params.taxYear as TaxYear;
  for (let back = 0; back < YEARS_IN_FORCE; back++) {
    const year = shiftYear(ty, -back);
    const disapply = elections(ctx).get(`${businessId}/${year}`);
    if (disapply !== undefined) return { disapply, taxYearOfElection: year };
  }
  return undefined;
}

/** Eligible when a period of account for the year ends between 31 March and 4 April inclusive. */
function eligible(ctx: HmrcContext, businessId: string): boolean {
  const stored = ctx.state.taxpayer(ctx.nino).periodsOfAccount.get(`${businessId}/${ctx.params.taxYear}`);
  const periods = stored?.body.periodsOfAccountDates;
  if (!Array.isArray(periods)) return false;
  return periods.some((p: { endDate?: unknown }) => typeof p.endDate === "string" && p.endDate.slice(5) >= "03-31" && p.endDate.slice(5) <= "04-04");
}

/** An election from an earlier year that has been finally declared cannot be changed while it is in force. */
function bound(ctx: HmrcContext, e: Election | undefined): boolean {
  return e !== undefined && e.taxYearOfElection !== ctx.params.taxYear && ctx.state.isFinalised(ctx.nino, e.taxYearOfElection);
}

function selfEmployment(ctx: HmrcContext): Business | undefined {
  const b = ctx.state.business(ctx.nino, ctx.params.businessId!);
  return b?.typeOfBusiness === "self-employment" ? b : undefined;
}

function yearEnded(endpointId: string) {
  return (ctx: HmrcContext): HmrcErrorItem[] => (todayIso(ctx.now) > taxYearEnd(ctx.params.taxYear as TaxYear) ? [] : [errorItem(endpointId, "RULE_TAX_YEAR_NOT_ENDED")]);
}

function retrieve(ctx: HmrcContext) {
  const business = selfEmployment(ctx);
  if (!business) return singleError(RETRIEVE, "MATCHING_RESOURCE_NOT_FOUND");
  const e = inForce(ctx, business.businessId);
  const disapply = e?.disapply ?? false;
  return {
    status: 200,
    body: {
      disapply,
      eligible: eligible(ctx, business.businessId),
      ...(e && disapply ? { taxYearOfElection: e.taxYearOfElection, taxYearElectionExpires: shiftYear(e.taxYearOfElection, YEARS_IN_FORCE - 1) } : {}),
    },
  };
}

function disapply(ctx: HmrcContext) {
  const business = ctx.state.business(ctx.nino, ctx.params.businessId!);
  if (!business) return singleError(DISAPPLY, "MATCHING_RESOURCE_NOT_FOUND");
  if (business.typeOfBusiness !== "self-employment") return singleError(DISAPPLY, "RULE_TYPE_OF_BUSINESS_INCORRECT");
  if (!eligible(ctx, business.businessId)) return singleError(DISAPPLY, "RULE_NO_ACCOUNTING_DATE_FOUND");
  const e = inForce(ctx, business.businessId);
  if (bound(ctx, e)) return e!.disapply ? { status: 204 } : singleError(DISAPPLY, "RULE_ELECTION_PERIOD_NOT_EXPIRED");
  elections(ctx).set(`${business.businessId}/${ctx.params.taxYear}`, true);
  return { status: 204 };
}

function withdraw(ctx: HmrcContext) {
  const business = selfEmployment(ctx);
  const e = business && inForce(ctx, business.businessId);
  if (!business || !e?.disapply) return singleError(WITHDRAW, "MATCHING_RESOURCE_NOT_FOUND");
  if (bound(ctx, e)) return singleError(WITHDRAW, "RULE_ELECTION_PERIOD_NOT_EXPIRED");
  elections(ctx).set(`${business.businessId}/${ctx.params.taxYear}`, false);
  return { status: 204 };
}

export function lateAccountingDateRuleRoutes(app: FastifyInstance, deps: HmrcRouteDeps): void {
  registerHmrcRoute(app, deps, { endpoint: catalogueEndpoint(RETRIEVE), handle: retrieve });
  registerHmrcRoute(app, deps, { endpoint: catalogueEndpoint(DISAPPLY), lock: {}, validate: yearEnded(DISAPPLY), handle: disapply });
  registerHmrcRoute(app, deps, { endpoint: catalogueEndpoint(WITHDRAW), lock: {}, validate: yearEnded(WITHDRAW), handle: withdraw });
}
