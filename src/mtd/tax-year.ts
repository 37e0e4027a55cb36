import { isoDate, type IsoDate } from "./dates";
import { err, ok, type Result } from "./result";

declare const taxYearBrand: unique symbol;
/** A UK tax year as HMRC's APIs write it: `2025-26` runs 6 April 2025 to 5 April 2026. */
export type TaxYear = string & { readonly [taxYearBrand]: true };

const TAX_YEAR = /^20([1-9][0-9])-([1-9][0-9])$/;

export type TaxYearError = "FORMAT_TAX_YEAR" | "RULE_TAX_YEAR_RANGE_INVALID";

/** Validates HMRC's tax-year format and that the two years are consecutive (HMRC's two checks, in order). */
export function parseTaxYear(input: unknown): Result<TaxYear, TaxYearError> {
  if (typeof input !== "string") return err("FORMAT_TAX_YEAR");
  const m = TAX_YEAR.exec(input);
  if (!m) return err("FORMAT_TAX_YEAR");
  if (Number(m[2]) - Number(m[1]) !== 1) return err("RULE_TAX_YEAR_RANGE_INVALID");
  return ok(input as TaxYear);
}

export function isTaxYear(input: unknown): input is TaxYear {
  return parseTaxYear(input).ok;
}

/** The calendar year in which the tax year starts (2025 for 2025-26). */
export function taxYearStartYear(ty: TaxYear): number {
  return Number(ty.slice(0, 4));
}

export function taxYearFromStartYear(startYear: number): TaxYear {
  const end = String((startYear + 1) % 100).padStart(2, "0");
  return `${startYear}-${end}` as TaxYear;
}

export function taxYearStart(ty: TaxYear): IsoDate {
  return isoDate(taxYearStartYear(ty), 4, 6);
}

export function taxYearEnd(ty: TaxYear): IsoDate {
  return isoDate(taxYearStartYear(ty) + 1, 4, 5);
}

/** The tax year a date falls in. */
export function taxYearOf(date: IsoDate): TaxYear {
  const year = Number(date.slice(0, 4));
  const startsThisYear = date >= isoDate(year, 4, 6);
  return taxYearFromStartYear(startsThisYear ? year : year - 1);
}

export function compareTaxYears(a: TaxYear, b: TaxYear): number {
  return taxYearStartYear(a) - taxYearStartYear(b);
}

export function nextTaxYear(ty: TaxYear): TaxYear {
  return taxYearFromStartYear(taxYearStartYear(ty) + 1);
}

export function previousTaxYear(ty: TaxYear): TaxYear {
  return taxYearFromStartYear(taxYearStartYear(ty) - 1);
}
