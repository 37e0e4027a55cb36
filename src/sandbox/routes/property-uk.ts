/**
 * Property Business 6.0, UK property cumulative period summary (tax years from 2025-26): create-or-amend and
 * retrieve. The body is checked by src/mtd's validateUkPropertyCumulative, the same code the add-in runs before
 * sending; the business rules HMRC's back end applies follow, each answering with HMRC's code.
 */
import type { FastifyInstance } from "fastify";
import { daysBetween, quartersOf, taxYearEnd, taxYearStart, todayIso, validateUkPropertyCumulative, type IsoDate, type TaxYear, type UkPropertyCumulativeBody } from "../../mtd";
import { singleError, withDocumentedMessages, type ErrorResponse } from "../errors";
import { ENDPOINT_DOCS } from "../generated/hmrc-docs";
import { catalogueEndpoint, registerHmrcRoute, type HmrcContext, type HmrcRouteDeps } from "../hmrc-route";
import { quarterBasisOf, reportsAnnuallyIn, type Business } from "../state";

const AMEND = "property.uk.cumulative.amend";
const RETRIEVE = "property.uk.cumulative.retrieve";
/** HMRC accepts a quarterly update from 10 days before the period ends. */
const EARLY_SUBMISSION_DAYS = 10;

/** The first day a cumulative update for this business and year must start on, and the error when it does not. */
function expectedStart(b: Business, ty: TaxYear): { date: string; code: string } {
  const basisStart = quartersOf(ty, quarterBasisOf(b))[0]!.cumulativeStart;
  const c = b.commencementDate;
  if (c && c > basisStart && c <= taxYearEnd(ty)) return { date: c, code: "RULE_START_DATE_NOT_ALIGNED_TO_COMMENCEMENT_DATE" };
  return { date: basisStart, code: "RULE_START_DATE_NOT_ALIGNED_WITH_REPORTING_TYPE" };
}

/** HMRC's business rules for an accepted body, in the order its back end reports them; undefined = accept. */
function businessRuleError(ctx: HmrcContext, business: Business | undefined, body: UkPropertyCumulativeBody): ErrorResponse | undefined {
  const ty = ctx.params.taxYear as TaxYear;
  // HMRC answers INCOME_SOURCE_NOT_FOUND (404) for an id that is not this NINO's UK property business.
  if (!business || business.typeOfBusiness !== "uk-property") return singleError(AMEND, "MATCHING_RESOURCE_NOT_FOUND");
  const hasDates = body.fromDate !== undefined || body.toDate !== undefined;
  if (reportsAnnuallyIn(business, ty)) return hasDates ? singleError(AMEND, "RULE_START_AND_END_DATE_NOT_ALLOWED") : undefined;
  if (body.fromDate === undefined || body.toDate === undefined) return singleError(AMEND, "RULE_MISSING_SUBMISSION_DATES");
  const start = expectedStart(business, ty);
  if (body.fromDate !== start.date) return singleError(AMEND, start.code);
  if (!quartersOf(ty, quarterBasisOf(business)).some((q) => q.end === body.toDate)) {
    return singleError(AMEND, "RULE_END_DATE_NOT_ALIGNED_WITH_REPORTING_TYPE");
  }
  const previous = ctx.state.cumulative(ctx.nino, business.businessId, ty)?.body.toDate;
  if (previous !== undefined && body.toDate < previous) return singleError(AMEND, "RULE_SUBMISSION_END_DATE_CANNOT_MOVE_BACKWARDS");
  if (daysBetween(todayIso(ctx.now), body.toDate as IsoDate) > EARLY_SUBMISSION_DAYS) return singleError(AMEND, "RULE_EARLY_DATA_SUBMISSION_NOT_ACCEPTED");
  return undefined;
}

/** HMRC's example retrieve bodies, served for the documented success scenarios. */
const CANNED_RETRIEVE: Readonly<Record<string, string>> = {
  UK_PROPERTY_FULL_EXPENSES: "Full expenses response for TY 2025-26 and after",
  UK_PROPERTY_CONSOLIDATED: "Consolidated expenses response for TY 2025-26 and after",
};

export function propertyUkRoutes(app: FastifyInstance, deps: HmrcRouteDeps): void {
  registerHmrcRoute(app, deps, {
    endpoint: catalogueEndpoint(AMEND),
    validate: (ctx) => withDocumentedMessages(AMEND, validateUkPropertyCumulative(ctx.body)),
    handle: (ctx) => {
      const body = ctx.body as UkPropertyCumulativeBody;
      const business = ctx.state.business(ctx.nino, ctx.params.businessId!);
      const refused = businessRuleError(ctx, business, body);
      if (refused) return refused;
      ctx.state.putCumulative(ctx.nino, ctx.params.businessId!, ctx.params.taxYear!, body, ctx.now);
      return { status: 204 };
    },
  });

  registerHmrcRoute(app, deps, {
    endpoint: catalogueEndpoint(RETRIEVE),
    handle: (ctx, variant) => {
      const canned = variant ? CANNED_RETRIEVE[variant] : undefined;
      if (canned) return { status: 200, body: structuredClone(ENDPOINT_DOCS[RETRIEVE]!.examples[canned]) };
      const business = ctx.state.business(ctx.nino, ctx.params.businessId!);
      if (!business) return singleError(RETRIEVE, "MATCHING_RESOURCE_NOT_FOUND");
      if (business.typeOfBusiness !== "uk-property") return singleError(RETRIEVE, "RULE_TYPE_OF_BUSINESS_INCORRECT");
      const ty = ctx.params.taxYear as TaxYear;
      const stored = ctx.state.cumulative(ctx.nino, business.businessId, ty);
      if (!stored) return singleError(RETRIEVE, "MATCHING_RESOURCE_NOT_FOUND");
      const { body } = stored;
      return {
        status: 200,
        body: {
          submittedOn: stored.submittedOn,
          // Annual (latent) submissions carry no dates; HMRC's response always has them: the whole tax year.
          fromDate: body.fromDate ?? taxYearStart(ty),
          toDate: body.toDate ?? taxYearEnd(ty),
          ukProperty: structuredClone(body.ukProperty),
        },
      };
    },
  });
}
