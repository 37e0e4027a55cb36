/** Property Business 6.0, UK property cumulative summary: validation, business rules, storage, retrieval. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { call, clockAt, connect, NINO, paths, q1Body, sandbox, SE, FP, UKP, type Clock } from "./helpers";

const fixture = (name: string): Record<string, unknown> => JSON.parse(readFileSync(join(__dirname, "../fixtures/hmrc", name), "utf8"));
const FULL = fixture("property-uk-cumulative.request.json");
const CONSOLIDATED = fixture("property-uk-cumulative.consolidated-request.json");

describe("sandbox: UK property cumulative summary", () => {
  let clock: Clock;
  let app: FastifyInstance;
  let token: string;
  beforeEach(async () => {
    clock = clockAt("2025-07-20T10:00:00Z");
    app = sandbox(clock);
    token = await connect(app);
  });
  afterEach(() => app.close());

  const put = (body: unknown, businessId = UKP, taxYear = "2025-26") => call(app, "PUT", paths.ukCumulative(businessId, taxYear), { token, version: "6.0", body });
  const get = (businessId = UKP, taxYear = "2025-26") => call(app, "GET", paths.ukCumulative(businessId, taxYear), { token, version: "6.0" });

  describe("HMRC's own example requests", () => {
    it.each([
      ["full expenses", FULL],
      ["consolidated expenses", CONSOLIDATED],
    ])("accepts the %s example with 204 and returns it on retrieve", async (_name, body) => {
      const res = await put(body);
      expect(res.statusCode).toBe(204);
      expect(res.body).toBe("");
      const got = await get();
      expect(got.statusCode).toBe(200);
      expect(got.json()).toEqual({ submittedOn: "2025-07-20T10:00:00.000Z", fromDate: "2025-04-06", toDate: "2025-07-05", ukProperty: body.ukProperty });
    });
  });

  it("replaces the stored summary with each update (figures are year to date)", async () => {
    expect((await put(q1Body({ income: { periodAmount: 1000 }, expenses: { premisesRunningCosts: 10 } }))).statusCode).toBe(204);
    clock.now = new Date("2025-10-01T09:30:00Z");
    token = await connect(app); // the first token expired 4 hours after it was issued
    expect((await put(q1Body({ income: { periodAmount: 2500.5 } }, "2025-04-06", "2025-10-05"))).statusCode).toBe(204);
    expect((await get()).json()).toEqual({
      submittedOn: "2025-10-01T09:30:00.000Z",
      fromDate: "2025-04-06",
      toDate: "2025-10-05",
      ukProperty: { income: { periodAmount: 2500.5 } },
    });
  });

  it("answers 404 when nothing was submitted for that business and year", async () => {
    const res = await get();
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ code: "MATCHING_RESOURCE_NOT_FOUND", message: "Matching resource not found" });
  });

  describe("path parameters", () => {
    it.each([
      ["FORMAT_TAX_YEAR", UKP, "2025", { code: "FORMAT_TAX_YEAR", message: "The provided tax year is invalid" }],
      ["RULE_TAX_YEAR_RANGE_INVALID", UKP, "2025-27", { code: "RULE_TAX_YEAR_RANGE_INVALID", message: "Tax year range invalid. A tax year range of one year is required" }],
      ["FORMAT_BUSINESS_ID", "XPIS1234", "2025-26", { code: "FORMAT_BUSINESS_ID", message: "The provided Business ID is invalid" }],
      ["RULE_TAX_YEAR_NOT_SUPPORTED", UKP, "2024-25", { code: "RULE_TAX_YEAR_NOT_SUPPORTED", message: "The tax year specified does not lie within the supported range" }],
    ])("%s on PUT and GET", async (_name, businessId, taxYear, expected) => {
      for (const res of [await put(FULL, businessId, taxYear), await get(businessId, taxYear)]) {
        expect(res.statusCode).toBe(400);
        expect(res.json()).toEqual(expected);
      }
    });

    it("reports several bad parameters together, tax year first, in INVALID_REQUEST", async () => {
      const res = await put(FULL, "bad-id", "2025-27");
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({
        code: "INVALID_REQUEST",
        message: "Invalid request",
        errors: [
          { code: "RULE_TAX_YEAR_RANGE_INVALID", message: "Tax year range invalid. A tax year range of one year is required" },
          { code: "FORMAT_BUSINESS_ID", message: "The provided Business ID is invalid" },
        ],
      });
    });

    it("checks the supported range only once the formats are right", async () => {
      const res = await put(FULL, "bad-id", "2024-25");
      expect(res.json().code).toBe("FORMAT_BUSINESS_ID");
    });
  });

  describe("body validation (the same validator the add-in runs)", () => {
    const expectOne = async (body: unknown, code: string, message: string, paths?: string[]) => {
      const res = await put(body);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({ code, message, ...(paths ? { paths } : {}) });
    };

    it("refuses negative income with FORMAT_VALUE at its JSON pointer", () =>
      expectOne(q1Body({ income: { periodAmount: -1 } }), "FORMAT_VALUE", "The value must be between 0 and 99999999999.99", ["/ukProperty/income/periodAmount"]));

    it("refuses three decimal places with FORMAT_VALUE, stating the field's own range", () =>
      expectOne(q1Body({ expenses: { premisesRunningCosts: 12.345 } }), "FORMAT_VALUE", "The value must be between -99999999999.99 and 99999999999.99", [
        "/ukProperty/expenses/premisesRunningCosts",
      ]));

    it("refuses an unknown field", () =>
      expectOne(q1Body({ income: { periodAmount: 1, rentsFromMars: 2 } }), "RULE_INCORRECT_OR_EMPTY_BODY_SUBMITTED", "An empty or non-matching body was submitted", [
        "/ukProperty/income/rentsFromMars",
      ]));

    it("refuses an empty object and an absent body", async () => {
      await expectOne({}, "RULE_INCORRECT_OR_EMPTY_BODY_SUBMITTED", "An empty or non-matching body was submitted");
      const res = await call(app, "PUT", paths.ukCumulative(), { token, version: "6.0", body: "" });
      expect(res.json()).toEqual({ code: "RULE_INCORRECT_OR_EMPTY_BODY_SUBMITTED", message: "An empty or non-matching body was submitted" });
    });

    it("refuses consolidated and itemised expenses together, with HMRC's documented message", () =>
      expectOne(
        q1Body({ expenses: { consolidatedExpenses: 100, repairsAndMaintenance: 5 } }),
        "RULE_BOTH_EXPENSES_SUPPLIED",
        "Both expenses and consolidatedExpenses can not be present at the same time",
        ["/ukProperty/expenses"],
      ));

    it("refuses a period that ends before it starts", () =>
      expectOne(q1Body({ income: { periodAmount: 1 } }, "2025-07-05", "2025-04-06"), "RULE_TO_DATE_BEFORE_FROM_DATE", "The To date cannot be earlier than the From date", ["/toDate"]));

    it("groups several problems in INVALID_REQUEST with every path", async () => {
      const res = await put(q1Body({ income: { periodAmount: -1, otherIncome: 1.001 }, expenses: { travelCosts: "12" } }));
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({
        code: "INVALID_REQUEST",
        message: "Invalid request",
        errors: [
          { code: "FORMAT_VALUE", message: "The value must be between 0 and 99999999999.99", paths: ["/ukProperty/income/periodAmount", "/ukProperty/income/otherIncome"] },
          { code: "RULE_INCORRECT_OR_EMPTY_BODY_SUBMITTED", message: "An empty or non-matching body was submitted", paths: ["/ukProperty/expenses/travelCosts"] },
        ],
      });
    });

    it("stores nothing when the body is refused", async () => {
      await put(q1Body({ income: { periodAmount: -1 } }));
      expect((await get()).statusCode).toBe(404);
    });
  });

  describe("business rules", () => {
    const rule = async (body: unknown, code: string, status = 400, businessId = UKP) => {
      const res = await put(body, businessId);
      expect(res.statusCode).toBe(status);
      expect(res.json().code).toBe(code);
    };
    const amounts = { income: { periodAmount: 100 } };

    it("answers 404 for a business this NINO does not have, or one that is not UK property", async () => {
      await rule(q1Body(amounts), "MATCHING_RESOURCE_NOT_FOUND", 404, "XPIS99999999999");
      await rule(q1Body(amounts), "MATCHING_RESOURCE_NOT_FOUND", 404, SE);
      await rule(q1Body(amounts), "MATCHING_RESOURCE_NOT_FOUND", 404, FP);
    });

    it("answers RULE_TYPE_OF_BUSINESS_INCORRECT when retrieving with a non-UK-property business", async () => {
      const res = await get(FP);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({ code: "RULE_TYPE_OF_BUSINESS_INCORRECT", message: "The businessId is for a different type of business" });
    });

    it("requires period dates from a quarterly reporter", async () => {
      await rule({ ukProperty: amounts }, "RULE_MISSING_SUBMISSION_DATES");
      await rule({ fromDate: "2025-04-06", ukProperty: amounts }, "RULE_MISSING_SUBMISSION_DATES");
    });

    it("requires the standard cumulative start, 6 April", async () => {
      await rule(q1Body(amounts, "2025-04-01", "2025-07-05"), "RULE_START_DATE_NOT_ALIGNED_WITH_REPORTING_TYPE");
      await rule(q1Body(amounts, "2025-07-06", "2025-10-05"), "RULE_START_DATE_NOT_ALIGNED_WITH_REPORTING_TYPE");
    });

    it("requires the end date to be a quarter end of the business's basis", async () => {
      await rule(q1Body(amounts, "2025-04-06", "2025-06-30"), "RULE_END_DATE_NOT_ALIGNED_WITH_REPORTING_TYPE");
      await rule(q1Body(amounts, "2025-04-06", "2025-07-04"), "RULE_END_DATE_NOT_ALIGNED_WITH_REPORTING_TYPE");
    });

    it("accepts an update from 10 days before the period ends, not earlier", async () => {
      clock.now = new Date("2025-06-24T23:59:59Z");
      await rule(q1Body(amounts), "RULE_EARLY_DATA_SUBMISSION_NOT_ACCEPTED");
      clock.now = new Date("2025-06-25T00:00:00Z");
      expect((await put(q1Body(amounts))).statusCode).toBe(204);
    });

    it("refuses an end date earlier than one already submitted", async () => {
      clock.now = new Date("2025-10-10T12:00:00Z");
      token = await connect(app);
      expect((await put(q1Body(amounts, "2025-04-06", "2025-10-05"))).statusCode).toBe(204);
      await rule(q1Body(amounts, "2025-04-06", "2025-07-05"), "RULE_SUBMISSION_END_DATE_CANNOT_MOVE_BACKWARDS");
      expect((await put(q1Body(amounts, "2025-04-06", "2025-10-05"))).statusCode).toBe(204);
    });

    it("keeps tax years apart", async () => {
      clock.now = new Date("2026-07-10T12:00:00Z");
      token = await connect(app);
      expect((await put(q1Body(amounts, "2026-04-06", "2026-07-05"), UKP, "2026-27")).statusCode).toBe(204);
      expect((await get(UKP, "2025-26")).statusCode).toBe(404);
      await rule(q1Body(amounts, "2026-04-06", "2026-07-05"), "RULE_START_DATE_NOT_ALIGNED_WITH_REPORTING_TYPE");
    });
  });

  describe("businesses created through the Test Support API", () => {
    const createProperty = async (details: Record<string, unknown>): Promise<string> => {
      const deleted = await call(app, "DELETE", paths.testBusinessDelete(UKP), { token, version: "1.0" });
      expect(deleted.statusCode).toBe(204);
      const created = await call(app, "POST", paths.testBusiness(), { token, version: "1.0", body: { typeOfBusiness: "uk-property", ...details } });
      expect(created.statusCode).toBe(201);
      return created.json().businessId as string;
    };

    it("follows a calendar-quarter business's basis: 1 April to 30 June", async () => {
      const id = await createProperty({ quarterlyTypeChoice: { quarterlyPeriodType: "calendar", taxYearOfChoice: "2025-26" } });
      expect((await put(q1Body({ income: { periodAmount: 1 } }, "2025-04-06", "2025-07-05"), id)).json().code).toBe("RULE_START_DATE_NOT_ALIGNED_WITH_REPORTING_TYPE");
      expect((await put(q1Body({ income: { periodAmount: 1 } }, "2025-04-01", "2025-07-05"), id)).json().code).toBe("RULE_END_DATE_NOT_ALIGNED_WITH_REPORTING_TYPE");
      expect((await put(q1Body({ income: { periodAmount: 1 } }, "2025-04-01", "2025-06-30"), id)).statusCode).toBe(204);
    });

    it("requires a business that started during the year to start on its commencement date", async () => {
      const id = await createProperty({ commencementDate: "2025-05-01" });
      expect((await put(q1Body({ income: { periodAmount: 1 } }), id)).json()).toEqual({
        code: "RULE_START_DATE_NOT_ALIGNED_TO_COMMENCEMENT_DATE",
        message: "Start date does not align with the commencement date",
      });
      expect((await put(q1Body({ income: { periodAmount: 1 } }, "2025-05-01", "2025-07-05"), id)).statusCode).toBe(204);
    });

    it("takes an annual (latent) business's submission without dates, and refuses dates", async () => {
      const id = await createProperty({
        latencyDetails: { latencyEndDate: "2027-04-05", taxYear1: "2025-26", latencyIndicator1: "A", taxYear2: "2026-27", latencyIndicator2: "A" },
      });
      expect((await put(q1Body({ income: { periodAmount: 1 } }), id)).json().code).toBe("RULE_START_AND_END_DATE_NOT_ALLOWED");
      expect((await put({ ukProperty: { income: { periodAmount: 1 } } }, id)).statusCode).toBe(204);
      const got = (await get(id)).json();
      expect([got.fromDate, got.toDate]).toEqual(["2025-04-06", "2026-04-05"]);
    });
  });

  it("keeps each NINO's data to itself", async () => {
    expect((await put(FULL)).statusCode).toBe(204);
    const otherToken = await connect(app, "AB123456C");
    const res = await call(app, "GET", paths.ukCumulative(UKP, "2025-26", "AB123456C"), { token: otherToken, version: "6.0" });
    expect(res.statusCode).toBe(404);
    expect(NINO).not.toBe("AB123456C");
  });

  it("serves HMRC's example bodies for the documented success scenarios", async () => {
    const consolidated = await call(app, "GET", paths.ukCumulative(), { token, version: "6.0", scenario: "UK_PROPERTY_CONSOLIDATED" });
    expect(consolidated.statusCode).toBe(200);
    expect(consolidated.json().ukProperty.expenses.consolidatedExpenses).toBe(998.18);
    const full = await call(app, "GET", paths.ukCumulative(), { token, version: "6.0", scenario: "UK_PROPERTY_FULL_EXPENSES" });
    expect(full.json().ukProperty.expenses.consolidatedExpenses).toBeUndefined();
    expect(full.json().ukProperty.expenses.premisesRunningCosts).toEqual(expect.any(Number));
  });
});
