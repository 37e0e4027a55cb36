/** BISS 3.0 computed from the stored UK property cumulative submission. Expected totals are worked by hand. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { ukPropertyBiss } from "../../src/sandbox/routes/biss";
import { call, clockAt, connect, FP, NINO, paths, q1Body, sandbox, SE, UKP } from "./helpers";

const fixture = (name: string): Record<string, unknown> => JSON.parse(readFileSync(join(__dirname, "../fixtures/hmrc", name), "utf8"));

describe("sandbox: BISS", () => {
  let app: FastifyInstance;
  let token: string;
  beforeEach(async () => {
    app = sandbox(clockAt("2025-07-20T10:00:00Z"));
    token = await connect(app);
  });
  afterEach(() => app.close());

  const submit = async (body: unknown) => {
    const res = await call(app, "PUT", paths.ukCumulative(), { token, version: "6.0", body });
    expect(res.statusCode).toBe(204);
  };
  const biss = (typeOfBusiness = "uk-property", taxYear = "2025-26", businessId = UKP) =>
    call(app, "GET", paths.biss(typeOfBusiness, taxYear, businessId), { token, version: "3.0" });

  it("summarises HMRC's full-expenses example", async () => {
    await submit(fixture("property-uk-cumulative.request.json"));
    const res = await biss();
    expect(res.statusCode).toBe(200);
    // income   = 4889.23 + 847.35 + 5000.99 + 954.32 + 532.12 (taxDeducted 3123.21 left out)            = 12224.01
    // expenses = 3123.21 + 928.42 − 842.99 − 8831.12 + 484.12 + 99282 + 974.47 + 8842.43
    //            (residentialFinancialCost 2884.99 and …CarriedForward 483.91 left out)                  = 103960.54
    // loss     = 103960.54 − 12224.01                                                                   = 91736.53
    expect(res.json()).toEqual({
      total: { income: 12224.01, expenses: 103960.54 },
      profit: { net: 0, taxable: 0, adjusted: 0 },
      loss: { net: 91736.53, taxable: 91736.53 },
    });
  });

  it("summarises HMRC's consolidated example, where expenses are negative", async () => {
    await submit(fixture("property-uk-cumulative.consolidated-request.json"));
    // income   = 42.12 + 84.31 + 9884.93 + 31.44 + 947.66 (taxDeducted 842.99 left out)  = 10990.46
    // expenses = −988.18 (consolidated) + 860.88 (rent-a-room claimed)                   = −127.30
    // profit   = 10990.46 − (−127.30)                                                    = 11117.76
    expect((await biss()).json()).toEqual({
      total: { income: 10990.46, expenses: -127.3 },
      profit: { net: 11117.76, taxable: 11117.76, adjusted: 11117.76 },
      loss: { net: 0, taxable: 0 },
    });
  });

  it("adds in exact pence, where floating-point pounds would drift", async () => {
    await submit(q1Body({ income: { periodAmount: 0.1, otherIncome: 0.2 }, expenses: { other: 0.3 } }));
    expect((await biss()).json()).toEqual({ total: { income: 0.3, expenses: 0.3 }, profit: { net: 0, taxable: 0, adjusted: 0 }, loss: { net: 0, taxable: 0 } });
  });

  it("reflects the latest cumulative update only", async () => {
    await submit(q1Body({ income: { periodAmount: 1000 } }));
    await submit(q1Body({ income: { periodAmount: 1500 }, expenses: { repairsAndMaintenance: 200.5 } }));
    expect((await biss()).json().profit).toEqual({ net: 1299.5, taxable: 1299.5, adjusted: 1299.5 });
  });

  it("2025-26: profit.adjusted adds disallowable expenses and takes off non-taxable income; outstandingBusinessIncome as submitted", async () => {
    const se = { businessId: SE, taxYear: "2025-26" };
    const cumulative = await call(app, "PUT", `/individuals/business/self-employment/${NINO}/${SE}/cumulative/2025-26`, {
      token,
      version: "5.0",
      body: { periodDates: { periodStartDate: "2025-04-06", periodEndDate: "2025-07-05" }, periodIncome: { turnover: 10_000 }, periodExpenses: { adminCosts: 2_000 }, periodDisallowableExpenses: { adminCostsDisallowable: 300 } },
    });
    expect(cumulative.statusCode).toBe(204);
    const annual = await call(app, "PUT", `/individuals/business/self-employment/${NINO}/${se.businessId}/annual/${se.taxYear}`, {
      token,
      version: "5.0",
      body: { adjustments: { includedNonTaxableProfits: 500, outstandingBusinessIncome: 250 }, allowances: { annualInvestmentAllowance: 1_000 } },
    });
    expect(annual.statusCode).toBe(204);
    // net      = 10,000 − 2,000                                          = 8,000
    // adjusted = 8,000 + 300 disallowable − 500 non-taxable              = 7,800
    // taxable  = 8,000 + 300 + 250 (additions) − 500 − 1,000 (deductions) = 7,050
    expect((await biss("self-employment", "2025-26", SE)).json()).toEqual({
      total: { income: 10_000, expenses: 2_000, additions: 550, deductions: 1_500 },
      profit: { net: 8_000, taxable: 7_050, adjusted: 7_800 },
      loss: { net: 0, taxable: 0 },
      outstandingBusinessIncome: 250,
    });
  });

  it("answers RULE_NO_INCOME_SUBMISSIONS_EXIST (400) before any submission, and for businesses with none", async () => {
    for (const res of [await biss(), await biss("self-employment", "2025-26", SE), await biss("foreign-property", "2025-26", FP)]) {
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({ code: "RULE_NO_INCOME_SUBMISSIONS_EXIST", message: "No income submissions exist" });
    }
  });

  it("answers 404 for an unknown business or one of another type", async () => {
    await submit(q1Body({ income: { periodAmount: 1 } }));
    for (const res of [await biss("uk-property", "2025-26", "XPIS99999999999"), await biss("self-employment", "2025-26", UKP)]) {
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({ code: "MATCHING_RESOURCE_NOT_FOUND", message: "Matching resource not found" });
    }
  });

  describe("path parameters", () => {
    it.each([
      ["uk-property-fhl", "2025-26", UKP, "FORMAT_TYPE_OF_BUSINESS", "The provided typeOfBusiness is invalid"],
      ["shop", "2025-26", UKP, "FORMAT_TYPE_OF_BUSINESS", "The provided typeOfBusiness is invalid"],
      ["uk-property", "2025", UKP, "FORMAT_TAX_YEAR", "The provided tax year is invalid"],
      ["uk-property", "2025-27", UKP, "RULE_TAX_YEAR_RANGE_INVALID", "Tax year range invalid. A tax year range of one year is required"],
      ["uk-property", "2025-26", "XPIS1", "FORMAT_BUSINESS_ID", "The provided businessId is invalid"],
      ["uk-property", "2021-22", UKP, "RULE_TAX_YEAR_NOT_SUPPORTED", "The tax year specified does not lie within the supported range"],
    ])("%s / %s / %s → %s", async (type, ty, id, code, message) => {
      const res = await biss(type, ty, id);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({ code, message });
    });

    it("still knows the FHL types before 2025-26", async () => {
      expect((await biss("uk-property-fhl", "2024-25", UKP)).json().code).toBe("MATCHING_RESOURCE_NOT_FOUND");
    });

    it("reports several in HMRC's order: type of business, tax year, business ID", async () => {
      const res = await biss("shop", "25-26", "nope");
      expect(res.json().errors.map((e: { code: string }) => e.code)).toEqual(["FORMAT_TYPE_OF_BUSINESS", "FORMAT_TAX_YEAR", "FORMAT_BUSINESS_ID"]);
    });
  });

  it("computes profit and loss from income and expenses alone (unit)", () => {
    const body = { ukProperty: { income: { periodAmount: 100, taxDeducted: 20 }, expenses: { residentialFinancialCost: 50, consolidatedExpenses: 30 } } };
    // Before 2025-26 BISS has no profit.adjusted; from 2025-26 it does.
    expect(ukPropertyBiss(body, "2024-25")).toEqual({ total: { income: 100, expenses: 30 }, profit: { net: 70, taxable: 70 }, loss: { net: 0, taxable: 0 } });
    expect(ukPropertyBiss(body, "2025-26").profit).toEqual({ net: 70, taxable: 70, adjusted: 70 });
  });
});
