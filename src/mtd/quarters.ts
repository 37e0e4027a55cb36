import { isoDate, type IsoDate } from "./dates";
import { taxYearStartYear, type TaxYear } from "./tax-year";

/** HMRC's two quarterly period types (Business Details `quarterlyPeriodType`). */
export type QuarterBasis = "standard" | "calendar";
export type QuarterNumber = 1 | 2 | 3 | 4;

export interface Quarter {
  readonly taxYear: TaxYear;
  readonly basis: QuarterBasis;
  readonly quarter: QuarterNumber;
  /** First day of this quarter alone. */
  readonly start: IsoDate;
  readonly end: IsoDate;
  /** First day of the year-to-date period a cumulative update for this quarter covers. */
  readonly cumulativeStart: IsoDate;
  /** Filing deadline: the 5th (to 2025-26) or 7th (from 2026-27) of the month after the standard quarter ends. */
  readonly due: IsoDate;
}

export const QUARTER_NUMBERS: readonly QuarterNumber[] = [1, 2, 3, 4];

/** Deadline day moved from the 5th to the 7th with tax year 2026-27 (HMRC obligations examples). */
function dueDay(startYear: number): number {
  return startYear >= 2026 ? 7 : 5;
}

/**
 * The four quarters of a tax year. Standard quarters run 6 Apr–5 Jul … 6 Jan–5 Apr; calendar quarters
 * 1 Apr–30 Jun … 1 Jan–31 Mar. Deadlines are the same for both (HMRC: 7 Aug, 7 Nov, 7 Feb, 7 May).
 */
export function quartersOf(taxYear: TaxYear, basis: QuarterBasis): readonly Quarter[] {
  const y = taxYearStartYear(taxYear);
  const day = dueDay(y);
  const dues = [isoDate(y, 8, day), isoDate(y, 11, day), isoDate(y + 1, 2, day), isoDate(y + 1, 5, day)];
  const bounds: Array<[IsoDate, IsoDate]> =
    basis === "standard"
      ? [
          [isoDate(y, 4, 6), isoDate(y, 7, 5)],
          [isoDate(y, 7, 6), isoDate(y, 10, 5)],
          [isoDate(y, 10, 6), isoDate(y + 1, 1, 5)],
          [isoDate(y + 1, 1, 6), isoDate(y + 1, 4, 5)],
        ]
      : [
          [isoDate(y, 4, 1), isoDate(y, 6, 30)],
          [isoDate(y, 7, 1), isoDate(y, 9, 30)],
          [isoDate(y, 10, 1), isoDate(y, 12, 31)],
          [isoDate(y + 1, 1, 1), isoDate(y + 1, 3, 31)],
        ];
  const cumulativeStart = bounds[0]![0];
  return QUARTER_NUMBERS.map((quarter, i) => ({
    taxYear,
    basis,
    quarter,
    start: bounds[i]![0],
    end: bounds[i]![1],
    cumulativeStart,
    due: dues[i]!,
  }));
}

export function quarterOf(taxYear: TaxYear, basis: QuarterBasis, quarter: QuarterNumber): Quarter {
  return quartersOf(taxYear, basis)[quarter - 1]!;
}

/** The quarter whose period ends on `end`, if any: how an obligation's period end picks the quarter. */
export function quarterEndingOn(taxYear: TaxYear, end: IsoDate): Quarter | undefined {
  for (const basis of ["standard", "calendar"] as const) {
    const q = quartersOf(taxYear, basis).find((x) => x.end === end);
    if (q) return q;
  }
  return undefined;
}
