/**
 * Property Business 6.0, foreign property: the cumulative period summary (2025-26 by countryCode, 2026-27 on by
 * propertyId) and the foreign property details of 2026-27 on (create → a new propertyId, update, retrieve).
 * Cumulative updates follow the same date rules as UK property (./cumulative-dates.ts) and fulfil obligations.
 */
import type { FastifyInstance } from "fastify";
import { compareTaxYears, paramIsValid, taxYearEnd, taxYearStart, type HmrcErrorItem, type TaxYear } from "../../mtd";
import { errorItem, singleError, type ErrorResponse } from "../errors";
import { catalogueEndpoint, registerHmrcRoute, type HmrcContext, type HmrcRouteDeps } from "../hmrc-route";
import { reportsAnnually, type Business, type ForeignProperty, type SubmittedJson } from "../state";
import { validateRequestBody } from "../validation/request-body";
import { FOREIGN_CUMULATIVE, FOREIGN_DETAILS } from "../validation/rules";
import { businessOf, isErrorResponse } from "./business-of";
import { cannedExample } from "./canned";
import { cumulativeDateError } from "./cumulative-dates";

const CUMULATIVE_AMEND = "property.foreign.cumulative.amend";
const CUMULATIVE_RETRIEVE = "property.foreign.cumulative.retrieve";
const DETAILS_CREATE = "property.foreign.details.create";
const DETAILS_RETRIEVE = "property.foreign.details.retrieve";
const DETAILS_UPDATE = "property.foreign.details.update";
/** From 2026-27 foreign property figures are reported per propertyId (HMRC's def2), before by countryCode. */
export const PROPERTY_ID_FROM = "2026-27" as TaxYear;

export const byPropertyId = (taxYear: string): boolean => compareTaxYears(taxYear as TaxYear, PROPERTY_ID_FROM) >= 0;

/** The query's propertyId must be a UUID (FORMAT_PROPERTY_ID). */
export function propertyIdQueryErrors(endpointId: string, query: Readonly<Record<string, string | undefined>>): HmrcErrorItem[] {
  const id = query.propertyId;
  return id !== undefined && !paramIsValid("propertyId", id) ? [errorItem(endpointId, "FORMAT_PROPERTY_ID")] : [];
}

/** Entries whose propertyId is not one of this business's foreign properties → RULE_PROPERTY_ID_MISMATCH. */
export function propertyIdMismatch(ctx: HmrcContext, endpointId: string, businessId: string): ErrorResponse | undefined {
  const entries = (ctx.body as SubmittedJson).foreignProperty;
  if (!Array.isArray(entries)) return undefined;
  const known = new Set(ctx.state.foreignProperties(ctx.nino).filter((p) => p.businessId === businessId).map((p) => p.propertyId));
  const paths = entries.flatMap((e: { propertyId?: unknown }, i) => (typeof e.propertyId === "string" && !known.has(e.propertyId) ? [`/foreignProperty/${i}/propertyId`] : []));
  return paths.length > 0 ? singleError(endpointId, "RULE_PROPERTY_ID_MISMATCH", paths) : undefined;
}

/** Keeps only the entry for `propertyId` when the query names one. */
export function filterByPropertyId(entries: unknown, propertyId: string | undefined): unknown[] {
  const list = Array.isArray(entries) ? entries : [];
  return propertyId === undefined ? list : list.filter((e: { propertyId?: unknown }) => e.propertyId === propertyId);
}

/** Properties of the business reportable in the tax year: created by then and not ended before it began. */
function propertiesIn(ctx: HmrcContext, businessId: string, ty: TaxYear): ForeignProperty[] {
  return ctx.state
    .foreignProperties(ctx.nino)
    .filter((p) => p.businessId === businessId && compareTaxYears(p.taxYear as TaxYear, ty) <= 0 && (!p.endDate || p.endDate >= taxYearStart(ty)));
}

