/** Business Details 2.0: list the NINO's businesses and retrieve one; the per-year settings are in business-details-settings.ts. */
import type { FastifyInstance } from "fastify";
import type { BusinessListResponse, BusinessSummary } from "../../mtd";
import { singleError } from "../errors";
import { catalogueEndpoint, registerHmrcRoute, type HmrcRouteDeps } from "../hmrc-route";
import { businessDetailsSettingsRoutes } from "./business-details-settings";
import { lateAccountingDateRuleRoutes } from "./late-accounting-date-rule";
import { defaultBusinesses, toBusinessDetails, UNSPECIFIED_BUSINESS, type Business } from "../state";

/** HMRC's canned success variants: businesses of one kind, independent of what the NINO holds. */
function cannedBusinesses(variant: string): Business[] | undefined {
  const defaults = defaultBusinesses();
  switch (variant) {
    case "PROPERTY":
      return defaults.filter((b) => b.typeOfBusiness === "uk-property");
    case "FOREIGN_PROPERTY":
      return defaults.filter((b) => b.typeOfBusiness === "foreign-property");
    case "BUSINESS_AND_PROPERTY":
      return defaults;
    case "UNSPECIFIED":
      return [UNSPECIFIED_BUSINESS];
    default:
      return undefined;
  }
}

function summary(b: Business): BusinessSummary {
  return {
    typeOfBusiness: b.typeOfBusiness,
    businessId: b.businessId,
    ...(b.tradingType !== undefined ? { tradingType: b.tradingType } : {}),
    ...(b.tradingName !== undefined ? { tradingName: b.tradingName } : {}),
  };
}

export function businessDetailsRoutes(app: FastifyInstance, deps: HmrcRouteDeps): void {
  registerHmrcRoute(app, deps, {
    endpoint: catalogueEndpoint("business-details.list"),
    handle: (ctx, variant) => {
      const businesses = (variant && cannedBusinesses(variant)) || ctx.state.taxpayer(ctx.nino).businesses;
      if (businesses.length === 0) return singleError(ctx.endpoint.id, "MATCHING_RESOURCE_NOT_FOUND");
      const body: BusinessListResponse = { listOfBusinesses: businesses.map(summary) };
      return { status: 200, body };
    },
  });

  registerHmrcRoute(app, deps, {
    endpoint: catalogueEndpoint("business-details.retrieve"),
    handle: (ctx, variant) => {
      const canned = variant ? cannedBusinesses(variant)?.[0] : undefined;
      const business = canned ?? ctx.state.business(ctx.nino, ctx.params.businessId!);
      if (!business) return singleError(ctx.endpoint.id, "NO_BUSINESS_FOUND");
      return { status: 200, body: toBusinessDetails(business) };
    },
  });

  businessDetailsSettingsRoutes(app, deps);
  lateAccountingDateRuleRoutes(app, deps);
}
