/**
 * Property Business 6.0, UK property cumulative period summary (tax years from 2025-26): create-or-amend and
 * retrieve. The body is checked by src/mtd's validateUkPropertyCumulative, the same code the add-in runs before
 * sending; the business rules HMRC's back end applies follow, each answering with HMRC's code.
 */
import type { FastifyInstance } from "fastify";
import { taxYearEnd, taxYearStart, validateUkPropertyCumulative, type TaxYear, type UkPropertyCumulativeBody } from "../../mtd";
import { singleError, withDocumentedMessages, type ErrorResponse } from "../errors";
import { ENDPOINT_DOCS } from "../generated/hmrc-docs";
import { catalogueEndpoint, registerHmrcRoute, type HmrcContext, type HmrcRouteDeps } from "../hmrc-route";
import { reportsAnnually, type Business, type SubmissionPeriod, type SubmittedJson } from "../state";
import { cumulativeDateError } from "./cumulative-dates";

const AMEND = "property.uk.cumulative.amend";
const RETRIEVE = "property.uk.cumulative.retrieve";

/** HMRC's business rules for an accepted body, in the order its back end reports them; undefined = accept. */
function businessRuleError(ctx: HmrcContext, business: Business | undefined, period: SubmissionPeriod): ErrorResponse | undefined {
  // HMRC answers INCOME_SOURCE_NOT_FOUND (404) for an id that is not this NINO's UK property business.
  if (!business || business.typeOfBusiness !== "uk-property") return singleError(AMEND, "MATCHING_RESOURCE_NOT_FOUND");
  const ty = ctx.params.taxYear as TaxYear;
  const previous = ctx.state.cumulative(ctx.nino, business.businessId, ty)?.toDate;
  return cumulativeDateError(AMEND, business, ty, period, previous, ctx.now, reportsAnnually(ctx.state, ctx.nino, business, ty));
}

/** HMRC's example retrieve bodies, served for the documented success scenarios. */
const CANNED_RETRIEVE: Readonly<Record<string, string>> = {
  UK_PROPERTY_FULL_EXPENSES: "Full expenses response for TY 2025-26 and after",
  UK_PROPERTY_CONSOLIDATED: "Consolidated expenses response for TY 2025-26 and after",
};

export function propertyUkRoutes(app: FastifyInstance, deps: HmrcRouteDeps): void {
  registerHmrcRoute(app, deps, {
    endpoint: catalogueEndpoint(AMEND),
    lock: {},
    validate: (ctx) => withDocumentedMessages(AMEND, validateUkPropertyCumulative(ctx.body)),
    handle: (ctx) => {
      const body = ctx.body as UkPropertyCumulativeBody;
      const business = ctx.state.business(ctx.nino, ctx.params.businessId!);
      const period = { ...(body.fromDate ? { fromDate: body.fromDate } : {}), ...(body.toDate ? { toDate: body.toDate } : {}) };
      const refused = businessRuleError(ctx, business, period);
      if (refused) return refused;
      ctx.state.putCumulative(ctx.nino, ctx.params.businessId!, ctx.params.taxYear!, ctx.body as SubmittedJson, period, ctx.now);
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
      return {
        status: 200,
        body: {
          submittedOn: stored.submittedOn,
          // Annual (latent) submissions carry no dates; HMRC's response always has them: the whole tax year.
          fromDate: stored.fromDate ?? taxYearStart(ty),
          toDate: stored.toDate ?? taxYearEnd(ty),
          ukProperty: structuredClone(stored.body.ukProperty),
        },
      };
    },
  });
}
