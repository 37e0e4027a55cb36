/**
 * The body of Individual Calculations 8.0's retrieve, for the 2025-26 (def3) and 2026-27 (def4) schemas: a
 * schema-shaped subset — metadata, inputs (personal information, business income sources), calculation
 * (allowances, residential finance-cost relief, business profit and loss, income summary totals, tax calculation
 * with income tax bands and Class 4 NIC) and info messages saying what the sandbox does not model. Income figures
 * HMRC types as integers are whole pounds.
 */
import { penceToPounds, taxYearEnd, taxYearStart, type Pence, type TaxYear } from "../../mtd";
import type { TriggeredCalculationType } from "../state";
import { integerPounds, type TaxCalculation, type YearSource } from "../tax";

const pounds = integerPounds;
const money = (p: Pence): number => penceToPounds(p);

export interface CalculationRequest {
  readonly nino: string;
  readonly calculationId: string;
  readonly taxYear: TaxYear;
  readonly calculationType: TriggeredCalculationType;
  readonly timestamp: string;
}

function metadata(r: CalculationRequest): Record<string, unknown> {
  return {
    calculationId: r.calculationId,
    taxYear: r.taxYear,
    requestedBy: "customer",
    requestedTimestamp: r.timestamp,
    calculationReason: "customer-request",
    calculationTimestamp: r.timestamp,
    calculationType: r.calculationType,
    periodFrom: taxYearStart(r.taxYear),
    periodTo: taxYearEnd(r.taxYear),
  };
}

function inputs(r: CalculationRequest, sources: readonly YearSource[]): Record<string, unknown> {
  const start = taxYearStart(r.taxYear);
  const end = taxYearEnd(r.taxYear);
  return {
    personalInformation: { identifier: r.nino, taxRegime: "uk", itsaStatus: "MTD Mandated" },
    incomeSources: {
      businessIncomeSources: sources.map((s) => ({
        incomeSourceId: s.business.businessId,
        incomeSourceType: s.business.typeOfBusiness,
        ...(s.business.tradingName ? { incomeSourceName: s.business.tradingName } : {}),
        accountingPeriodStartDate: start,
        accountingPeriodEndDate: end,
        source: "MTD-SA",
        ...(s.business.commencementDate ? { commencementDate: s.business.commencementDate } : {}),
        ...(s.business.cessationDate ? { cessationDate: s.business.cessationDate } : {}),
        latestPeriodEndDate: s.latestPeriodEndDate ?? end,
        latestReceivedDateTime: s.latestReceivedDateTime,
      })),
    },
    ...(sources.some((s) => s.bsas)
      ? {
          annualAdjustments: sources
            .filter((s) => s.bsas)
            .map((s) => ({
              incomeSourceId: s.business.businessId,
              incomeSourceType: s.business.typeOfBusiness,
              bsasId: s.bsas!.calculationId,
              receivedDateTime: s.bsas!.adjustedDateTime ?? s.bsas!.requestedDateTime,
              applied: true,
            })),
        }
      : {}),
  };
}

