/**
 * Self-Employment Business 5.0: cumulative period summary (2025-26 on), annual submission, and the period
 * summaries of 2024-25 and before (list and retrieve; this sandbox stores none, so they answer as HMRC does for a
 * business without any: an empty list and 404).
 */
import type { FastifyInstance } from "fastify";
import { taxYearEnd, taxYearStart, type TaxYear } from "../../mtd";
import { singleError, type ErrorResponse } from "../errors";
import { catalogueEndpoint, registerHmrcRoute, type HmrcContext, type HmrcRouteDeps } from "../hmrc-route";
import { reportsAnnually, type Business, type SubmittedJson } from "../state";
import { validateRequestBody } from "../validation/request-body";
import { SELF_EMPLOYMENT_ANNUAL, SELF_EMPLOYMENT_CUMULATIVE } from "../validation/rules";
import { businessOf, isErrorResponse } from "./business-of";
import { cannedExample } from "./canned";
import { cumulativeDateError } from "./cumulative-dates";

const CUMULATIVE_AMEND = "self-employment.cumulative.amend";
const CUMULATIVE_RETRIEVE = "self-employment.cumulative.retrieve";
const ANNUAL_AMEND = "self-employment.annual.amend";
const ANNUAL_RETRIEVE = "self-employment.annual.retrieve";
const ANNUAL_DELETE = "self-employment.annual.delete";
const PERIOD_LIST = "self-employment.period.list";
const PERIOD_RETRIEVE = "self-employment.period.retrieve";

const selfEmployment = (ctx: HmrcContext, endpointId: string): Business | ErrorResponse => businessOf(ctx, endpointId, "self-employment");
const isError = isErrorResponse;

interface PeriodDates {
  periodStartDate?: string;
  periodEndDate?: string;
}

export function selfEmploymentRoutes(app: FastifyInstance, deps: HmrcRouteDeps): void {
  registerHmrcRoute(app, deps, {
    endpoint: catalogueEndpoint(CUMULATIVE_AMEND),
    lock: {},
    validate: (ctx) => validateRequestBody(CUMULATIVE_AMEND, ctx.params.taxYear, ctx.body, SELF_EMPLOYMENT_CUMULATIVE),
    handle: (ctx) => {
      const business = selfEmployment(ctx, CUMULATIVE_AMEND);
      if (isError(business)) return business;
      const ty = ctx.params.taxYear as TaxYear;
      const dates = ((ctx.body as SubmittedJson).periodDates ?? {}) as PeriodDates;
      const period = { ...(dates.periodStartDate ? { fromDate: dates.periodStartDate } : {}), ...(dates.periodEndDate ? { toDate: dates.periodEndDate } : {}) };
      const previous = ctx.state.cumulative(ctx.nino, business.businessId, ty)?.toDate;
      const refused = cumulativeDateError(CUMULATIVE_AMEND, business, ty, period, previous, ctx.now, reportsAnnually(ctx.state, ctx.nino, business, ty));
      if (refused) return refused;
      ctx.state.putCumulative(ctx.nino, business.businessId, ty, ctx.body as SubmittedJson, period, ctx.now);
      return { status: 204 };
    },
  });

  registerHmrcRoute(app, deps, {
    endpoint: catalogueEndpoint(CUMULATIVE_RETRIEVE),
    handle: (ctx, variant) => {
      if (variant === "CONSOLIDATED_EXPENSES") return { status: 200, body: cannedExample(CUMULATIVE_RETRIEVE, ["consolidated"]) };
      const business = selfEmployment(ctx, CUMULATIVE_RETRIEVE);
      if (isError(business)) return business;
      const stored = ctx.state.cumulative(ctx.nino, business.businessId, ctx.params.taxYear!);
      if (!stored) return singleError(CUMULATIVE_RETRIEVE, "MATCHING_RESOURCE_NOT_FOUND");
      // The response is the submission itself (HMRC's schema has no submittedOn for self-employment); periodDates
      // is required there, so an annual (latent) submission without dates answers with the whole tax year.
      const ty = ctx.params.taxYear as TaxYear;
      const periodDates = stored.body.periodDates ?? { periodStartDate: taxYearStart(ty), periodEndDate: taxYearEnd(ty) };
      return { status: 200, body: { ...structuredClone(stored.body), periodDates } };
    },
  });

  registerHmrcRoute(app, deps, {
    endpoint: catalogueEndpoint(ANNUAL_AMEND),
    lock: {},
    validate: (ctx) => validateRequestBody(ANNUAL_AMEND, ctx.params.taxYear, ctx.body, SELF_EMPLOYMENT_ANNUAL),
    handle: (ctx) => {
      const business = selfEmployment(ctx, ANNUAL_AMEND);
      if (isError(business)) return business;
      ctx.state.putAnnual(ctx.nino, business.businessId, ctx.params.taxYear!, ctx.body as SubmittedJson, ctx.now);
      return { status: 204 };
    },
  });

  registerHmrcRoute(app, deps, {
    endpoint: catalogueEndpoint(ANNUAL_RETRIEVE),
    handle: (ctx, variant) => {
      const ty = ctx.params.taxYear!;
      if (variant === "TRADING_ALLOWANCE") return { status: 200, body: cannedExample(ANNUAL_RETRIEVE, ["trading allowances"], ty) };
      const business = selfEmployment(ctx, ANNUAL_RETRIEVE);
      if (isError(business)) return business;
      const stored = ctx.state.annual(ctx.nino, business.businessId, ty);
      if (!stored) return singleError(ANNUAL_RETRIEVE, "MATCHING_RESOURCE_NOT_FOUND");
      return { status: 200, body: structuredClone(stored.body) };
    },
  });

  registerHmrcRoute(app, deps, {
    endpoint: catalogueEndpoint(ANNUAL_DELETE),
    lock: {},
    handle: (ctx, variant) => {
      if (variant === "DELETE") return { status: 204 };
      const business = selfEmployment(ctx, ANNUAL_DELETE);
      if (isError(business)) return business;
      if (!ctx.state.deleteAnnual(ctx.nino, business.businessId, ctx.params.taxYear!)) return singleError(ANNUAL_DELETE, "MATCHING_RESOURCE_NOT_FOUND");
      return { status: 204 };
    },
  });

  registerHmrcRoute(app, deps, {
    endpoint: catalogueEndpoint(PERIOD_LIST),
    handle: (ctx) => {
      const business = selfEmployment(ctx, PERIOD_LIST);
      if (isError(business)) return business;
      return { status: 200, body: { periods: [] } };
    },
  });

  registerHmrcRoute(app, deps, {
    endpoint: catalogueEndpoint(PERIOD_RETRIEVE),
    handle: (ctx, variant) => {
      if (variant === "CONSOLIDATED_EXPENSES") {
        const older = ctx.params.taxYear! <= "2022-23" ? "2022-23" : "2023-24";
        return { status: 200, body: cannedExample(PERIOD_RETRIEVE, ["consolidated response", older]) ?? cannedExample(PERIOD_RETRIEVE, ["consolidated"]) };
      }
      const business = selfEmployment(ctx, PERIOD_RETRIEVE);
      if (isError(business)) return business;
      return singleError(PERIOD_RETRIEVE, "MATCHING_RESOURCE_NOT_FOUND");
    },
  });
}
