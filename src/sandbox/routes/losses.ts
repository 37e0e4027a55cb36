/**
 * Individual Losses 6.0 (tax years to 2025-26: brought-forward losses and loss claims) and 7.0 (from 2026-27: one
 * losses-and-claims record per business and year). Bodies are checked against HMRC's schemas
 * (validation/request-body.ts), then the rules below, each with HMRC's code:
 *   6.0, every endpoint with a tax year: 2026-27 on → RULE_TAX_YEAR_FOR_VERSION_NOT_SUPPORTED (use 7.0);
 *   brought-forward loss create — the loss year must have ended (RULE_TAX_YEAR_NOT_ENDED), FHL types from 2025-26
 *   (RULE_BFL_NOT_SUPPORTED_FOR_FHL_PROPERTIES), the business must be the NINO's (404), one loss per business, type
 *   and year (RULE_DUPLICATE_SUBMISSION); amend — same amount → RULE_NO_CHANGE; delete — after the year's final
 *   declaration → RULE_DELETE_AFTER_FINAL_DECLARATION (the other writes: RULE_OUTSIDE_AMENDMENT_WINDOW, hmrc-route.ts);
 *   loss claim create — type of claim allowed for the type of loss (RULE_TYPE_OF_CLAIM_INVALID), carry-sideways-fhl
 *   from 2025-26 (RULE_CSFHL_CLAIM_NOT_SUPPORTED), business (404), the year ended (RULE_ACCOUNTING_PERIOD_NOT_ENDED),
 *   one claim per business, loss type and year (RULE_DUPLICATE_SUBMISSION); change type — RULE_NO_CHANGE,
 *   RULE_TYPE_OF_CLAIM_INVALID; order — sequences from 1 (RULE_INVALID_SEQUENCE_START) without gaps
 *   (RULE_SEQUENCE_ORDER_BROKEN), every carry-sideways claim of the year listed (RULE_LOSS_CLAIMS_MISSING).
 *   7.0 amend — preferenceOrder exactly when both general-income claims are made (RULE_MISSING_PREFERENCE_ORDER /
 *   RULE_PREFERENCE_ORDER_NOT_ALLOWED), no carry-forward with a terminal loss, business (404), no carry-back for
 *   property (RULE_CARRY_BACK_CLAIM), the year ended (RULE_TAX_YEAR_NOT_ENDED) unless the sandbox-only header
 *   `suspend-temporal-validations: true` is sent.
 * Losses brought forward reduce the same business's profits in the tax calculation (src/sandbox/tax/year-income.ts).
 */
import { randomInt } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { compareTaxYears, parseTaxYear, taxYearEnd, todayIso, type HmrcErrorItem, type TaxYear } from "../../mtd";
import { errorItem, singleError, type ErrorResponse } from "../errors";
import { catalogueEndpoint, registerHmrcRoute, type FinalDeclarationLock, type HmrcContext, type HmrcResult, type HmrcRouteDeps, type RouteEndpoint } from "../hmrc-route";
import { pushBounded, type StoredBroughtForwardLoss, type StoredLossClaim, type SubmittedJson } from "../state";
import { validateRequestBody } from "../validation/request-body";
import { cannedExample } from "./canned";

