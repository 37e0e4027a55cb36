/**
 * Property Business 6.0 annual submissions (adjustments and allowances): UK property create-and-amend and
 * retrieve, foreign property create-and-amend and retrieve (2026-27 on by propertyId), and the delete both share.
 * A PUT replaces the year's submission and answers 200 with no body, as HMRC documents.
 */
import type { FastifyInstance } from "fastify";
import type { TypeOfBusiness } from "../../mtd";
import { singleError } from "../errors";
import { catalogueEndpoint, registerHmrcRoute, type HmrcRouteDeps } from "../hmrc-route";
import type { SubmittedJson } from "../state";
import type { BodyRules } from "../validation/request-body";
import { validateRequestBody } from "../validation/request-body";
import { FOREIGN_ANNUAL, UK_ANNUAL } from "../validation/rules";
import { businessOf, isErrorResponse } from "./business-of";
import { cannedExample } from "./canned";
import { byPropertyId, filterByPropertyId, propertyIdMismatch, propertyIdQueryErrors } from "./property-foreign";

const DELETE = "property.annual.delete";

interface Kind {
  type: TypeOfBusiness;
  amend: string;
  retrieve: string;
  rules: BodyRules;
  /** The body's key holding the business's figures. */
  key: "ukProperty" | "foreignProperty";
}

const KINDS: readonly Kind[] = [
  { type: "uk-property", amend: "property.uk.annual.amend", retrieve: "property.uk.annual.retrieve", rules: UK_ANNUAL, key: "ukProperty" },
  { type: "foreign-property", amend: "property.foreign.annual.amend", retrieve: "property.foreign.annual.retrieve", rules: FOREIGN_ANNUAL, key: "foreignProperty" },
];

/** HMRC's canned retrieve for a success scenario: the property-allowance or all-other-allowances example. */
function cannedWords(variant: string): string[] {
  return [variant.endsWith("PROPERTY_ALLOWANCE") ? "property allowance" : "other allowances"];
}

export function propertyAnnualRoutes(app: FastifyInstance, deps: HmrcRouteDeps): void {
  for (const kind of KINDS) {
    registerHmrcRoute(app, deps, {
      endpoint: catalogueEndpoint(kind.amend),
      lock: {},
      validate: (ctx) => validateRequestBody(kind.amend, ctx.params.taxYear, ctx.body, kind.rules),
      handle: (ctx) => {
        const business = businessOf(ctx, kind.amend, kind.type, "RULE_TYPE_OF_BUSINESS_INCORRECT");
        if (isErrorResponse(business)) return business;
        if (kind.type === "foreign-property" && byPropertyId(ctx.params.taxYear!)) {
          const mismatch = propertyIdMismatch(ctx, kind.amend, business.businessId);
          if (mismatch) return mismatch;
        }
        ctx.state.putAnnual(ctx.nino, business.businessId, ctx.params.taxYear!, ctx.body as SubmittedJson, ctx.now);
        return { status: 200 };
      },
    });

    registerHmrcRoute(app, deps, {
      endpoint: catalogueEndpoint(kind.retrieve),
      validate: (ctx) => (kind.type === "foreign-property" ? propertyIdQueryErrors(kind.retrieve, ctx.query) : []),
      handle: (ctx, variant) => {
        const ty = ctx.params.taxYear!;
        // HMRC's example names spell words with spaces or hyphens ("property-allowance-response-TY-2025-26").
        if (variant) {
          const words = cannedWords(variant);
          const body = cannedExample(kind.retrieve, words, ty) ?? cannedExample(kind.retrieve, words.map((w) => w.replace(/ /g, "-")), ty);
          return { status: 200, body };
        }
        const business = businessOf(ctx, kind.retrieve, kind.type, "RULE_TYPE_OF_BUSINESS_INCORRECT");
        if (isErrorResponse(business)) return business;
        const stored = ctx.state.annual(ctx.nino, business.businessId, ty);
        if (!stored) return singleError(kind.retrieve, "MATCHING_RESOURCE_NOT_FOUND");
        const body: Record<string, unknown> = { submittedOn: stored.submittedOn, ...structuredClone(stored.body) };
        if (kind.type === "foreign-property" && ctx.query.propertyId !== undefined) {
          body.foreignProperty = filterByPropertyId(body.foreignProperty, ctx.query.propertyId);
          if ((body.foreignProperty as unknown[]).length === 0) return singleError(kind.retrieve, "MATCHING_RESOURCE_NOT_FOUND");
        }
        return { status: 200, body };
      },
    });
  }

  registerHmrcRoute(app, deps, {
    endpoint: catalogueEndpoint(DELETE),
    lock: {},
    handle: (ctx) => {
      const business = ctx.state.business(ctx.nino, ctx.params.businessId!);
      if (!business || (business.typeOfBusiness !== "uk-property" && business.typeOfBusiness !== "foreign-property")) return singleError(DELETE, "MATCHING_RESOURCE_NOT_FOUND");
      if (!ctx.state.deleteAnnual(ctx.nino, business.businessId, ctx.params.taxYear!)) return singleError(DELETE, "MATCHING_RESOURCE_NOT_FOUND");
      return { status: 204 };
    },
  });
}
