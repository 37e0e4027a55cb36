/**
 * The sandbox's tax calculation against hand-worked examples (England/NI, 2025-26 and 2026-27 rates:
 * PA £12,570 tapered over £100,000; 20% to £37,700 taxable, 40% to £125,140, 45% above; Class 4 6% £12,570–£50,270,
 * 2% above; finance-cost reduction 20% × lowest of costs, property profits, income over the allowance).
 */
import type { Pence, TaxYear } from "../../src/mtd";
import { calculateTax, type BusinessIncome, type TaxCalculation } from "../../src/sandbox/tax";

const gbp = (pounds: number): Pence => Math.round(pounds * 100) as Pence;

function calc(businesses: BusinessIncome[], taxYear = "2025-26"): TaxCalculation {
  const r = calculateTax({ taxYear: taxYear as TaxYear, businesses });
  if (!r.ok) throw new Error(r.reason);
  return r.calculation;
}

const se = (profit: number, lossesBroughtForward = 0): BusinessIncome => ({
  businessId: "XBIS12345678901",
  typeOfBusiness: "self-employment",
  netProfit: gbp(profit),
  lossesBroughtForward: gbp(lossesBroughtForward),
});
const ukp = (profit: number, financeCosts = 0, lossesBroughtForward = 0): BusinessIncome => ({
  businessId: "XPIS12345678901",
  typeOfBusiness: "uk-property",
  netProfit: gbp(profit),
  residentialFinanceCosts: gbp(financeCosts),
  lossesBroughtForward: gbp(lossesBroughtForward),
});

