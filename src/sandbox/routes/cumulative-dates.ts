/**
 * The date rules HMRC's back end applies to every cumulative period summary (UK property, foreign property and
 * self-employment alike), one error each, in this order: annual (latent) year → dates not allowed, otherwise
 * both required; the start must be the basis' cumulative start or, for a business that started during the year,
 * its commencement date; the end must be a quarter end of the basis; not before an earlier submission's end; and
 * the clock no more than 10 days before the end. "Annual" is `reportsAnnually` (state.ts): a latent business or
 * an ITSA status of "Annual" for the year (Test Support).
 */
import { daysBetween, quartersOf, taxYearEnd, todayIso, type IsoDate, type TaxYear } from "../../mtd";
import { singleError, type ErrorResponse } from "../errors";
import { quarterBasisOf, type Business, type SubmissionPeriod } from "../state";

/** HMRC accepts a quarterly update from 10 days before the period ends. */
export const EARLY_SUBMISSION_DAYS = 10;

/** The first day a cumulative update for this business and year must start on, and the error when it does not. */
function expectedStart(b: Business, ty: TaxYear): { date: string; code: string } {
  const basisStart = quartersOf(ty, quarterBasisOf(b, ty))[0]!.cumulativeStart;
  const c = b.commencementDate;
  if (c && c > basisStart && c <= taxYearEnd(ty)) return { date: c, code: "RULE_START_DATE_NOT_ALIGNED_TO_COMMENCEMENT_DATE" };
  return { date: basisStart, code: "RULE_START_DATE_NOT_ALIGNED_WITH_REPORTING_TYPE" };
}

/** The first date rule `period` breaks for `business` in `taxYear`, as `endpointId` answers it; undefined = accept. */
export function cumulativeDateError(
  endpointId: string,
  business: Business,
  taxYear: TaxYear,
  period: SubmissionPeriod,
  previousToDate: string | undefined,
  now: Date,
  /** `reportsAnnually(state, nino, business, taxYear)`. */
  annual: boolean,
): ErrorResponse | undefined {
  const hasDates = period.fromDate !== undefined || period.toDate !== undefined;
  if (annual) return hasDates ? singleError(endpointId, "RULE_START_AND_END_DATE_NOT_ALLOWED") : undefined;
  if (period.fromDate === undefined || period.toDate === undefined) return singleError(endpointId, "RULE_MISSING_SUBMISSION_DATES");
  const start = expectedStart(business, taxYear);
  if (period.fromDate !== start.date) return singleError(endpointId, start.code);
  if (!quartersOf(taxYear, quarterBasisOf(business, taxYear)).some((q) => q.end === period.toDate)) {
    return singleError(endpointId, "RULE_END_DATE_NOT_ALIGNED_WITH_REPORTING_TYPE");
  }
  if (previousToDate !== undefined && period.toDate < previousToDate) return singleError(endpointId, "RULE_SUBMISSION_END_DATE_CANNOT_MOVE_BACKWARDS");
  if (daysBetween(todayIso(now), period.toDate as IsoDate) > EARLY_SUBMISSION_DAYS) return singleError(endpointId, "RULE_EARLY_DATA_SUBMISSION_NOT_ACCEPTED");
  return undefined;
}
