/**
 * The in-year and annual submission surface beyond HMRC's examples: state per NINO (read back, replace, delete),
 * obligations fulfilled by self-employment and foreign property updates, BISS for every business type, foreign
 * property details, period summaries of 2024-25 and before, path/query errors and Gov-Test-Scenarios.
 */
import type { FastifyInstance } from "fastify";
import { getEndpoint } from "../../src/mtd";
import { ENDPOINT_DOCS } from "../../src/sandbox/generated/hmrc-docs";
import { classifyScenario } from "../../src/sandbox/scenarios";
import { call, clockAt, connect, FP, NINO, sandbox, SE, UKP, type Response } from "./helpers";

let app: FastifyInstance;
let token: string;

beforeEach(async () => {
  app = sandbox(clockAt("2026-10-20T10:00:00Z"));
  token = await connect(app);
});

function send(id: string, params: Record<string, string>, o: { body?: unknown; query?: string; scenario?: string } = {}): Promise<Response> {
  const e = getEndpoint(id);
  const path = e.path.replace(/\{(\w+)\}/g, (_m, n: string) => ({ nino: NINO, ...params })[n]!);
  return call(app, e.method, `${path}${o.query ?? ""}`, { token, version: e.version, ...(o.body !== undefined ? { body: o.body } : {}), ...(o.scenario ? { scenario: o.scenario } : {}) });
}

const seQ1 = {
  periodDates: { periodStartDate: "2025-04-06", periodEndDate: "2025-07-05" },
  periodIncome: { turnover: 10000, other: 500.5, taxTakenOffTradingIncome: 100 },
  periodExpenses: { costOfGoods: 2000, adminCosts: 300.25 },
  periodDisallowableExpenses: { adminCostsDisallowable: 50 },
};

