/**
 * Income tax and Class 4 NIC rates for England and Northern Ireland, in integer pence, per tax year modelled.
 * Sources: GOV.UK "Income Tax rates and Personal Allowances" (gov.uk/income-tax-rates) and "Rates and thresholds
 * for employers 2025 to 2026" / Autumn Budget 2025 (thresholds frozen to April 2031); Class 4: gov.uk/self-employed-
 * national-insurance-rates. The personal allowance, bands and Class 4 limits are the same for 2025-26 and 2026-27.
 */
import type { Pence, TaxYear } from "../../mtd";

export interface TaxRates {
  readonly personalAllowance: Pence;
  /** The allowance falls by £1 for every £2 of adjusted net income over this (ITA 2007 s35). */
  readonly allowanceTaperThreshold: Pence;
  /** Basic-rate band: taxable income up to this is taxed at `basicRate`. */
  readonly basicRateLimit: Pence;
  /** Taxable income above this is taxed at `additionalRate`; between the limits at `higherRate`. */
  readonly higherRateLimit: Pence;
  /** Percentages. */
  readonly basicRate: number;
  readonly higherRate: number;
  readonly additionalRate: number;
  /** The rate of the finance-cost tax reduction (the basic rate, ITTOIA 2005 s274A). */
  readonly financeCostReliefRate: number;
  readonly class4LowerProfitsLimit: Pence;
  readonly class4UpperProfitsLimit: Pence;
  readonly class4MainRate: number;
  readonly class4AdditionalRate: number;
}

const FROZEN_2025_TO_2027: TaxRates = {
  personalAllowance: 1_257_000 as Pence,
  allowanceTaperThreshold: 10_000_000 as Pence,
  basicRateLimit: 3_770_000 as Pence,
  higherRateLimit: 12_514_000 as Pence,
  basicRate: 20,
  higherRate: 40,
  additionalRate: 45,
  financeCostReliefRate: 20,
  class4LowerProfitsLimit: 1_257_000 as Pence,
  class4UpperProfitsLimit: 5_027_000 as Pence,
  class4MainRate: 6,
  class4AdditionalRate: 2,
};

const RATES: Readonly<Record<string, TaxRates>> = {
  "2025-26": FROZEN_2025_TO_2027,
  "2026-27": FROZEN_2025_TO_2027,
};

export const MODELLED_TAX_YEARS: readonly string[] = Object.keys(RATES);

/** The year's rates, or undefined for a year this calculation does not model. */
export function ratesFor(taxYear: TaxYear): TaxRates | undefined {
  return RATES[taxYear];
}
