/**
 * HMRC's end-to-end journey (MTD ITSA service guide) against the sandbox, for each business type: four quarterly
 * cumulative updates (each fulfilling its obligation), the annual submission, BISS, BSAS trigger / retrieve /
 * adjust / list, a tax calculation, and the final declaration. The figures returned must agree with those
 * submitted; every sum is stated.
 */
import type { FastifyInstance } from "fastify";
import { getEndpoint } from "../../src/mtd";
import { call, clockAt, connect, FP, NINO, sandbox, SE, UKP, type Clock, type Response } from "./helpers";

function url(id: string, params: Record<string, string>): string {
  return getEndpoint(id).path.replace(/\{(\w+)\}/g, (_m, n: string) => ({ nino: NINO, ...params })[n]!);
}

/** Standard quarter ends of a tax year and when the test submits each (15 days later). */
const QUARTERS: Record<string, Array<{ end: string; at: string }>> = {
  "2025-26": [
    { end: "2025-07-05", at: "2025-07-20T09:00:00Z" },
    { end: "2025-10-05", at: "2025-10-20T09:00:00Z" },
    { end: "2026-01-05", at: "2026-01-20T09:00:00Z" },
    { end: "2026-04-05", at: "2026-04-20T09:00:00Z" },
  ],
  "2026-27": [
    { end: "2026-07-05", at: "2026-07-20T09:00:00Z" },
    { end: "2026-10-05", at: "2026-10-20T09:00:00Z" },
    { end: "2027-01-05", at: "2027-01-20T09:00:00Z" },
    { end: "2027-04-05", at: "2027-04-20T09:00:00Z" },
  ],
};

interface JourneyCase {
  name: string;
  type: "uk-property" | "self-employment" | "foreign-property";
  businessId: string;
  taxYear: string;
  cumulativeId: string;
  annualId: string;
  /** The year-to-date body after quarter q (1–4). */
  cumulative(q: number, fromDate: string, toDate: string, propertyId?: string): unknown;
  annual(propertyId?: string): unknown;
  adjustments(propertyId?: string): unknown;
  expectBiss: { income: number; expenses: number; profit: number };
  expectBsas: Record<string, number>;
  expectAdjustedTaxableProfit: number;
  expectLiability: number;
}