describe("self-employment", () => {
  it("stores the cumulative update, reads it back, replaces it, and fulfils the quarter's obligation", async () => {
    expect((await send("self-employment.cumulative.amend", { businessId: SE, taxYear: "2025-26" }, { body: seQ1 })).statusCode).toBe(204);
    expect((await send("self-employment.cumulative.retrieve", { businessId: SE, taxYear: "2025-26" })).json()).toEqual(seQ1);
    const q2 = { ...seQ1, periodDates: { periodStartDate: "2025-04-06", periodEndDate: "2025-10-05" } };
    expect((await send("self-employment.cumulative.amend", { businessId: SE, taxYear: "2025-26" }, { body: q2 })).statusCode).toBe(204);
    const back = await send("self-employment.cumulative.amend", { businessId: SE, taxYear: "2025-26" }, { body: seQ1 });
    expect(back.json().code).toBe("RULE_SUBMISSION_END_DATE_CANNOT_MOVE_BACKWARDS");

    const obligations = await call(app, "GET", `/obligations/details/${NINO}/income-and-expenditure?typeOfBusiness=self-employment&fromDate=2025-04-06&toDate=2026-04-05`, { token, version: "3.0" });
    const details = obligations.json().obligations[0].obligationDetails as Array<{ periodEndDate: string; status: string; receivedDate?: string }>;
    expect(details.map((d) => [d.periodEndDate, d.status])).toEqual([
      ["2025-07-05", "fulfilled"],
      ["2025-10-05", "fulfilled"],
      ["2026-01-05", "open"],
      ["2026-04-05", "open"],
    ]);
    expect(details[0]!.receivedDate).toBe("2026-10-20");
  });

  it("takes an annual (latent) business's update without dates and reads it back over the whole tax year", async () => {
    const created = await call(app, "POST", `/individuals/self-assessment-test-support/business/${NINO}`, {
      token,
      version: "1.0",
      body: {
        typeOfBusiness: "self-employment",
        tradingName: "Latent Ltd",
        businessAddressLineOne: "1 Road",
        businessAddressPostcode: "M1 1AG",
        businessAddressCountryCode: "GB",
        latencyDetails: { latencyEndDate: "2027-04-05", taxYear1: "2025-26", latencyIndicator1: "A", taxYear2: "2026-27", latencyIndicator2: "A" },
      },
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().businessId as string;
    const { periodDates: _dates, ...undated } = seQ1;
    expect((await send("self-employment.cumulative.amend", { businessId: id, taxYear: "2025-26" }, { body: seQ1 })).json().code).toBe("RULE_START_AND_END_DATE_NOT_ALLOWED");
    expect((await send("self-employment.cumulative.amend", { businessId: id, taxYear: "2025-26" }, { body: undated })).statusCode).toBe(204);
    expect((await send("self-employment.cumulative.retrieve", { businessId: id, taxYear: "2025-26" })).json()).toEqual({
      ...undated,
      periodDates: { periodStartDate: "2025-04-06", periodEndDate: "2026-04-05" },
    });
  });

  it("computes BISS from the cumulative and annual submissions, in pence", async () => {
    await send("self-employment.cumulative.amend", { businessId: SE, taxYear: "2025-26" }, { body: seQ1 });
    // income 10000 + 500.50 = 10500.50; expenses 2000 + 300.25 = 2300.25; net 8200.25
    const before = await call(app, "GET", `/individuals/self-assessment/income-summary/${NINO}/self-employment/2025-26/${SE}`, { token, version: "3.0" });
    expect(before.json()).toEqual({
      total: { income: 10500.5, expenses: 2300.25, additions: 50 },
      profit: { net: 8200.25, taxable: 8250.25, adjusted: 8250.25 },
      loss: { net: 0, taxable: 0 },
    });
    const annual = { adjustments: { outstandingBusinessIncome: 100.1, includedNonTaxableProfits: 20 }, allowances: { annualInvestmentAllowance: 1000.05 } };
    expect((await send("self-employment.annual.amend", { businessId: SE, taxYear: "2025-26" }, { body: annual })).statusCode).toBe(204);
    // additions 50 + 100.10 = 150.10; deductions 1000.05 + 20 = 1020.05; taxable 8200.25 + 150.10 − 1020.05 = 7330.30;
    // adjusted 8200.25 + 50 disallowable − 20 non-taxable = 8230.25
    const after = await call(app, "GET", `/individuals/self-assessment/income-summary/${NINO}/self-employment/2025-26/${SE}`, { token, version: "3.0" });
    expect(after.json()).toEqual({
      total: { income: 10500.5, expenses: 2300.25, additions: 150.1, deductions: 1020.05 },
      profit: { net: 8200.25, taxable: 7330.3, adjusted: 8230.25 },
      loss: { net: 0, taxable: 0 },
      outstandingBusinessIncome: 100.1,
    });
  });

  it("stores, reads back and deletes the annual submission", async () => {
    const body = { allowances: { tradingIncomeAllowance: 1000 } };
    expect((await send("self-employment.annual.amend", { businessId: SE, taxYear: "2024-25" }, { body })).statusCode).toBe(204);
    expect((await send("self-employment.annual.retrieve", { businessId: SE, taxYear: "2024-25" })).json()).toEqual(body);
    expect((await send("self-employment.annual.delete", { businessId: SE, taxYear: "2024-25" })).statusCode).toBe(204);
    expect((await send("self-employment.annual.retrieve", { businessId: SE, taxYear: "2024-25" })).statusCode).toBe(404);
    expect((await send("self-employment.annual.delete", { businessId: SE, taxYear: "2024-25" })).json().code).toBe("MATCHING_RESOURCE_NOT_FOUND");
  });

  it("lists no period summaries for 2024-25 and before, and refuses 2025-26", async () => {
    expect((await send("self-employment.period.list", { businessId: SE, taxYear: "2024-25" })).json()).toEqual({ periods: [] });
    expect((await send("self-employment.period.list", { businessId: SE, taxYear: "2025-26" })).json().code).toBe("RULE_TAX_YEAR_NOT_SUPPORTED");
    expect((await send("self-employment.period.retrieve", { businessId: SE, taxYear: "2024-25", periodId: "2024-04-06_2024-07-05" })).statusCode).toBe(404);
    expect((await send("self-employment.period.retrieve", { businessId: SE, taxYear: "2024-25", periodId: "2024-04-06" })).json().code).toBe("FORMAT_PERIOD_ID");
  });

  it("serves HMRC's canned variants and error scenarios", async () => {
    const consolidated = await send("self-employment.cumulative.retrieve", { businessId: SE, taxYear: "2025-26" }, { scenario: "CONSOLIDATED_EXPENSES" });
    expect(consolidated.json().periodExpenses).toEqual({ consolidatedExpenses: expect.any(Number) });
    const both = await send("self-employment.cumulative.amend", { businessId: SE, taxYear: "2025-26" }, { body: seQ1, scenario: "BOTH_EXPENSES_SUPPLIED" });
    expect(both.json().code).toBe("RULE_BOTH_EXPENSES_SUPPLIED");
    const unknown = await send("self-employment.annual.retrieve", { businessId: SE, taxYear: "2025-26" }, { scenario: "NOPE" });
    expect(unknown.json().code).toBe("RULE_INCORRECT_GOV_TEST_SCENARIO");
  });
});

describe("foreign property", () => {
  async function createProperty(propertyName: string, countryCode = "FRA"): Promise<string> {
    const res = await send("property.foreign.details.create", { businessId: FP, taxYear: "2026-27" }, { body: { propertyName, countryCode } });
    expect(res.statusCode).toBe(200);
    return res.json().propertyId as string;
  }

  it("creates, lists, filters and updates foreign property details (2026-27 on)", async () => {
    const villa = await createProperty("Villa");
    const flat = await createProperty("Flat", "ESP");
    const all = await send("property.foreign.details.retrieve", { businessId: FP, taxYear: "2026-27" });
    expect(all.json().foreignPropertyDetails.map((p: { propertyName: string }) => p.propertyName)).toEqual(["Villa", "Flat"]);
    const one = await send("property.foreign.details.retrieve", { businessId: FP, taxYear: "2026-27" }, { query: `?propertyId=${flat}` });
    expect(one.json().foreignPropertyDetails).toEqual([{ submittedOn: "2026-10-20T10:00:00.000Z", propertyId: flat, propertyName: "Flat", countryCode: "ESP" }]);
    expect((await send("property.foreign.details.retrieve", { businessId: FP, taxYear: "2026-27" }, { query: "?propertyId=x" })).json().code).toBe("FORMAT_PROPERTY_ID");

    const end = { propertyName: "Villa Rosa", endDate: "2026-12-31", endReason: "disposal" };
    expect((await send("property.foreign.details.update", { propId: villa, taxYear: "2026-27" }, { body: end })).statusCode).toBe(204);
    const updated = await send("property.foreign.details.retrieve", { businessId: FP, taxYear: "2026-27" }, { query: `?propertyId=${villa}` });
    expect(updated.json().foreignPropertyDetails[0]).toMatchObject(end);
    // Ended in 2026-27: not listed for 2027-28.
    const next = await send("property.foreign.details.retrieve", { businessId: FP, taxYear: "2027-28" });
    expect(next.json().foreignPropertyDetails.map((p: { propertyId: string }) => p.propertyId)).toEqual([flat]);
    expect((await send("property.foreign.details.update", { propId: "11111111-2222-4333-8444-555555555555", taxYear: "2026-27" }, { body: end })).statusCode).toBe(404);
    expect((await send("property.foreign.details.update", { propId: "nope", taxYear: "2026-27" }, { body: end })).json().code).toBe("FORMAT_PROPERTY_ID");
  });

  it("takes cumulative figures by propertyId from 2026-27, filters the read-back, fulfils obligations and feeds BISS", async () => {
    const villa = await createProperty("Villa");
    const flat = await createProperty("Flat", "ESP");
    const body = {
      fromDate: "2026-04-06",
      toDate: "2026-07-05",
      foreignProperty: [
        { propertyId: villa, income: { rentIncome: { rentAmount: 1000 }, foreignTaxPaidOrDeducted: 99 }, expenses: { repairsAndMaintenance: 200, residentialFinancialCost: 300 } },
        { propertyId: flat, income: { otherPropertyIncome: 50.5 }, expenses: { consolidatedExpenses: 10.25 } },
      ],
    };
    expect((await send("property.foreign.cumulative.amend", { businessId: FP, taxYear: "2026-27" }, { body })).statusCode).toBe(204);
    const one = await send("property.foreign.cumulative.retrieve", { businessId: FP, taxYear: "2026-27" }, { query: `?propertyId=${flat}` });
    expect(one.json()).toEqual({ submittedOn: "2026-10-20T10:00:00.000Z", fromDate: "2026-04-06", toDate: "2026-07-05", foreignProperty: [body.foreignProperty[1]] });

    // income 1000 + 50.50 = 1050.50 (foreign tax is not income); expenses 200 + 10.25 = 210.25 (finance costs are not)
    const biss = await call(app, "GET", `/individuals/self-assessment/income-summary/${NINO}/foreign-property/2026-27/${FP}`, { token, version: "3.0" });
    expect(biss.json()).toEqual({ total: { income: 1050.5, expenses: 210.25 }, profit: { net: 840.25, taxable: 840.25, adjusted: 840.25 }, loss: { net: 0, taxable: 0 } });

    const obligations = await call(app, "GET", `/obligations/details/${NINO}/income-and-expenditure?typeOfBusiness=foreign-property&fromDate=2026-04-06&toDate=2026-10-05`, { token, version: "3.0" });
    const details = obligations.json().obligations[0].obligationDetails as Array<{ periodEndDate: string; status: string }>;
    expect(details.map((d) => [d.periodEndDate, d.status])).toEqual([
      ["2026-07-05", "fulfilled"],
      ["2026-10-05", "open"],
      ["2027-01-05", "open"],
      ["2027-04-05", "open"],
    ]);
  });

  it("answers a UK property business id on the foreign retrieve with RULE_TYPE_OF_BUSINESS_INCORRECT", async () => {
    expect((await send("property.foreign.cumulative.retrieve", { businessId: UKP, taxYear: "2025-26" })).json().code).toBe("RULE_TYPE_OF_BUSINESS_INCORRECT");
  });
});

describe("property annual submissions", () => {
  const ukAnnual = { ukProperty: { adjustments: { balancingCharge: 100, nonResidentLandlord: false }, allowances: { annualInvestmentAllowance: 250.5 } } };

  it("stores, reads back with submittedOn, feeds BISS, and deletes", async () => {
    const put = await send("property.uk.annual.amend", { businessId: UKP, taxYear: "2025-26" }, { body: ukAnnual });
    expect([put.statusCode, put.body]).toEqual([200, ""]);
    expect((await send("property.uk.annual.retrieve", { businessId: UKP, taxYear: "2025-26" })).json()).toEqual({ submittedOn: "2026-10-20T10:00:00.000Z", ...ukAnnual });

    const q1 = { fromDate: "2025-04-06", toDate: "2025-07-05", ukProperty: { income: { periodAmount: 1000 }, expenses: { repairsAndMaintenance: 100 } } };
    await call(app, "PUT", `/individuals/business/property/uk/${NINO}/${UKP}/cumulative/2025-26`, { token, version: "6.0", body: q1 });
    // net 900; additions 100 (balancing charge); deductions 250.50; taxable 900 + 100 − 250.50 = 749.50
    const biss = await call(app, "GET", `/individuals/self-assessment/income-summary/${NINO}/uk-property/2025-26/${UKP}`, { token, version: "3.0" });
    expect(biss.json()).toEqual({ total: { income: 1000, expenses: 100, additions: 100, deductions: 250.5 }, profit: { net: 900, taxable: 749.5, adjusted: 900 }, loss: { net: 0, taxable: 0 } });

    expect((await send("property.annual.delete", { businessId: UKP, taxYear: "2025-26" })).statusCode).toBe(204);
    expect((await send("property.uk.annual.retrieve", { businessId: UKP, taxYear: "2025-26" })).statusCode).toBe(404);
    expect((await send("property.annual.delete", { businessId: UKP, taxYear: "2025-26" })).statusCode).toBe(404);
  });

  it("refuses another business type's id with RULE_TYPE_OF_BUSINESS_INCORRECT", async () => {
    const res = await send("property.uk.annual.amend", { businessId: FP, taxYear: "2025-26" }, { body: ukAnnual });
    expect([res.statusCode, res.json().code]).toEqual([400, "RULE_TYPE_OF_BUSINESS_INCORRECT"]);
  });

  it("keeps HMRC's tax-year ranges and scenarios", async () => {
    expect((await send("property.uk.annual.amend", { businessId: UKP, taxYear: "2021-22" }, { body: ukAnnual })).json().code).toBe("RULE_TAX_YEAR_NOT_SUPPORTED");
    expect((await send("property.annual.delete", { businessId: UKP, taxYear: "2025-26" }, { scenario: "OUTSIDE_AMENDMENT_WINDOW" })).json().code).toBe("RULE_OUTSIDE_AMENDMENT_WINDOW");
    const canned = await send("property.foreign.annual.retrieve", { businessId: FP, taxYear: "2025-26" }, { scenario: "FOREIGN_PROPERTY_ALLOWANCE" });
    expect(canned.json().foreignProperty[0].allowances).toHaveProperty("propertyIncomeAllowance");
    expect((await send("property.foreign.annual.retrieve", { businessId: FP, taxYear: "2025-26" }, { scenario: "UK_PROPERTY" })).json().code).toBe("RULE_TYPE_OF_BUSINESS_INCORRECT");
  });
});

describe("Gov-Test-Scenario on the submission endpoints", () => {
  const ids = Object.keys(ENDPOINT_DOCS).filter((id) => /^(self-employment|property)\./.test(id));

  it("knows every value HMRC documents for them (stateful, a canned success, or a documented error)", () => {
    expect(ids.length).toBe(19);
    const unknown = ids.flatMap((id) => ENDPOINT_DOCS[id]!.scenarios.filter((v) => !classifyScenario(id, v)).map((v) => `${id}: ${v}`));
    expect(unknown).toEqual([]);
  });

  it("answers NOT_FOUND with 404 even where the definition omits the code", async () => {
    const res = await send("self-employment.annual.delete", { businessId: SE, taxYear: "2025-26" }, { scenario: "NOT_FOUND" });
    expect([res.statusCode, res.json().code]).toEqual([404, "MATCHING_RESOURCE_NOT_FOUND"]);
  });
});
