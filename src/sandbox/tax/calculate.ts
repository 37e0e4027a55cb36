/**
 * The sandbox's income tax calculation: right for the common MTD cases (UK/foreign property and self-employment
 * profits, England and Northern Ireland rates, 2025-26 and 2026-27), in integer pence. It is not HMRC's
 * calculation: `NOT_MODELLED` lists what it leaves out, and every figure is reproducible by hand (see
 * test/sandbox/tax.test.ts for worked examples).
 *
 * Order of the sums:
 *   1. each business: profit − losses brought forward for that business (never below zero), rounded down to whole
 *      pounds as HMRC's calculation does (its taxableProfit and income totals are integers); a loss is reported,
 *      not set against other income (sideways relief is not modelled);
 *   2. total income = Σ taxable profits; adjusted net income = total income (no pension or gift-aid grossing);
 *   3. personal allowance reduced by half the adjusted net income over £100,000 (ITA 2007 s35), never below 0;
 *   4. taxable income = total income − allowance, charged 20% to £37,700, 40% to £125,140, 45% above;
 *   5. residential finance-cost reduction (ITTOIA 2005 ss272A, 274A–274AA; HMRC Property Income Manual
 *      PIM2054): 20% of the LOWEST of (a) the finance costs, (b) the property profits of that business after
 *      losses brought forward, (c) adjusted total income over the personal allowance — here total income (all
 *      non-savings) minus the allowance; the reduction cannot take income tax below zero (s274A(4) caps it at
 *      the tax otherwise due). Unrelieved costs carried forward are not modelled;
 *   6. Class 4 NIC on self-employment profits after their losses, less any Class-4-only losses brought forward
 *      (HMRC's `self-employment-class4` loss type; SSCBA 1992 Sch 2 para 3): 6% between £12,570 and £50,270, 2% above;
 *   7. total liability = income tax after reductions + Class 4.
 * Each band's tax, and the reduction, is rounded down to the penny.
 */
import { ZERO, type Pence, type TaxYear } from "../../mtd";
import { ratesFor, type TaxRates } from "./rates";

export type IncomeSourceType = "self-employment" | "uk-property" | "foreign-property";

export interface BusinessIncome {
  readonly businessId: string;
  readonly typeOfBusiness: IncomeSourceType;
  /** Net profit (positive) or loss (negative) for the year, after any accounting adjustments. */
  readonly netProfit: Pence;
  /** Losses of this business brought forward from earlier years (≥ 0). */
  readonly lossesBroughtForward?: Pence;
  /** Losses brought forward that reduce only Class 4 profits (self-employment only, ≥ 0). */
  readonly class4LossesBroughtForward?: Pence;
  /** Residential finance costs disallowed as expenses and relieved as a basic-rate reduction (property only). */
  readonly residentialFinanceCosts?: Pence;
}

export interface TaxInput {
  readonly taxYear: TaxYear;
  readonly businesses: readonly BusinessIncome[];
}

export interface IncomeBySource {
  readonly businessId: string;
  readonly typeOfBusiness: IncomeSourceType;
  readonly netProfit: Pence;
  readonly netLoss: Pence;
  readonly lossesBroughtForwardUsed: Pence;
  /** Profit left to tax after losses brought forward, in whole pounds (HMRC rounds down). */
  readonly taxableProfit: Pence;
}

export interface TaxBand {
  readonly name: "basic-rate" | "higher-rate" | "additional-rate";
  readonly rate: number;
  /** The upper limit of the band in taxable income; none for the additional rate. */
  readonly bandLimit?: Pence;
  readonly income: Pence;
  readonly tax: Pence;
}

export interface Class4Band {
  /** HMRC's names: zero-rate to the lower limit, basic-rate (6%) to the upper, higher-rate (2%) above. */
  readonly name: "zero-rate" | "basic-rate" | "higher-rate";
  readonly rate: number;
  /** The band's upper limit of profits; none for the top band. */
  readonly threshold?: Pence;
  readonly income: Pence;
  readonly nic: Pence;
}

export interface TaxCalculation {
  readonly taxYear: TaxYear;
  readonly incomeBySource: readonly IncomeBySource[];
  readonly totalIncome: Pence;
  readonly personalAllowance: Pence;
  /** How much the £100,000 taper took off the full allowance. */
  readonly personalAllowanceReduction: Pence;
  readonly taxableIncome: Pence;
  readonly bands: readonly TaxBand[];
  readonly incomeTaxCharged: Pence;
  /** The lowest of finance costs, property profits and income over the allowance: 20% of it is the reduction. */
  readonly residentialFinanceCostsRelievable: Pence;
  readonly residentialFinanceCostsReduction: Pence;
  readonly incomeTaxDue: Pence;
  readonly class4Profits: Pence;
  readonly class4Bands: readonly Class4Band[];
  readonly class4Nic: Pence;
  readonly totalLiability: Pence;
  readonly notModelled: readonly string[];
}

/** What this calculation leaves out; surfaced to users as the calculation's info messages. */
export const NOT_MODELLED: readonly string[] = [
  "Scottish and Welsh income tax rates (England and Northern Ireland rates are used)",
  "savings and dividend income, the starting rate for savings and the personal savings and dividend allowances",
  "employment, pension, benefit and other non-business income",
  "gift aid and pension contributions (band extension and adjusted net income)",
  "marriage allowance, blind person's allowance and other allowances",
  "Class 2 National Insurance",
  "High Income Child Benefit Charge and student loan repayments",
  "sideways and carry-back loss relief, and finance costs carried forward",
  "payments on account, tax deducted at source and foreign tax credit relief",
];