const LAST_V6_YEAR = "2025-26" as TaxYear;
const NO_FHL_FROM = "2025-26" as TaxYear;
const FIRST_CLAIM_YEAR = "2019-20" as TaxYear;
const FHL_LOSSES = ["uk-property-fhl", "foreign-property-fhl-eea"];
const LOSS_TYPES = ["self-employment", "self-employment-class4", "uk-property-fhl", "uk-property", "foreign-property-fhl-eea", "foreign-property"];
const CLAIM_LOSS_TYPES = ["self-employment", "uk-property", "foreign-property"];
/** Which claims each kind of loss allows (HMRC's RULE_TYPE_OF_CLAIM_INVALID). */
const CLAIMS_FOR: Readonly<Record<string, readonly string[]>> = {
  "self-employment": ["carry-forward", "carry-sideways"],
  "uk-property": ["carry-sideways", "carry-sideways-fhl", "carry-forward-to-carry-sideways"],
  "foreign-property": ["carry-sideways", "carry-sideways-fhl", "carry-forward-to-carry-sideways"],
};
/** Which business type each type of loss belongs to. */
const BUSINESS_TYPE: Readonly<Record<string, string>> = {
  "self-employment": "self-employment",
  "self-employment-class4": "self-employment",
  "uk-property": "uk-property",
  "uk-property-fhl": "uk-property",
  "foreign-property": "foreign-property",
  "foreign-property-fhl-eea": "foreign-property",
};
const BODY_CODES = {
  typeOfLoss: "FORMAT_TYPE_OF_LOSS",
  typeOfClaim: "FORMAT_TYPE_OF_CLAIM",
  businessId: "FORMAT_BUSINESS_ID",
  claimId: "FORMAT_CLAIM_ID",
  applyFirst: "FORMAT_PREFERENCE_ORDER",
};

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
/** HMRC's loss and claim ids: 15 letters and digits. */
const newId = (): string => Array.from({ length: 15 }, () => ALNUM[randomInt(ALNUM.length)]).join("");
const yearEnded = (now: Date, ty: string) => todayIso(now) > taxYearEnd(ty as TaxYear);

/** 6.0 serves tax years to 2025-26; later ones get RULE_TAX_YEAR_FOR_VERSION_NOT_SUPPORTED, not the generic code. */
function v6Endpoint(id: string): RouteEndpoint {
  const { maxTaxYear: _max, ...endpoint } = catalogueEndpoint(id);
  return endpoint;
}

function v6YearErrors(id: string, ctx: HmrcContext): HmrcErrorItem[] {
  const name = Object.keys(ctx.endpoint.params).find((n) => ctx.endpoint.params[n] === "taxYear");
  const ty = name ? ctx.params[name] : undefined;
  return ty && compareTaxYears(ty as TaxYear, LAST_V6_YEAR) > 0 ? [errorItem(id, "RULE_TAX_YEAR_FOR_VERSION_NOT_SUPPORTED")] : [];
}

/** A tax year inside a body: format, range and the version's years. */
function bodyTaxYearErrors(id: string, value: unknown, pointer: string, min: TaxYear): HmrcErrorItem[] {
  const ty = parseTaxYear(value);
  if (!ty.ok) return [errorItem(id, ty.error, [pointer])];
  if (compareTaxYears(ty.value, min) < 0) return [errorItem(id, "RULE_TAX_YEAR_NOT_SUPPORTED")];
  if (compareTaxYears(ty.value, LAST_V6_YEAR) > 0) return [errorItem(id, "RULE_TAX_YEAR_FOR_VERSION_NOT_SUPPORTED")];
  return [];
}

function queryErrors(id: string, query: HmrcContext["query"], allowed: { typeOfLoss: readonly string[]; typeOfClaim?: readonly string[] }): HmrcErrorItem[] {
  const errors: HmrcErrorItem[] = [];
  if (query.typeOfLoss !== undefined && !allowed.typeOfLoss.includes(query.typeOfLoss)) errors.push(errorItem(id, "FORMAT_TYPE_OF_LOSS"));
  if (query.businessId !== undefined && !/^X[A-Z0-9]IS[0-9]{11}$/.test(query.businessId)) errors.push(errorItem(id, "FORMAT_BUSINESS_ID"));
  if (query.typeOfClaim !== undefined && !(allowed.typeOfClaim ?? []).includes(query.typeOfClaim)) errors.push(errorItem(id, "FORMAT_TYPE_OF_CLAIM"));
  return errors;
}

const lossBody = (l: StoredBroughtForwardLoss) => ({
  businessId: l.businessId,
  typeOfLoss: l.typeOfLoss,
  lossAmount: l.lossAmount,
  taxYearBroughtForwardFrom: l.taxYearBroughtForwardFrom,
  lastModified: l.lastModified,
});

const claimBody = (c: StoredLossClaim) => ({
  businessId: c.businessId,
  typeOfLoss: c.typeOfLoss,
  typeOfClaim: c.typeOfClaim,
  taxYearClaimedFor: c.taxYearClaimedFor,
  lastModified: c.lastModified,
  ...(c.sequence !== undefined ? { sequence: c.sequence } : {}),
});

/** HMRC's example body for canned success scenarios. */
function canned(id: string): HmrcResult {
  return { status: 200, body: cannedExample(id, []) ?? {} };
}

