/**
 * What the tax calculation is computed from, for one NINO and tax year: each business with a cumulative or annual
 * submission that year, its figures (after the adjustments of its latest BSAS, when adjusted and still valid), and its losses
 * brought forward — Individual Losses 6.0 losses brought forward from an earlier year (to 2025-26; the
 * `self-employment-class4` type only against Class 4 profits), or the 7.0 `losses.broughtForwardLosses` for the
 * business and year (from 2026-27).
 */
import { addPence, compareTaxYears, poundsToPence, ZERO, type Pence, type TaxYear } from "../../mtd";
import type { SubmissionBusinessType } from "../figures";
import type { Business, BsasTypeOfBusiness, SandboxState, StoredBsas } from "../state";
import { adjustedFigures, adjustmentDeltas, submittedFigures, type BusinessFigures } from "./business-figures";
import type { BusinessIncome } from "./calculate";

export interface YearSource {
  readonly business: Business & { typeOfBusiness: BsasTypeOfBusiness };
  readonly figures: BusinessFigures;
  /** The adjusted BSAS whose figures were used. */
  readonly bsas?: StoredBsas;
  readonly lossesBroughtForward: Pence;
  readonly class4LossesBroughtForward: Pence;
  readonly latestPeriodEndDate?: string;
  readonly latestReceivedDateTime: string;
}

const TYPES: readonly string[] = ["self-employment", "uk-property", "foreign-property"];

/** The latest BSAS triggered for the business and year: the only one HMRC treats as valid. */
export function latestBsas(state: SandboxState, nino: string, businessId: string, taxYear: string): StoredBsas | undefined {
  const all = state.yearEnd(nino).bsas.filter((b) => b.businessId === businessId && b.taxYear === taxYear);
  return all[all.length - 1];
}

/**
 * HMRC's summaryStatus: `superseded` once a later summary exists for the business and year; `invalid` when the
 * submissions changed after it was triggered (HMRC: "Periodic data has changed. Request a new summary"); else `valid`.
 */
export function bsasStatus(state: SandboxState, nino: string, b: StoredBsas): "valid" | "invalid" | "superseded" {
  if (latestBsas(state, nino, b.businessId, b.taxYear)?.calculationId !== b.calculationId) return "superseded";
  const same = (now: { submittedOn: string } | undefined, then: { submittedOn: string } | undefined) => now?.submittedOn === then?.submittedOn;
  const unchanged = same(state.cumulative(nino, b.businessId, b.taxYear), b.snapshot.cumulative) && same(state.annual(nino, b.businessId, b.taxYear), b.snapshot.annual);
  return unchanged ? "valid" : "invalid";
}

/** The figures a BSAS shows: its snapshot of the submissions, and the same after its adjustments. */
export function bsasFigures(b: StoredBsas): { adjustable: BusinessFigures; adjusted: BusinessFigures } {
  const adjustable = submittedFigures(b.typeOfBusiness as SubmissionBusinessType, b.snapshot.cumulative, b.snapshot.annual);
  const adjusted = b.adjustments ? adjustedFigures(adjustable, adjustmentDeltas(b.typeOfBusiness, b.adjustments)) : adjustable;
  return { adjustable, adjusted };
}

/** HMRC's loss type for losses that reduce only Class 4 profits. */
const CLASS4_ONLY = "self-employment-class4";

function lossesBroughtForward(state: SandboxState, nino: string, businessId: string, taxYear: TaxYear, class4Only = false): Pence {
  const ye = state.yearEnd(nino);
  let total: Pence = ZERO;
  for (const l of ye.broughtForwardLosses) {
    const earlier = compareTaxYears(l.taxYearBroughtForwardFrom as TaxYear, taxYear) < 0;
    if (l.businessId === businessId && earlier && (l.typeOfLoss === CLASS4_ONLY) === class4Only) total = addPence(total, poundsToPence(l.lossAmount));
  }
  if (class4Only) return total;
  const v7 = ye.lossesAndClaims.get(`${businessId}/${taxYear}`)?.body.losses;
  const bfl = typeof v7 === "object" && v7 !== null ? (v7 as Record<string, unknown>).broughtForwardLosses : undefined;
  if (typeof bfl === "number") total = addPence(total, poundsToPence(bfl));
  return total;
}

export function yearSources(state: SandboxState, nino: string, taxYear: TaxYear): YearSource[] {
  const out: YearSource[] = [];
  for (const business of state.taxpayer(nino).businesses) {
    if (!TYPES.includes(business.typeOfBusiness)) continue;
    const b = business as YearSource["business"];
    const cumulative = state.cumulative(nino, b.businessId, taxYear);
    const annual = state.annual(nino, b.businessId, taxYear);
    if (!cumulative && !annual) continue;
    const bsas = latestBsas(state, nino, b.businessId, taxYear);
    // An adjusted summary counts only while it still describes what was submitted.
    const adjusted = bsas?.adjustments && bsasStatus(state, nino, bsas) === "valid" ? bsas : undefined;
    const times = [cumulative?.submittedOn, annual?.submittedOn].filter((t): t is string => t !== undefined).sort();
    out.push({
      business: b,
      figures: adjusted ? bsasFigures(adjusted).adjusted : submittedFigures(b.typeOfBusiness, cumulative, annual),
      ...(adjusted ? { bsas: adjusted } : {}),
      lossesBroughtForward: lossesBroughtForward(state, nino, b.businessId, taxYear),
      class4LossesBroughtForward: lossesBroughtForward(state, nino, b.businessId, taxYear, true),
      ...(cumulative?.toDate ? { latestPeriodEndDate: cumulative.toDate } : {}),
      latestReceivedDateTime: times[times.length - 1]!,
    });
  }
  return out;
}

export function taxInputOf(sources: readonly YearSource[]): BusinessIncome[] {
  return sources.map((s) => ({
    businessId: s.business.businessId,
    typeOfBusiness: s.business.typeOfBusiness,
    netProfit: s.figures.result,
    lossesBroughtForward: s.lossesBroughtForward,
    class4LossesBroughtForward: s.class4LossesBroughtForward,
    residentialFinanceCosts: s.figures.residentialFinanceCosts,
  }));
}