export type TaxCalculationResult = { ok: true; calculation: TaxCalculation } | { ok: false; reason: "tax-year-not-modelled" };

const pct = (amount: Pence, rate: number): Pence => Math.floor((amount * rate) / 100) as Pence;
const min = (...amounts: Pence[]): Pence => Math.min(...amounts) as Pence;
const pos = (amount: number): Pence => Math.max(0, amount) as Pence;
/** Rounds down to whole pounds (still in pence). */
const wholePounds = (amount: Pence): Pence => (Math.floor(amount / 100) * 100) as Pence;
/** HMRC's integer pound fields (taxableProfit, income totals): whole pounds, rounded down, never negative. */
export const integerPounds = (amount: Pence): number => Math.floor(Math.max(0, amount) / 100);

function incomeOf(b: BusinessIncome): IncomeBySource {
  const profit = pos(b.netProfit);
  const used = min(profit, pos(b.lossesBroughtForward ?? ZERO));
  return {
    businessId: b.businessId,
    typeOfBusiness: b.typeOfBusiness,
    netProfit: profit,
    netLoss: pos(-b.netProfit),
    lossesBroughtForwardUsed: used,
    taxableProfit: wholePounds((profit - used) as Pence),
  };
}

function allowance(r: TaxRates, adjustedNetIncome: Pence): Pence {
  const reduction = Math.floor(pos(adjustedNetIncome - r.allowanceTaperThreshold) / 2);
  return pos(r.personalAllowance - reduction);
}

function incomeTaxBands(r: TaxRates, taxable: Pence): TaxBand[] {
  const basic = min(taxable, r.basicRateLimit);
  const higher = min(pos(taxable - r.basicRateLimit), (r.higherRateLimit - r.basicRateLimit) as Pence);
  const additional = pos(taxable - r.higherRateLimit);
  const bands: TaxBand[] = [
    { name: "basic-rate", rate: r.basicRate, bandLimit: r.basicRateLimit, income: basic, tax: pct(basic, r.basicRate) },
    { name: "higher-rate", rate: r.higherRate, bandLimit: r.higherRateLimit, income: higher, tax: pct(higher, r.higherRate) },
    { name: "additional-rate", rate: r.additionalRate, income: additional, tax: pct(additional, r.additionalRate) },
  ];
  return bands.filter((b) => b.income > 0);
}

function class4(r: TaxRates, profits: Pence): Class4Band[] {
  const zero = min(profits, r.class4LowerProfitsLimit);
  const main = min(pos(profits - r.class4LowerProfitsLimit), (r.class4UpperProfitsLimit - r.class4LowerProfitsLimit) as Pence);
  const upper = pos(profits - r.class4UpperProfitsLimit);
  const bands: Class4Band[] = [
    { name: "zero-rate", rate: 0, threshold: r.class4LowerProfitsLimit, income: zero, nic: ZERO },
    { name: "basic-rate", rate: r.class4MainRate, threshold: r.class4UpperProfitsLimit, income: main, nic: pct(main, r.class4MainRate) },
    { name: "higher-rate", rate: r.class4AdditionalRate, income: upper, nic: pct(upper, r.class4AdditionalRate) },
  ];
  return bands.filter((b) => b.income > 0);
}

const sum = (amounts: readonly Pence[]): Pence => amounts.reduce((a, b) => a + b, 0) as Pence;

export function calculateTax(input: TaxInput): TaxCalculationResult {
  const r = ratesFor(input.taxYear);
  if (!r) return { ok: false, reason: "tax-year-not-modelled" };
  const incomeBySource = input.businesses.map(incomeOf);
  const totalIncome = sum(incomeBySource.map((s) => s.taxableProfit));
  const personalAllowance = allowance(r, totalIncome);
  const taxableIncome = pos(totalIncome - personalAllowance);
  const bands = incomeTaxBands(r, taxableIncome);
  const incomeTaxCharged = sum(bands.map((b) => b.tax));

  // (a) and (b) per property business, then (c) across them all.
  const relievable = sum(
    input.businesses.map((b, i) => (b.typeOfBusiness === "self-employment" ? ZERO : min(pos(b.residentialFinanceCosts ?? ZERO), incomeBySource[i]!.taxableProfit))),
  );
  // (c): adjusted total income over the allowance; with only non-savings income modelled that is taxable income.
  const reliefBase = min(relievable, taxableIncome);
  const residentialFinanceCostsReduction = min(pct(reliefBase, r.financeCostReliefRate), incomeTaxCharged);
  const incomeTaxDue = (incomeTaxCharged - residentialFinanceCostsReduction) as Pence;

  const class4Profits = sum(
    input.businesses.map((b, i) => (b.typeOfBusiness === "self-employment" ? pos(incomeBySource[i]!.taxableProfit - pos(b.class4LossesBroughtForward ?? ZERO)) : ZERO)),
  );
  const class4Bands = class4(r, class4Profits);
  const class4Nic = sum(class4Bands.map((b) => b.nic));

  return {
    ok: true,
    calculation: {
      taxYear: input.taxYear,
      incomeBySource,
      totalIncome,
      personalAllowance,
      personalAllowanceReduction: (r.personalAllowance - personalAllowance) as Pence,
      taxableIncome,
      bands,
      incomeTaxCharged,
      residentialFinanceCostsRelievable: reliefBase,
      residentialFinanceCostsReduction,
      incomeTaxDue,
      class4Profits,
      class4Bands,
      class4Nic,
      totalLiability: (incomeTaxDue + class4Nic) as Pence,
      notModelled: NOT_MODELLED,
    },
  };
}