type Handler = (ctx: HmrcContext, variant: string | undefined) => HmrcResult | ErrorResponse;

/** `lock`: set for writes a final declaration locks (hmrc-route.ts). */
function v6(app: FastifyInstance, deps: HmrcRouteDeps, id: string, handle: Handler, validate: (ctx: HmrcContext) => HmrcErrorItem[] = () => [], lock?: FinalDeclarationLock): void {
  registerHmrcRoute(app, deps, {
    endpoint: v6Endpoint(id),
    ...(lock ? { lock } : {}),
    validate: (ctx) => {
      const year = v6YearErrors(id, ctx);
      return year.length > 0 ? year : validate(ctx);
    },
    handle: (ctx, variant) => (variant ? canned(id) : handle(ctx, variant)),
  });
}

function broughtForwardLossRoutes(app: FastifyInstance, deps: HmrcRouteDeps): void {
  v6(
    app,
    deps,
    "losses.bf.create",
    (ctx) => {
      const b = ctx.body as { taxYearBroughtForwardFrom: string; typeOfLoss: string; businessId: string; lossAmount: number };
      if (!yearEnded(ctx.now, b.taxYearBroughtForwardFrom)) return singleError("losses.bf.create", "RULE_TAX_YEAR_NOT_ENDED");
      const business = ctx.state.business(ctx.nino, b.businessId);
      if (!business || business.typeOfBusiness !== BUSINESS_TYPE[b.typeOfLoss]) return singleError("losses.bf.create", "MATCHING_RESOURCE_NOT_FOUND");
      const losses = ctx.state.yearEnd(ctx.nino).broughtForwardLosses;
      if (losses.some((l) => l.businessId === b.businessId && l.typeOfLoss === b.typeOfLoss && l.taxYearBroughtForwardFrom === b.taxYearBroughtForwardFrom)) {
        return singleError("losses.bf.create", "RULE_DUPLICATE_SUBMISSION");
      }
      const lossId = newId();
      pushBounded(losses, { lossId, businessId: b.businessId, typeOfLoss: b.typeOfLoss, taxYearBroughtForwardFrom: b.taxYearBroughtForwardFrom, lossAmount: b.lossAmount, lastModified: ctx.now.toISOString() });
      return { status: 201, body: { lossId } };
    },
    (ctx) => {
      const errors = validateRequestBody("losses.bf.create", undefined, ctx.body, { codes: BODY_CODES });
      if (errors.length > 0) return errors;
      const b = ctx.body as Json;
      const year = bodyTaxYearErrors("losses.bf.create", b.taxYearBroughtForwardFrom, "/taxYearBroughtForwardFrom", "2018-19" as TaxYear);
      if (year.length > 0) return year;
      const fhlGone = compareTaxYears(b.taxYearBroughtForwardFrom as TaxYear, NO_FHL_FROM) >= 0;
      return FHL_LOSSES.includes(String(b.typeOfLoss)) && fhlGone ? [errorItem("losses.bf.create", "RULE_BFL_NOT_SUPPORTED_FOR_FHL_PROPERTIES")] : [];
    },
    {},
  );

  const findLoss = (ctx: HmrcContext) => ctx.state.yearEnd(ctx.nino).broughtForwardLosses.find((l) => l.lossId === ctx.params.lossId);

  v6(
    app,
    deps,
    "losses.bf.amend",
    (ctx) => {
      const loss = findLoss(ctx);
      if (!loss) return singleError("losses.bf.amend", "MATCHING_RESOURCE_NOT_FOUND");
      const { lossAmount } = ctx.body as { lossAmount: number };
      if (lossAmount === loss.lossAmount) return singleError("losses.bf.amend", "RULE_NO_CHANGE");
      loss.lossAmount = lossAmount;
      loss.lastModified = ctx.now.toISOString();
      return { status: 200, body: lossBody(loss) };
    },
    (ctx) => validateRequestBody("losses.bf.amend", undefined, ctx.body),
    {},
  );

  v6(
    app,
    deps,
    "losses.bf.list",
    (ctx) => {
      const { typeOfLoss, businessId } = ctx.query;
      const losses = ctx.state
        .yearEnd(ctx.nino)
        .broughtForwardLosses.filter((l) => l.taxYearBroughtForwardFrom === ctx.params.taxYearBroughtForwardFrom && (!typeOfLoss || l.typeOfLoss === typeOfLoss) && (!businessId || l.businessId === businessId));
      if (losses.length === 0) return singleError("losses.bf.list", "MATCHING_RESOURCE_NOT_FOUND");
      return { status: 200, body: { losses: losses.map((l) => ({ lossId: l.lossId, ...lossBody(l) })) } };
    },
    (ctx) => queryErrors("losses.bf.list", ctx.query, { typeOfLoss: LOSS_TYPES }),
  );

  v6(app, deps, "losses.bf.retrieve", (ctx) => {
    const loss = findLoss(ctx);
    return loss ? { status: 200, body: lossBody(loss) } : singleError("losses.bf.retrieve", "MATCHING_RESOURCE_NOT_FOUND");
  });

  v6(
    app,
    deps,
    "losses.bf.delete",
    (ctx) => {
      const losses = ctx.state.yearEnd(ctx.nino).broughtForwardLosses;
      const i = losses.findIndex((l) => l.lossId === ctx.params.lossId);
      if (i < 0) return singleError("losses.bf.delete", "MATCHING_RESOURCE_NOT_FOUND");
      losses.splice(i, 1);
      return { status: 204 };
    },
    undefined,
    { code: "RULE_DELETE_AFTER_FINAL_DECLARATION" },
  );
}

