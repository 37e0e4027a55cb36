/**
 * Individual Calculations 8.0: trigger, list, retrieve, and submit (final declaration / confirm amendment).
 * Calculations run synchronously on the submissions as they stand (HMRC's are asynchronous; ours are ready as soon
 * as the 202 is sent), using src/sandbox/tax. Rules, in order (see README):
 *   trigger — intent-to-amend before 2025-26: RULE_CALCULATION_TYPE_NOT_ALLOWED; a declared year: in-year and
 *   intent-to-finalise → RULE_FINAL_DECLARATION_RECEIVED; intent-to-finalise before the year ends →
 *   RULE_TAX_YEAR_NOT_ENDED; intent-to-amend with no declaration → RULE_DECLARATION_NOT_RECEIVED, after the
 *   amendment window (state.ts) → RULE_OUTSIDE_AMENDMENT_WINDOW; nothing submitted
 *   for the year → RULE_NO_INCOME_SUBMISSIONS_EXIST.
 *   submit — unknown calculation for this NINO and year → 404; final-declaration: year not ended →
 *   RULE_FINAL_DECLARATION_TAX_YEAR, already declared → RULE_FINAL_DECLARATION_RECEIVED, not an intent-to-finalise
 *   calculation → RULE_SUBMISSION_FAILED; confirm-amendment: before 2025-26 or not an intent-to-amend calculation →
 *   RULE_SUBMISSION_FAILED; either: a submission received after the calculation → RULE_RECENT_SUBMISSIONS_EXIST.
 * A final declaration locks the year: `SandboxState.isFinalised` is what submission endpoints consult.
 */
import { randomUUID } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { compareTaxYears, taxYearEnd, todayIso, type HmrcErrorItem, type TaxYear } from "../../mtd";
import { errorItem, singleError } from "../errors";
import { catalogueEndpoint, registerHmrcRoute, type HmrcContext, type HmrcRouteDeps } from "../hmrc-route";
import { amendmentWindowClosed, pushBounded, type StoredCalculation, type TriggeredCalculationType } from "../state";
import { calculateTax, taxInputOf, yearSources } from "../tax";
import { cannedExample } from "./canned";
import { calculationRetrieveBody } from "./calculations-response";

const TRIGGER = "calculations.trigger";
const LIST = "calculations.list";
const RETRIEVE = "calculations.retrieve";
const SUBMIT = "calculations.submit";
/** Amendments through the API (intent-to-amend, confirm-amendment) start with 2025-26. */
const AMENDMENTS_FROM = "2025-26" as TaxYear;
const LIST_TYPES = ["in-year", "intent-to-finalise", "final-declaration", "intent-to-amend", "confirm-amendment"];

const before = (ty: string, other: TaxYear) => compareTaxYears(ty as TaxYear, other) < 0;
/** The tax year has ended once the clock is past 5 April. */
const yearEnded = (ctx: HmrcContext) => todayIso(ctx.now) > taxYearEnd(ctx.params.taxYear as TaxYear);

function findCalculation(ctx: HmrcContext): StoredCalculation | undefined {
  return ctx.state.yearEnd(ctx.nino).calculations.find((c) => c.calculationId === ctx.params.calculationId && c.taxYear === ctx.params.taxYear);
}

/** What the list and retrieve call a calculation once it has been submitted. */
function listType(c: StoredCalculation): string {
  return c.submitted?.type ?? c.calculationType;
}

function retrieveBody(c: StoredCalculation): unknown {
  const body = structuredClone(c.retrieve) as { metadata: Record<string, unknown> };
  if (c.submitted?.type === "final-declaration") Object.assign(body.metadata, { calculationType: "declare-finalisation", finalisationTimestamp: c.submitted.timestamp });
  if (c.submitted?.type === "confirm-amendment") Object.assign(body.metadata, { calculationType: "confirm-amendment", confirmationTimestamp: c.submitted.timestamp });
  return body;
}

/** HMRC's example for the tax year's schema (its examples are named by year; "2023-24 and before" covers the early ones). */
function cannedRetrieve(taxYear: string): unknown {
  return cannedExample(RETRIEVE, [], before(taxYear, "2023-24" as TaxYear) ? "2023-24" : taxYear) ?? {};
}

function trigger(ctx: HmrcContext) {
  const type = ctx.params.calculationType as TriggeredCalculationType;
  const ty = ctx.params.taxYear as TaxYear;
  const declared = ctx.state.isFinalised(ctx.nino, ty);
  if (type !== "intent-to-amend" && declared) return singleError(TRIGGER, "RULE_FINAL_DECLARATION_RECEIVED");
  if (type !== "in-year" && !yearEnded(ctx)) return singleError(TRIGGER, "RULE_TAX_YEAR_NOT_ENDED");
  if (type === "intent-to-amend" && !declared) return singleError(TRIGGER, "RULE_DECLARATION_NOT_RECEIVED");
  if (type === "intent-to-amend" && amendmentWindowClosed(ty, ctx.now)) return singleError(TRIGGER, "RULE_OUTSIDE_AMENDMENT_WINDOW");
  const sources = yearSources(ctx.state, ctx.nino, ty);
  if (sources.length === 0) return singleError(TRIGGER, "RULE_NO_INCOME_SUBMISSIONS_EXIST");

  const calculationId = randomUUID();
  const timestamp = ctx.now.toISOString();
  const result = calculateTax({ taxYear: ty, businesses: taxInputOf(sources) });
  const calc = result.ok ? result.calculation : undefined;
  pushBounded(ctx.state.yearEnd(ctx.nino).calculations, {
    calculationId,
    taxYear: ty,
    calculationType: type,
    calculationTimestamp: timestamp,
    liability: calc?.totalLiability ?? 0,
    retrieve: calculationRetrieveBody({ nino: ctx.nino, calculationId, taxYear: ty, calculationType: type, timestamp }, sources, calc),
  });
  if (type === "intent-to-amend") ctx.state.yearEnd(ctx.nino).amending.add(ty);
  return { status: 202, body: { calculationId } };
}