describe("sandbox tax calculation", () => {
  test("£30,000 UK property profit with £4,000 residential finance costs", () => {
    // Taxable 30,000 − 12,570 = 17,430; 17,430 × 20% = 3,486.00.
    // Reduction: 20% × min(4,000 costs, 30,000 profits, 17,430 over the allowance) = 800.00. Tax 2,686.00; no Class 4.
    const c = calc([ukp(30_000, 4_000)]);
    expect(c.personalAllowance).toBe(gbp(12_570));
    expect(c.taxableIncome).toBe(gbp(17_430));
    expect(c.bands).toEqual([{ name: "basic-rate", rate: 20, bandLimit: gbp(37_700), income: gbp(17_430), tax: gbp(3_486) }]);
    expect(c.incomeTaxCharged).toBe(gbp(3_486));
    expect(c.residentialFinanceCostsRelievable).toBe(gbp(4_000));
    expect(c.residentialFinanceCostsReduction).toBe(gbp(800));
    expect(c.incomeTaxDue).toBe(gbp(2_686));
    expect(c.class4Nic).toBe(0);
    expect(c.totalLiability).toBe(gbp(2_686));
  });

  test("£60,000 trading profit: higher rate and both Class 4 rates", () => {
    // Taxable 60,000 − 12,570 = 47,430: 37,700 × 20% = 7,540 + 9,730 × 40% = 3,892 → 11,432.
    // Class 4: (50,270 − 12,570) = 37,700 × 6% = 2,262 + (60,000 − 50,270) = 9,730 × 2% = 194.60 → 2,456.60.
    const c = calc([se(60_000)]);
    expect(c.taxableIncome).toBe(gbp(47_430));
    expect(c.bands.map((b) => [b.name, b.income, b.tax])).toEqual([
      ["basic-rate", gbp(37_700), gbp(7_540)],
      ["higher-rate", gbp(9_730), gbp(3_892)],
    ]);
    expect(c.incomeTaxDue).toBe(gbp(11_432));
    expect(c.class4Profits).toBe(gbp(60_000));
    expect(c.class4Nic).toBe(gbp(2_456.6));
    expect(c.totalLiability).toBe(gbp(13_888.6));
  });

  test("£110,000 combined (£70,000 trading + £40,000 property) tapers the allowance", () => {
    // Over £100,000 by 10,000 → allowance 12,570 − 5,000 = 7,570. Taxable 110,000 − 7,570 = 102,430:
    // 37,700 × 20% = 7,540 + 64,730 × 40% = 25,892 → 33,432. Class 4 on 70,000: 2,262 + 19,730 × 2% = 394.60 → 2,656.60.
    const c = calc([se(70_000), ukp(40_000)]);
    expect(c.totalIncome).toBe(gbp(110_000));
    expect(c.personalAllowanceReduction).toBe(gbp(5_000));
    expect(c.personalAllowance).toBe(gbp(7_570));
    expect(c.taxableIncome).toBe(gbp(102_430));
    expect(c.incomeTaxDue).toBe(gbp(33_432));
    expect(c.class4Nic).toBe(gbp(2_656.6));
    expect(c.totalLiability).toBe(gbp(36_088.6));
  });

  test("£200,000 trading profit: no allowance and the additional rate", () => {
    // Over £100,000 by 100,000 → taper 50,000 > 12,570 → allowance 0. Taxable 200,000:
    // 7,540 + (125,140 − 37,700) = 87,440 × 40% = 34,976 + (200,000 − 125,140) = 74,860 × 45% = 33,687 → 76,203.
    // Class 4: 2,262 + 149,730 × 2% = 2,994.60 → 5,256.60.
    const c = calc([se(200_000)], "2026-27");
    expect(c.personalAllowance).toBe(0);
    expect(c.bands.map((b) => b.tax)).toEqual([gbp(7_540), gbp(34_976), gbp(33_687)]);
    expect(c.incomeTaxDue).toBe(gbp(76_203));
    expect(c.class4Nic).toBe(gbp(5_256.6));
    expect(c.totalLiability).toBe(gbp(81_459.6));
  });

  test("a loss brought forward reduces the same business's profit, for tax and Class 4", () => {
    // 20,000 − 5,000 loss = 15,000. Tax (15,000 − 12,570) = 2,430 × 20% = 486. Class 4 2,430 × 6% = 145.80. Total 631.80.
    const c = calc([se(20_000, 5_000)]);
    expect(c.incomeBySource[0]).toMatchObject({ netProfit: gbp(20_000), lossesBroughtForwardUsed: gbp(5_000), taxableProfit: gbp(15_000) });
    expect(c.incomeTaxDue).toBe(gbp(486));
    expect(c.class4Nic).toBe(gbp(145.8));
    expect(c.totalLiability).toBe(gbp(631.8));
  });

  test("a Class-4-only loss brought forward reduces Class 4 profits, not income tax", () => {
    // 20,000 profit, 3,000 Class 4 loss: tax (20,000 − 12,570) × 20% = 1,486; Class 4 (17,000 − 12,570) × 6% = 265.80.
    const c = calc([{ ...se(20_000), class4LossesBroughtForward: gbp(3_000) }]);
    expect(c.incomeTaxDue).toBe(gbp(1_486));
    expect(c.class4Profits).toBe(gbp(17_000));
    expect(c.class4Nic).toBe(gbp(265.8));
  });

  test("a loss is not set against another business, and a bigger loss brought forward uses only the profit", () => {
    // SE 15,000 with 40,000 b/f: uses 15,000 (25,000 left). Property loss 3,000 is reported, not set against SE. Income 0.
    const c = calc([se(15_000, 40_000), ukp(-3_000)]);
    expect(c.incomeBySource).toEqual([
      expect.objectContaining({ typeOfBusiness: "self-employment", lossesBroughtForwardUsed: gbp(15_000), taxableProfit: 0 }),
      expect.objectContaining({ typeOfBusiness: "uk-property", netProfit: 0, netLoss: gbp(3_000), taxableProfit: 0 }),
    ]);
    expect(c.totalIncome).toBe(0);
    expect(c.totalLiability).toBe(0);
  });

  test("the finance-cost reduction is limited by income over the allowance and never makes tax negative", () => {
    // 14,000 profit, 4,000 costs: taxable 1,430 × 20% = 286; reduction 20% × min(4,000, 14,000, 1,430) = 286 → tax 0.
    const c = calc([ukp(14_000, 4_000)]);
    expect(c.incomeTaxCharged).toBe(gbp(286));
    expect(c.residentialFinanceCostsReduction).toBe(gbp(286));
    expect(c.incomeTaxDue).toBe(0);
  });

  test("the finance-cost reduction is limited by the property profit after losses", () => {
    // SE 50,000 + property 10,000 with a 7,000 loss b/f → property profit 3,000; costs 5,000 → 20% × 3,000 = 600.
    // Taxable 53,000 − 12,570 = 40,430: 7,540 + 2,730 × 40% = 1,092 → 8,632 − 600 = 8,032.
    const c = calc([se(50_000), ukp(10_000, 5_000, 7_000)]);
    expect(c.residentialFinanceCostsReduction).toBe(gbp(600));
    expect(c.incomeTaxDue).toBe(gbp(8_032));
  });

  test("profits round down to whole pounds; the finance-cost reduction rounds down to the penny", () => {
    // 12,571.99 → taxable profit 12,571 → taxable income 1 × 20% = 0.20.
    expect(calc([ukp(12_571.99)]).incomeTaxDue).toBe(20);
    // 20,000 profit, 0.99 finance costs: 20% × 0.99 = 0.198 → 0.19 off (20,000 − 12,570) × 20% = 1,486.00.
    const c = calc([ukp(20_000, 0.99)]);
    expect(c.residentialFinanceCostsReduction).toBe(19);
    expect(c.incomeTaxDue).toBe(gbp(1_486) - 19);
  });

  test("says what it does not model, and refuses years it has no rates for", () => {
    expect(calc([]).notModelled.join(" ")).toMatch(/Scottish/);
    expect(calculateTax({ taxYear: "2024-25" as TaxYear, businesses: [] })).toEqual({ ok: false, reason: "tax-year-not-modelled" });
  });
});