function claimTypeErrors(id: string, typeOfLoss: string, typeOfClaim: string, taxYear: string): HmrcErrorItem[] {
  if (!(CLAIMS_FOR[typeOfLoss] ?? []).includes(typeOfClaim)) return [errorItem(id, "RULE_TYPE_OF_CLAIM_INVALID")];
  if (typeOfClaim === "carry-sideways-fhl" && compareTaxYears(taxYear as TaxYear, NO_FHL_FROM) >= 0) return [errorItem(id, "RULE_CSFHL_CLAIM_NOT_SUPPORTED")];
  return [];
}

function lossClaimRoutes(app: FastifyInstance, deps: HmrcRouteDeps): void {
  const claims = (ctx: HmrcContext) => ctx.state.yearEnd(ctx.nino).lossClaims;
  const findClaim = (ctx: HmrcContext) => claims(ctx).find((c) => c.claimId === ctx.params.claimId);

  v6(
    app,
    deps,
    "losses.claims.create",
    (ctx) => {
      const b = ctx.body as { taxYearClaimedFor: string; typeOfLoss: string; typeOfClaim: string; businessId: string };
      const business = ctx.state.business(ctx.nino, b.businessId);
      if (!business || business.typeOfBusiness !== b.typeOfLoss) return singleError("losses.claims.create", "MATCHING_RESOURCE_NOT_FOUND");
      if (!yearEnded(ctx.now, b.taxYearClaimedFor)) return singleError("losses.claims.create", "RULE_ACCOUNTING_PERIOD_NOT_ENDED");
      if (claims(ctx).some((c) => c.businessId === b.businessId && c.typeOfLoss === b.typeOfLoss && c.taxYearClaimedFor === b.taxYearClaimedFor)) {
        return singleError("losses.claims.create", "RULE_DUPLICATE_SUBMISSION");
      }
      const claimId = newId();
      pushBounded(claims(ctx), { claimId, businessId: b.businessId, typeOfLoss: b.typeOfLoss, typeOfClaim: b.typeOfClaim, taxYearClaimedFor: b.taxYearClaimedFor, lastModified: ctx.now.toISOString() });
      return { status: 201, body: { claimId } };
    },
    (ctx) => {
      const errors = validateRequestBody("losses.claims.create", undefined, ctx.body, { codes: BODY_CODES });
      if (errors.length > 0) return errors;
      const b = ctx.body as Record<string, string>;
      const year = bodyTaxYearErrors("losses.claims.create", b.taxYearClaimedFor, "/taxYearClaimedFor", FIRST_CLAIM_YEAR);
      return year.length > 0 ? year : claimTypeErrors("losses.claims.create", b.typeOfLoss!, b.typeOfClaim!, b.taxYearClaimedFor!);
    },
    { taxYear: (ctx) => (ctx.body as { taxYearClaimedFor: string }).taxYearClaimedFor },
  );

  v6(
    app,
    deps,
    "losses.claims.list",
    (ctx) => {
      const { typeOfLoss, businessId, typeOfClaim } = ctx.query;
      const found = claims(ctx).filter(
        (c) =>
          c.taxYearClaimedFor === ctx.params.taxYearClaimedFor &&
          (!typeOfLoss || c.typeOfLoss === typeOfLoss) &&
          (!businessId || c.businessId === businessId) &&
          (!typeOfClaim || c.typeOfClaim === typeOfClaim),
      );
      if (found.length === 0) return singleError("losses.claims.list", "MATCHING_RESOURCE_NOT_FOUND");
      return { status: 200, body: { claims: found.map((c) => ({ claimId: c.claimId, ...claimBody(c) })) } };
    },
    (ctx) => queryErrors("losses.claims.list", ctx.query, { typeOfLoss: CLAIM_LOSS_TYPES, typeOfClaim: ["carry-sideways"] }),
  );

  v6(app, deps, "losses.claims.retrieve", (ctx) => {
    const claim = findClaim(ctx);
    return claim ? { status: 200, body: claimBody(claim) } : singleError("losses.claims.retrieve", "MATCHING_RESOURCE_NOT_FOUND");
  });

  v6(
    app,
    deps,
    "losses.claims.delete",
    (ctx) => {
      const list = claims(ctx);
      const i = list.findIndex((c) => c.claimId === ctx.params.claimId);
      if (i < 0) return singleError("losses.claims.delete", "MATCHING_RESOURCE_NOT_FOUND");
      list.splice(i, 1);
      return { status: 204 };
    },
    undefined,
    {},
  );

  v6(
    app,
    deps,
    "losses.claims.change-type",
    (ctx) => {
      const id = "losses.claims.change-type";
      const claim = findClaim(ctx);
      if (!claim) return singleError(id, "MATCHING_RESOURCE_NOT_FOUND");
      const { typeOfClaim } = ctx.body as { typeOfClaim: string };
      if (typeOfClaim === claim.typeOfClaim) return singleError(id, "RULE_NO_CHANGE");
      const invalid = claimTypeErrors(id, claim.typeOfLoss, typeOfClaim, claim.taxYearClaimedFor);
      if (invalid.length > 0) return singleError(id, invalid[0]!.code);
      claim.typeOfClaim = typeOfClaim;
      claim.lastModified = ctx.now.toISOString();
      return { status: 200, body: claimBody(claim) };
    },
    (ctx) => {
      const errors = validateRequestBody("losses.claims.change-type", undefined, ctx.body, { codes: BODY_CODES });
      if (errors.length > 0) return errors;
      const t = (ctx.body as { typeOfClaim: string }).typeOfClaim;
      return ["carry-forward", "carry-sideways", "carry-sideways-fhl", "carry-forward-to-carry-sideways"].includes(t) ? [] : [errorItem("losses.claims.change-type", "FORMAT_TYPE_OF_CLAIM", ["/typeOfClaim"])];
    },
    {},
  );

  v6(
    app,
    deps,
    "losses.claims.order",
    (ctx) => {
      const id = "losses.claims.order";
      const listed = (ctx.body as { listOfLossClaims: Array<{ claimId: string; sequence: number }> }).listOfLossClaims;
      const sideways = claims(ctx).filter((c) => c.taxYearClaimedFor === ctx.params.taxYearClaimedFor && c.typeOfClaim === "carry-sideways");
      if (listed.some((l) => !sideways.some((c) => c.claimId === l.claimId))) return singleError(id, "MATCHING_RESOURCE_NOT_FOUND");
      if (sideways.some((c) => !listed.some((l) => l.claimId === c.claimId))) return singleError(id, "RULE_LOSS_CLAIMS_MISSING");
      for (const l of listed) sideways.find((c) => c.claimId === l.claimId)!.sequence = l.sequence;
      return { status: 200 };
    },
    (ctx) => {
      const errors = validateRequestBody("losses.claims.order", undefined, ctx.body, { codes: BODY_CODES });
      if (errors.length > 0) return errors;
      const sequences = (ctx.body as { listOfLossClaims: Array<{ sequence: number }> }).listOfLossClaims.map((l) => l.sequence).sort((a, b) => a - b);
      const id = "losses.claims.order";
      if (sequences.some((s) => !Number.isInteger(s) || s < 1 || s > 99)) return [errorItem(id, "FORMAT_VALUE")];
      if (sequences[0] !== 1) return [errorItem(id, "RULE_INVALID_SEQUENCE_START")];
      return sequences.every((s, i) => s === i + 1) ? [] : [errorItem(id, "RULE_SEQUENCE_ORDER_BROKEN")];
    },
    {},
  );
}