const CASES: JourneyCase[] = [
  {
    name: "UK property 2025-26",
    type: "uk-property",
    businessId: UKP,
    taxYear: "2025-26",
    cumulativeId: "property.uk.cumulative.amend",
    annualId: "property.uk.annual.amend",
    // Year to date after quarter q: rent 5,000·q, repairs 1,000·q; finance costs 1,500 by Q4.
    cumulative: (q, fromDate, toDate) => ({
      fromDate,
      toDate,
      ukProperty: { income: { periodAmount: 5000 * q }, expenses: { repairsAndMaintenance: 1000 * q, ...(q === 4 ? { residentialFinancialCost: 1500 } : {}) } },
    }),
    annual: () => ({ ukProperty: { adjustments: { privateUseAdjustment: 200, nonResidentLandlord: false }, allowances: { costOfReplacingDomesticItems: 500 } } }),
    adjustments: () => ({ ukProperty: { expenses: { repairsAndMaintenance: 300 } } }),
    // BISS: income 20,000, expenses 4,000 → 16,000. BSAS: + additions 200 − deductions 500 → 15,700; adjusted expenses
    // 4,300 → 15,400. Tax: (15,400 − 12,570) = 2,830 × 20% = 566 − 20% × min(1,500, 15,400, 2,830) = 300 → 266.
    expectBiss: { income: 20000, expenses: 4000, profit: 16000 },
    expectBsas: { totalIncome: 20000, totalExpenses: 4000, netProfit: 16000, totalAdditions: 200, totalDeductions: 500, taxableProfit: 15700 },
    expectAdjustedTaxableProfit: 15400,
    expectLiability: 266,
  },
  {
    name: "self-employment 2025-26",
    type: "self-employment",
    businessId: SE,
    taxYear: "2025-26",
    cumulativeId: "self-employment.cumulative.amend",
    annualId: "self-employment.annual.amend",
    // Year to date after quarter q: turnover 15,000·q, cost of goods 2,500·q.
    cumulative: (q, fromDate, toDate) => ({
      periodDates: { periodStartDate: fromDate, periodEndDate: toDate },
      periodIncome: { turnover: 15000 * q },
      periodExpenses: { costOfGoods: 2500 * q },
    }),
    annual: () => ({ allowances: { annualInvestmentAllowance: 2000 } }),
    adjustments: () => ({ income: { turnover: -1000 } }),
    // BISS: 60,000 − 10,000 = 50,000. BSAS: − AIA 2,000 → 48,000; adjusted turnover −1,000 → 47,000.
    // Tax: (47,000 − 12,570) = 34,430 × 20% = 6,886; Class 4: 34,430 × 6% = 2,065.80; total 8,951.80.
    expectBiss: { income: 60000, expenses: 10000, profit: 50000 },
    expectBsas: { totalIncome: 60000, totalExpenses: 10000, netProfit: 50000, totalAdditions: 0, totalDeductions: 2000, taxableProfit: 48000 },
    expectAdjustedTaxableProfit: 47000,
    expectLiability: 8951.8,
  },
  {
    name: "foreign property 2026-27 (with propertyId)",
    type: "foreign-property",
    businessId: FP,
    taxYear: "2026-27",
    cumulativeId: "property.foreign.cumulative.amend",
    annualId: "property.foreign.annual.amend",
    // Year to date after quarter q: rent 6,000·q, repairs 1,000·q.
    cumulative: (q, fromDate, toDate, propertyId) => ({
      fromDate,
      toDate,
      foreignProperty: [{ propertyId, income: { rentIncome: { rentAmount: 6000 * q } }, expenses: { repairsAndMaintenance: 1000 * q } }],
    }),
    annual: (propertyId) => ({ foreignProperty: [{ propertyId, allowances: { otherCapitalAllowance: 1000 } }] }),
    adjustments: (propertyId) => ({ foreignProperty: { propertyLevelDetail: [{ propertyId, income: { totalRentsReceived: 500 } }] } }),
    // BISS: 24,000 − 4,000 = 20,000. BSAS: − 1,000 allowance → 19,000; adjusted rent +500 → 19,500.
    // Tax: (19,500 − 12,570) = 6,930 × 20% = 1,386.
    expectBiss: { income: 24000, expenses: 4000, profit: 20000 },
    expectBsas: { totalIncome: 24000, totalExpenses: 4000, netProfit: 20000, totalAdditions: 0, totalDeductions: 1000, taxableProfit: 19000 },
    expectAdjustedTaxableProfit: 19500,
    expectLiability: 1386,
  },
];