function calculation(c: TaxCalculation, sources: readonly YearSource[]): Record<string, unknown> {
  const bySource = (type: string) => c.incomeBySource.filter((s) => s.typeOfBusiness === type).reduce((t, s) => t + pounds(s.taxableProfit), 0);
  const financeCosts = sources.filter((s) => s.business.typeOfBusiness === "uk-property").reduce((t, s) => t + s.figures.residentialFinanceCosts, 0) as Pence;
  return {
    allowancesAndDeductions: {
      personalAllowance: pounds(c.personalAllowance),
      ...(c.personalAllowanceReduction > 0 ? { reducedPersonalAllowance: pounds(c.personalAllowance) } : {}),
    },
    ...(c.residentialFinanceCostsReduction > 0 || financeCosts > 0
      ? {
          reliefs: {
            residentialFinanceCosts: {
              adjustedTotalIncome: money(c.totalIncome),
              relievableAmount: money(c.residentialFinanceCostsRelievable),
              rate: 20,
              totalResidentialFinanceCostsRelief: money(c.residentialFinanceCostsReduction),
              ...(financeCosts > 0 ? { ukProperty: { amountClaimed: pounds(financeCosts), allowableAmount: money(financeCosts) } } : {}),
            },
          },
        }
      : {}),
    businessProfitAndLoss: c.incomeBySource.map((s, i) => {
      const f = sources[i]!.figures;
      return {
        incomeSourceId: s.businessId,
        incomeSourceType: s.typeOfBusiness,
        totalIncome: money(Math.max(0, f.income) as Pence),
        totalExpenses: money(f.expenses),
        netProfit: money(Math.max(0, f.net) as Pence),
        netLoss: money(Math.max(0, -f.net) as Pence),
        totalAdditions: money(f.additions),
        totalDeductions: money(Math.max(0, f.deductions) as Pence),
        accountingAdjustments: money(f.accountingAdjustments),
        taxableProfit: pounds(s.netProfit),
        adjustedIncomeTaxLoss: pounds(s.netLoss),
        totalBroughtForwardIncomeTaxLosses: pounds(sources[i]!.lossesBroughtForward),
        broughtForwardIncomeTaxLossesUsed: pounds(s.lossesBroughtForwardUsed),
        taxableProfitAfterIncomeTaxLossesDeduction: pounds(s.taxableProfit),
      };
    }),
    incomeSummaryTotals: {
      totalSelfEmploymentProfit: bySource("self-employment"),
      totalPropertyProfit: bySource("uk-property") + bySource("foreign-property"),
      totalUKOtherPropertyProfit: bySource("uk-property"),
      totalForeignPropertyProfit: bySource("foreign-property"),
    },
    taxCalculation: {
      incomeTax: {
        totalIncomeReceivedFromAllSources: pounds(c.totalIncome),
        totalAllowancesAndDeductions: pounds(c.personalAllowance),
        totalTaxableIncome: pounds(c.taxableIncome),
        payPensionsProfit: {
          incomeReceived: pounds(c.totalIncome),
          allowancesAllocated: pounds(Math.min(c.personalAllowance, c.totalIncome) as Pence),
          taxableIncome: pounds(c.taxableIncome),
          incomeTaxAmount: money(c.incomeTaxCharged),
          taxBands: c.bands.map((b) => ({
            name: b.name,
            rate: b.rate,
            // HMRC documents a limit for every band; the additional rate's is open-ended.
            bandLimit: pounds(b.bandLimit ?? (99_999_999_999_00 as Pence)),
            apportionedBandLimit: pounds(b.bandLimit ?? (99_999_999_999_00 as Pence)),
            income: pounds(b.income),
            taxAmount: money(b.tax),
          })),
        },
        incomeTaxCharged: money(c.incomeTaxCharged),
        totalReliefs: money(c.residentialFinanceCostsReduction),
        incomeTaxDueAfterReliefs: money(c.incomeTaxDue),
        incomeTaxDueAfterTaxReductions: money(c.incomeTaxDue),
        totalIncomeTaxDue: money(c.incomeTaxDue),
      },
      ...(c.class4Profits > 0
        ? {
            nics: {
              class4Nics: {
                totalIncomeLiableToClass4Charge: pounds(c.class4Profits),
                totalIncomeChargeableToClass4: pounds(c.class4Profits),
                totalAmount: money(c.class4Nic),
                nic4Bands: c.class4Bands.map((b) => ({
                  name: b.name,
                  rate: b.rate,
                  ...(b.threshold !== undefined ? { threshold: pounds(b.threshold), apportionedThreshold: pounds(b.threshold) } : {}),
                  income: pounds(b.income),
                  amount: money(b.nic),
                })),
              },
              nic4NetOfDeductions: money(c.class4Nic),
              totalNic: money(c.class4Nic),
            },
          }
        : {}),
      totalIncomeTaxNicsCharged: money(c.totalLiability),
      totalIncomeTaxAndNicsDue: money(c.totalLiability),
    },
  };
}

/** Info messages: HMRC's ids are C + digits; these say what the sandbox leaves out. */
function notModelledMessages(c: TaxCalculation): Record<string, unknown> {
  return { info: c.notModelled.map((text, i) => ({ id: `C${String(90001 + i)}`, text: `Local sandbox does not model ${text}.` })) };
}

export function calculationRetrieveBody(r: CalculationRequest, sources: readonly YearSource[], c: TaxCalculation | undefined): Record<string, unknown> {
  return {
    metadata: metadata(r),
    inputs: inputs(r, sources),
    ...(c
      ? { calculation: calculation(c, sources), messages: notModelledMessages(c) }
      : { messages: { errors: [{ id: "C99999", text: `Local sandbox has no income tax rates for ${r.taxYear}; only 2025-26 and 2026-27 are calculated.` }] } }),
  };
}