function v7Rules(body: Json): HmrcErrorItem[] {
  const id = "losses.business.amend";
  const claims = isObject(body.claims) ? body.claims : {};
  const back = isObject(claims.carryBack) ? claims.carryBack : {};
  const sideways = isObject(claims.carrySideways) ? claims.carrySideways : {};
  const both = back.previousYearGeneralIncome !== undefined && sideways.currentYearGeneralIncome !== undefined;
  if (both && claims.preferenceOrder === undefined) return [errorItem(id, "RULE_MISSING_PREFERENCE_ORDER", ["/claims/preferenceOrder"])];
  if (!both && claims.preferenceOrder !== undefined) return [errorItem(id, "RULE_PREFERENCE_ORDER_NOT_ALLOWED", ["/claims/preferenceOrder"])];
  if (claims.carryForward !== undefined && back.terminalLosses !== undefined) return [errorItem(id, "RULE_CARRY_FORWARD_AND_TERMINAL_LOSS_NOT_ALLOWED")];
  return [];
}

function lossesAndClaimsRoutes(app: FastifyInstance, deps: HmrcRouteDeps): void {
  const key = (ctx: HmrcContext) => `${ctx.params.businessId}/${ctx.params.taxYear}`;
  const records = (ctx: HmrcContext) => ctx.state.yearEnd(ctx.nino).lossesAndClaims;

  registerHmrcRoute(app, deps, {
    endpoint: catalogueEndpoint("losses.business.amend"),
    lock: {},
    validate: (ctx) => validateRequestBody("losses.business.amend", ctx.params.taxYear, ctx.body, { codes: BODY_CODES, rules: v7Rules }),
    handle: (ctx) => {
      const id = "losses.business.amend";
      const business = ctx.state.business(ctx.nino, ctx.params.businessId!);
      if (!business) return singleError(id, "MATCHING_RESOURCE_NOT_FOUND");
      const body = ctx.body as Json;
      const claims = isObject(body.claims) ? body.claims : {};
      if (business.typeOfBusiness !== "self-employment" && claims.carryBack !== undefined) return singleError(id, "RULE_CARRY_BACK_CLAIM");
      // HMRC's sandbox-only `suspend-temporal-validations: true` allows in-year submissions.
      const suspended = ctx.header("suspend-temporal-validations")?.trim().toLowerCase() === "true";
      if (!suspended && !yearEnded(ctx.now, ctx.params.taxYear!)) return singleError(id, "RULE_TAX_YEAR_NOT_ENDED");
      records(ctx).set(key(ctx), { submittedOn: ctx.now.toISOString(), body: structuredClone(body) as SubmittedJson });
      return { status: 204 };
    },
  });

  registerHmrcRoute(app, deps, {
    endpoint: catalogueEndpoint("losses.business.retrieve"),
    handle: (ctx, variant) => {
      if (variant) return canned("losses.business.retrieve");
      const record = records(ctx).get(key(ctx));
      return record ? { status: 200, body: { submittedOn: record.submittedOn, ...structuredClone(record.body) } } : singleError("losses.business.retrieve", "MATCHING_RESOURCE_NOT_FOUND");
    },
  });

  registerHmrcRoute(app, deps, {
    endpoint: catalogueEndpoint("losses.business.delete"),
    lock: {},
    handle: (ctx) => (records(ctx).delete(key(ctx)) ? { status: 204 } : singleError("losses.business.delete", "MATCHING_RESOURCE_NOT_FOUND")),
  });
}

export function lossesRoutes(app: FastifyInstance, deps: HmrcRouteDeps): void {
  broughtForwardLossRoutes(app, deps);
  lossClaimRoutes(app, deps);
  lossesAndClaimsRoutes(app, deps);
}