/** The business rules shared by create and update: business start, cessation, unique name per country. */
function detailsRuleError(endpointId: string, business: Business | undefined, ty: TaxYear, others: readonly ForeignProperty[], name: string, country: string): ErrorResponse | undefined {
  if (business?.commencementDate && business.commencementDate > taxYearEnd(ty)) return singleError(endpointId, "RULE_TAX_YEAR_BEFORE_BUSINESS_START");
  if (business?.cessationDate && business.cessationDate < taxYearStart(ty)) return singleError(endpointId, "RULE_PROPERTY_BUSINESS_CEASED");
  // HMRC: unique per country, ignoring letter case and leading or trailing spaces.
  const key = name.trim().toLowerCase();
  if (others.some((p) => p.countryCode === country && p.propertyName.trim().toLowerCase() === key)) return singleError(endpointId, "RULE_DUPLICATE_PROPERTY_NAME");
  return undefined;
}

interface DetailsBody {
  propertyName: string;
  countryCode?: string;
  endDate?: string;
  endReason?: string;
}

export function propertyForeignRoutes(app: FastifyInstance, deps: HmrcRouteDeps): void {
  registerHmrcRoute(app, deps, {
    endpoint: catalogueEndpoint(CUMULATIVE_AMEND),
    lock: {},
    validate: (ctx) => validateRequestBody(CUMULATIVE_AMEND, ctx.params.taxYear, ctx.body, FOREIGN_CUMULATIVE),
    handle: (ctx) => {
      const business = businessOf(ctx, CUMULATIVE_AMEND, "foreign-property");
      if (isErrorResponse(business)) return business;
      const ty = ctx.params.taxYear as TaxYear;
      if (byPropertyId(ty)) {
        const mismatch = propertyIdMismatch(ctx, CUMULATIVE_AMEND, business.businessId);
        if (mismatch) return mismatch;
      }
      const body = ctx.body as SubmittedJson & { fromDate?: string; toDate?: string };
      const period = { ...(body.fromDate ? { fromDate: body.fromDate } : {}), ...(body.toDate ? { toDate: body.toDate } : {}) };
      const previous = ctx.state.cumulative(ctx.nino, business.businessId, ty)?.toDate;
      const refused = cumulativeDateError(CUMULATIVE_AMEND, business, ty, period, previous, ctx.now, reportsAnnually(ctx.state, ctx.nino, business, ty));
      if (refused) return refused;
      ctx.state.putCumulative(ctx.nino, business.businessId, ty, body, period, ctx.now);
      return { status: 204 };
    },
  });

  registerHmrcRoute(app, deps, {
    endpoint: catalogueEndpoint(CUMULATIVE_RETRIEVE),
    validate: (ctx) => propertyIdQueryErrors(CUMULATIVE_RETRIEVE, ctx.query),
    handle: (ctx, variant) => {
      const ty = ctx.params.taxYear!;
      if (variant) return { status: 200, body: cannedExample(CUMULATIVE_RETRIEVE, [variant.endsWith("CONSOLIDATED") ? "consolidated" : "full expenses"], ty) };
      const business = businessOf(ctx, CUMULATIVE_RETRIEVE, "foreign-property", "RULE_TYPE_OF_BUSINESS_INCORRECT");
      if (isErrorResponse(business)) return business;
      const stored = ctx.state.cumulative(ctx.nino, business.businessId, ty);
      if (!stored) return singleError(CUMULATIVE_RETRIEVE, "MATCHING_RESOURCE_NOT_FOUND");
      const foreignProperty = filterByPropertyId(stored.body.foreignProperty, ctx.query.propertyId);
      if (foreignProperty.length === 0) return singleError(CUMULATIVE_RETRIEVE, "MATCHING_RESOURCE_NOT_FOUND");
      return {
        status: 200,
        body: {
          submittedOn: stored.submittedOn,
          // Annual (latent) submissions carry no dates; HMRC's response always has them: the whole tax year.
          fromDate: stored.fromDate ?? taxYearStart(ty as TaxYear),
          toDate: stored.toDate ?? taxYearEnd(ty as TaxYear),
          foreignProperty: structuredClone(foreignProperty),
        },
      };
    },
  });

  registerHmrcRoute(app, deps, {
    endpoint: catalogueEndpoint(DETAILS_CREATE),
    lock: {},
    validate: (ctx) => validateRequestBody(DETAILS_CREATE, ctx.params.taxYear, ctx.body, FOREIGN_DETAILS),
    handle: (ctx) => {
      const business = businessOf(ctx, DETAILS_CREATE, "foreign-property");
      if (isErrorResponse(business)) return business;
      const ty = ctx.params.taxYear as TaxYear;
      const body = ctx.body as DetailsBody;
      const siblings = ctx.state.foreignProperties(ctx.nino).filter((p) => p.businessId === business.businessId);
      const refused = detailsRuleError(DETAILS_CREATE, business, ty, siblings, body.propertyName, body.countryCode!);
      if (refused) return refused;
      const property = ctx.state.addForeignProperty(ctx.nino, {
        businessId: business.businessId,
        taxYear: ty,
        propertyName: body.propertyName,
        countryCode: body.countryCode!,
        ...(body.endDate ? { endDate: body.endDate, endReason: body.endReason! } : {}),
        submittedOn: ctx.now.toISOString(),
      });
      return { status: 200, body: { propertyId: property.propertyId } };
    },
  });

  registerHmrcRoute(app, deps, {
    endpoint: catalogueEndpoint(DETAILS_UPDATE),
    lock: {},
    validate: (ctx) => validateRequestBody(DETAILS_UPDATE, ctx.params.taxYear, ctx.body, FOREIGN_DETAILS),
    handle: (ctx) => {
      const property = ctx.state.foreignProperty(ctx.nino, ctx.params.propId!);
      if (!property) return singleError(DETAILS_UPDATE, "MATCHING_RESOURCE_NOT_FOUND");
      const ty = ctx.params.taxYear as TaxYear;
      if (compareTaxYears(ty, property.taxYear as TaxYear) < 0) return singleError(DETAILS_UPDATE, "RULE_TAX_YEAR_BEFORE_BUSINESS_START");
      const body = ctx.body as DetailsBody;
      const business = ctx.state.business(ctx.nino, property.businessId);
      const others = ctx.state.foreignProperties(ctx.nino).filter((p) => p.businessId === property.businessId && p.propertyId !== property.propertyId);
      const refused = detailsRuleError(DETAILS_UPDATE, business, ty, others, body.propertyName, property.countryCode);
      if (refused) return refused;
      property.propertyName = body.propertyName;
      // The update restates the details: an end date left out is removed (HMRC lets customers remove it).
      if (body.endDate) {
        property.endDate = body.endDate;
        property.endReason = body.endReason!;
      } else {
        delete property.endDate;
        delete property.endReason;
      }
      property.submittedOn = ctx.now.toISOString();
      return { status: 204 };
    },
  });

  registerHmrcRoute(app, deps, {
    endpoint: catalogueEndpoint(DETAILS_RETRIEVE),
    validate: (ctx) => propertyIdQueryErrors(DETAILS_RETRIEVE, ctx.query),
    handle: (ctx) => {
      const business = businessOf(ctx, DETAILS_RETRIEVE, "foreign-property");
      if (isErrorResponse(business)) return business;
      const wanted = ctx.query.propertyId;
      const found = propertiesIn(ctx, business.businessId, ctx.params.taxYear as TaxYear).filter((p) => wanted === undefined || p.propertyId === wanted);
      if (found.length === 0) return singleError(DETAILS_RETRIEVE, "MATCHING_RESOURCE_NOT_FOUND");
      const foreignPropertyDetails = found.map((p) => ({
        submittedOn: p.submittedOn,
        propertyId: p.propertyId,
        propertyName: p.propertyName,
        countryCode: p.countryCode,
        ...(p.endDate ? { endDate: p.endDate, endReason: p.endReason } : {}),
      }));
      return { status: 200, body: { foreignPropertyDetails } };
    },
  });
}