function submit(ctx: HmrcContext) {
  const type = ctx.params.calculationType as "final-declaration" | "confirm-amendment";
  const ty = ctx.params.taxYear as TaxYear;
  const calc = findCalculation(ctx);
  if (!calc) return singleError(SUBMIT, "MATCHING_RESOURCE_NOT_FOUND");
  if (type === "final-declaration") {
    if (!yearEnded(ctx)) return singleError(SUBMIT, "RULE_FINAL_DECLARATION_TAX_YEAR");
    if (ctx.state.isFinalised(ctx.nino, ty)) return singleError(SUBMIT, "RULE_FINAL_DECLARATION_RECEIVED");
    if (calc.calculationType !== "intent-to-finalise") return singleError(SUBMIT, "RULE_SUBMISSION_FAILED");
  } else if (before(ty, AMENDMENTS_FROM) || calc.calculationType !== "intent-to-amend" || calc.submitted) {
    return singleError(SUBMIT, "RULE_SUBMISSION_FAILED");
  }
  const sources = yearSources(ctx.state, ctx.nino, ty);
  if (sources.length === 0) return singleError(SUBMIT, "RULE_NO_INCOME_SUBMISSIONS_EXIST");
  if (sources.some((s) => s.latestReceivedDateTime > calc.calculationTimestamp || (s.bsas?.adjustedDateTime ?? "") > calc.calculationTimestamp)) {
    return singleError(SUBMIT, "RULE_RECENT_SUBMISSIONS_EXIST");
  }
  const timestamp = ctx.now.toISOString();
  calc.submitted = { type, timestamp };
  const yearEnd = ctx.state.yearEnd(ctx.nino);
  yearEnd.declarations.set(ty, { calculationId: calc.calculationId, timestamp });
  yearEnd.amending.delete(ty); // a confirmed amendment locks the year again
  return { status: 204 };
}

function validateListQuery(ctx: HmrcContext): HmrcErrorItem[] {
  const type = ctx.query.calculationType;
  if (type === undefined) return [];
  if (!LIST_TYPES.includes(type)) return [errorItem(LIST, "FORMAT_CALCULATION_TYPE")];
  if ((type === "intent-to-amend" || type === "confirm-amendment") && before(ctx.params.taxYear!, AMENDMENTS_FROM)) {
    return [errorItem(LIST, "RULE_CALCULATION_TYPE_NOT_ALLOWED")];
  }
  return [];
}

export function calculationsRoutes(app: FastifyInstance, deps: HmrcRouteDeps): void {
  registerHmrcRoute(app, deps, {
    endpoint: catalogueEndpoint(TRIGGER),
    validate: (ctx) =>
      ctx.params.calculationType === "intent-to-amend" && before(ctx.params.taxYear!, AMENDMENTS_FROM) ? [errorItem(TRIGGER, "RULE_CALCULATION_TYPE_NOT_ALLOWED")] : [],
    handle: trigger,
  });

  registerHmrcRoute(app, deps, {
    endpoint: catalogueEndpoint(LIST),
    validate: validateListQuery,
    handle: (ctx) => {
      const wanted = ctx.query.calculationType;
      const calcs = ctx.state
        .yearEnd(ctx.nino)
        .calculations.filter((c) => c.taxYear === ctx.params.taxYear && (wanted === undefined || listType(c) === wanted))
        .sort((a, b) => b.calculationTimestamp.localeCompare(a.calculationTimestamp));
      if (calcs.length === 0) return singleError(LIST, "MATCHING_RESOURCE_NOT_FOUND");
      return {
        status: 200,
        body: {
          calculations: calcs.map((c) => ({
            calculationId: c.calculationId,
            calculationTimestamp: c.calculationTimestamp,
            calculationType: listType(c),
            calculationTrigger: "attended",
            calculationOutcome: (c.retrieve as { calculation?: unknown }).calculation ? "PROCESSED" : "ERROR",
            liabilityAmount: c.liability / 100,
          })),
        },
      };
    },
  });

  registerHmrcRoute(app, deps, {
    endpoint: catalogueEndpoint(RETRIEVE),
    handle: (ctx, variant) => {
      if (variant) return { status: 200, body: cannedRetrieve(ctx.params.taxYear!) };
      const calc = findCalculation(ctx);
      return calc ? { status: 200, body: retrieveBody(calc) } : singleError(RETRIEVE, "MATCHING_RESOURCE_NOT_FOUND");
    },
  });

  registerHmrcRoute(app, deps, { endpoint: catalogueEndpoint(SUBMIT), handle: submit });
}