describe.each(CASES)("sandbox journey: $name", (c) => {
  let app: FastifyInstance;
  let token: string;
  let clock: Clock;
  beforeEach(async () => {
    clock = clockAt(`${c.taxYear.slice(0, 4)}-05-01T09:00:00Z`);
    // The journey spans a year; HMRC's 4-hour tokens would be refreshed by the relay, which is not under test here.
    app = sandbox(clock, { accessTokenTtlSeconds: 2 * 365 * 86_400 });
    token = await connect(app);
  });
  afterEach(() => app.close());

  const send = (id: string, params: Record<string, string>, body?: unknown, query = ""): Promise<Response> => {
    const e = getEndpoint(id);
    return call(app, e.method, `${url(id, params)}${query}`, { token, version: e.version, ...(body !== undefined ? { body } : {}) });
  };
  const expectStatus = async (res: Promise<Response>, status: number): Promise<Response> => {
    const r = await res;
    expect({ status: r.statusCode, body: r.statusCode === status ? "" : r.body }).toEqual({ status, body: "" });
    return r;
  };

  it("quarterly updates, annual submission, BSAS, calculation and final declaration agree with what was submitted", async () => {
    const ty = c.taxYear;
    const params = { businessId: c.businessId, taxYear: ty };
    let propertyId: string | undefined;
    if (c.type === "foreign-property") {
      const created = await expectStatus(send("property.foreign.details.create", params, { propertyName: "Villa Rosa", countryCode: "FRA" }), 200);
      propertyId = created.json().propertyId as string;
    }

    const fulfilled = async () => {
      const res = await send("obligations.income-and-expenditure", {}, undefined, `?businessId=${c.businessId}&typeOfBusiness=${c.type}&fromDate=${ty.slice(0, 4)}-04-06&toDate=20${ty.slice(5)}-04-05`);
      const obligations = res.json().obligations as Array<{ obligationDetails: Array<{ status: string }> }>;
      return obligations.flatMap((o) => o.obligationDetails).filter((d) => d.status === "fulfilled").length;
    };
    const quarters = QUARTERS[ty]!;
    for (const [i, q] of quarters.entries()) {
      clock.now = new Date(q.at);
      await expectStatus(send(c.cumulativeId, params, c.cumulative(i + 1, `${ty.slice(0, 4)}-04-06`, q.end, propertyId)), 204);
      expect(await fulfilled()).toBe(i + 1);
    }

    await expectStatus(send(c.annualId, params, c.annual(propertyId)), c.type === "self-employment" ? 204 : 200);

    const biss = (await expectStatus(send("biss.retrieve", { typeOfBusiness: c.type, ...params }), 200)).json();
    expect(biss.total).toMatchObject({ income: c.expectBiss.income, expenses: c.expectBiss.expenses });
    expect(biss.profit.net).toBe(c.expectBiss.profit);

    const trigger = await expectStatus(send("bsas.trigger", {}, { accountingPeriod: { startDate: `${ty.slice(0, 4)}-04-06`, endDate: `20${ty.slice(5)}-04-05` }, typeOfBusiness: c.type, businessId: c.businessId }), 200);
    const calculationId = trigger.json().calculationId as string;
    const bsasParams = { calculationId, taxYear: ty };
    const summary = (await expectStatus(send(`bsas.${c.type}.retrieve`, bsasParams), 200)).json();
    expect(summary.adjustableSummaryCalculation).toMatchObject(c.expectBsas);

    if (propertyId) {
      const stranger = c.adjustments("0b2f6d3a-1c5e-4f7a-9b8c-0d1e2f3a4b5c");
      expect((await send(`bsas.${c.type}.adjust`, bsasParams, stranger)).json().code).toBe("RULE_PROPERTY_ID_MISMATCH");
    }
    await expectStatus(send(`bsas.${c.type}.adjust`, bsasParams, c.adjustments(propertyId)), 200);
    const adjusted = (await send(`bsas.${c.type}.retrieve`, bsasParams)).json();
    expect(adjusted.adjustedSummaryCalculation.taxableProfit).toBe(c.expectAdjustedTaxableProfit);
    const list = (await expectStatus(send("bsas.list", { taxYear: ty }), 200)).json();
    expect(list.businessSources[0].summaries[0]).toMatchObject({ calculationId, summaryStatus: "valid", adjustedSummary: true });

    clock.advanceSeconds(3600);
    const calc = await expectStatus(send("calculations.trigger", { taxYear: ty, calculationType: "intent-to-finalise" }), 202);
    const calcParams = { taxYear: ty, calculationId: calc.json().calculationId as string };
    const result = (await expectStatus(send("calculations.retrieve", calcParams), 200)).json();
    expect(result.calculation.businessProfitAndLoss).toEqual([expect.objectContaining({ incomeSourceId: c.businessId, taxableProfit: c.expectAdjustedTaxableProfit })]);
    expect(result.calculation.taxCalculation.totalIncomeTaxAndNicsDue).toBe(c.expectLiability);

    await expectStatus(send("calculations.submit", { ...calcParams, calculationType: "final-declaration" }), 204);
    const listed = (await send("calculations.list", { taxYear: ty })).json();
    expect(listed.calculations[0]).toMatchObject({ calculationId: calcParams.calculationId, calculationType: "final-declaration", liabilityAmount: c.expectLiability });
  });
});
