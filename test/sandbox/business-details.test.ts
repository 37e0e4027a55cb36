/** Business Details 2.0 and the Test Support API that shapes what it returns. */
import type { FastifyInstance } from "fastify";
import { call, clockAt, connect, FP, paths, sandbox, SE, UKP } from "./helpers";

describe("sandbox: business details and test businesses", () => {
  let app: FastifyInstance;
  let token: string;
  beforeEach(async () => {
    app = sandbox(clockAt("2025-07-20T10:00:00Z"));
    token = await connect(app);
  });
  afterEach(() => app.close());

  const list = (scenario?: string) => call(app, "GET", paths.list(), { token, version: "2.0", ...(scenario ? { scenario } : {}) });
  const details = (id: string, scenario?: string) => call(app, "GET", paths.details(id), { token, version: "2.0", ...(scenario ? { scenario } : {}) });
  const create = (body: unknown) => call(app, "POST", paths.testBusiness(), { token, version: "1.0", body });
  const remove = (id: string) => call(app, "DELETE", paths.testBusinessDelete(id), { token, version: "1.0" });

  it("lists HMRC's default sandbox businesses in the response schema's shape", async () => {
    const res = await list();
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      listOfBusinesses: [
        { typeOfBusiness: "self-employment", businessId: SE, tradingType: "Plastering", tradingName: "RCDTS Plastering" },
        { typeOfBusiness: "uk-property", businessId: UKP },
        { typeOfBusiness: "foreign-property", businessId: FP },
      ],
    });
  });

  it("retrieves one business, with only fields HMRC's schema allows", async () => {
    const res = await details(UKP);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ businessId: UKP, typeOfBusiness: "uk-property", commencementDate: "2018-04-06" });
    const se = (await details(SE)).json();
    expect(se).toMatchObject({ businessId: SE, typeOfBusiness: "self-employment", tradingName: "RCDTS Plastering", businessAddressCountryCode: "GB" });
    expect(se).not.toHaveProperty("accountingType");
  });

  it("answers NO_BUSINESS_FOUND for a business the NINO does not have", async () => {
    const res = await details("XPIS99999999999");
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ code: "NO_BUSINESS_FOUND", message: "No business found for given NINO and Business ID" });
  });

  it("answers FORMAT_BUSINESS_ID for a malformed id", async () => {
    const res = await details("XPIS1234567890");
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ code: "FORMAT_BUSINESS_ID", message: "The provided Business ID is invalid" });
  });

  it.each([
    ["PROPERTY", ["uk-property"]],
    ["FOREIGN_PROPERTY", ["foreign-property"]],
    ["BUSINESS_AND_PROPERTY", ["self-employment", "uk-property", "foreign-property"]],
    ["UNSPECIFIED", ["property-unspecified"]],
  ])("serves the %s list scenario", async (scenario, types) => {
    const res = await list(scenario);
    expect(res.json().listOfBusinesses.map((b: { typeOfBusiness: string }) => b.typeOfBusiness)).toEqual(types);
  });

  it("serves the retrieve scenarios with HMRC's sandbox ids", async () => {
    expect((await details(SE, "PROPERTY")).json().businessId).toBe(UKP);
    expect((await details(SE, "FOREIGN_PROPERTY")).json().businessId).toBe(FP);
    expect((await details(SE, "UNSPECIFIED")).json()).toEqual({ businessId: "XAIS12345678901", typeOfBusiness: "property-unspecified" });
  });

  it("adds a test business to the list and retrieves it with its quarterly type choice", async () => {
    const created = await create({
      typeOfBusiness: "self-employment",
      tradingName: "Second Shop",
      businessAddressLineOne: "2 High Street",
      businessAddressPostcode: "NW1 6XE",
      businessAddressCountryCode: "GB",
      quarterlyTypeChoice: { quarterlyPeriodType: "calendar", taxYearOfChoice: "2025-26" },
      commencementDate: "2024-01-01",
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().businessId as string;
    expect(id).toMatch(/^XBIS\d{11}$/);
    expect((await list()).json().listOfBusinesses).toContainEqual({ typeOfBusiness: "self-employment", businessId: id, tradingName: "Second Shop" });
    expect((await details(id)).json()).toEqual({
      businessId: id,
      typeOfBusiness: "self-employment",
      tradingName: "Second Shop",
      businessAddressLineOne: "2 High Street",
      businessAddressPostcode: "NW1 6XE",
      businessAddressCountryCode: "GB",
      quarterlyTypeChoice: { quarterlyPeriodType: "calendar", taxYearOfChoice: "2025-26" },
      commencementDate: "2024-01-01",
    });
  });

  it("creates HMRC's own example requests", async () => {
    await remove(UKP);
    await remove(FP);
    const examples = [
      { typeOfBusiness: "uk-property", firstAccountingPeriodStartDate: "2021-04-06", firstAccountingPeriodEndDate: "2022-04-05", accountingType: "CASH", commencementDate: "2020-04-06" },
      {
        typeOfBusiness: "foreign-property",
        latencyDetails: { latencyEndDate: "2023-04-06", taxYear1: "2021-22", latencyIndicator1: "A", taxYear2: "2022-23", latencyIndicator2: "Q" },
        quarterlyTypeChoice: { quarterlyPeriodType: "standard", taxYearOfChoice: "2023-24" },
      },
    ];
    for (const body of examples) expect((await create(body)).statusCode).toBe(201);
  });

  it("allows one UK property business per NINO", async () => {
    const res = await create({ typeOfBusiness: "uk-property" });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ code: "RULE_PROPERTY_BUSINESS_ADDED", message: "The provided property business is already added" });
  });

  it("deletes a business and what was submitted for it; deleting again is 404", async () => {
    expect((await remove(UKP)).statusCode).toBe(204);
    expect((await details(UKP)).statusCode).toBe(404);
    const again = await remove(UKP);
    expect(again.statusCode).toBe(404);
    expect(again.json()).toEqual({ code: "MATCHING_RESOURCE_NOT_FOUND", message: "Matching resource not found" });
  });

  it("answers 404 for an empty list", async () => {
    for (const id of [SE, UKP, FP]) await remove(id);
    const res = await list();
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe("MATCHING_RESOURCE_NOT_FOUND");
  });

  describe("create-business validation", () => {
    const one = async (body: unknown, code: string, message: string, paths?: string[]) => {
      const res = await create(body);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({ code, message, ...(paths ? { paths } : {}) });
    };
    const se = { typeOfBusiness: "self-employment", tradingName: "Shop", businessAddressLineOne: "1 Road", businessAddressPostcode: "M1 1AG", businessAddressCountryCode: "GB" };

    it("refuses an empty body and unknown fields", async () => {
      await one({}, "RULE_INCORRECT_OR_EMPTY_BODY_SUBMITTED", "An empty or non-matching body was submitted");
      await one({ ...se, colour: "red" }, "RULE_INCORRECT_OR_EMPTY_BODY_SUBMITTED", "An empty or non-matching body was submitted", ["/colour"]);
    });

    it.each([
      [{ typeOfBusiness: "shop" }, "FORMAT_TYPE_OF_BUSINESS", "The provided typeOfBusiness field is invalid", ["/typeOfBusiness"]],
      [{ ...se, commencementDate: "2024-02-30" }, "FORMAT_DATE", "The supplied date format is not valid", ["/commencementDate"]],
      [{ ...se, accountingType: "CASHISH" }, "FORMAT_ACCOUNTING_TYPE", "The provided accountingType field is invalid", ["/accountingType"]],
      [{ ...se, businessAddressPostcode: "not a postcode" }, "FORMAT_POSTCODE", "The provided businessAddressPostcode is invalid", ["/businessAddressPostcode"]],
      [{ ...se, businessAddressCountryCode: "GBR" }, "FORMAT_COUNTRY_CODE", "The provided country code is invalid", ["/businessAddressCountryCode"]],
      [
        { typeOfBusiness: "uk-property", latencyDetails: { latencyEndDate: "2026-04-05", taxYear1: "2025-26", latencyIndicator1: "X", taxYear2: "2026-27", latencyIndicator2: "A" } },
        "FORMAT_LATENCY_INDICATOR",
        "The format of a latency indicator field is incorrect",
        ["/latencyDetails/latencyIndicator1"],
      ],
      [{ typeOfBusiness: "uk-property", quarterlyTypeChoice: { quarterlyPeriodType: "standard", taxYearOfChoice: "2025-27" } }, "RULE_TAX_YEAR_RANGE_INVALID", "The tax year range is invalid", ["/quarterlyTypeChoice/taxYearOfChoice"]],
    ])("refuses bad formats: %j → %s", (body, code, message, paths) => one(body, code, message, paths));

    it.each([
      [{ typeOfBusiness: "self-employment", businessAddressLineOne: "1 Road", businessAddressCountryCode: "FR" }, "RULE_MISSING_TRADING_NAME", "tradingName not provided for the self-employment business"],
      [{ typeOfBusiness: "self-employment", tradingName: "Shop" }, "RULE_MISSING_BUSINESS_ADDRESS", "businessAddress not provided for the self-employment business"],
      [{ ...se, businessAddressPostcode: undefined }, "MISSING_POSTCODE", "Missing postcode"],
      [{ typeOfBusiness: "foreign-property", tradingName: "Villa" }, "RULE_UNEXPECTED_TRADING_NAME", "Unexpected tradingName provided for property business"],
      [{ typeOfBusiness: "foreign-property", businessAddressLineOne: "1 Road" }, "RULE_UNEXPECTED_BUSINESS_ADDRESS", "Unexpected businessAddress provided for property business"],
      [{ ...se, firstAccountingPeriodStartDate: "2025-04-06" }, "MISSING_FIRST_ACCOUNTING_PERIOD_END_DATE", "Missing firstAccountingPeriodEndDate value"],
      [{ ...se, firstAccountingPeriodEndDate: "2026-04-05" }, "MISSING_FIRST_ACCOUNTING_PERIOD_START_DATE", "Missing firstAccountingPeriodStartDate value"],
      [{ ...se, firstAccountingPeriodStartDate: "2025-04-06", firstAccountingPeriodEndDate: "2025-12-31" }, "RULE_FIRST_ACCOUNTING_DATE_RANGE_INVALID", "The first accounting period is not a single complete tax year"],
    ])("refuses broken rules: %j → %s", async (body, code, message) => {
      const res = await create(JSON.parse(JSON.stringify(body)));
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code, message });
    });

    it("requires a commencement date in the past by the sandbox clock", async () => {
      await one({ ...se, commencementDate: "2025-07-20" }, "RULE_COMMENCEMENT_DATE_NOT_SUPPORTED", "The specified commencementDate must be in the past", ["/commencementDate"]);
      expect((await create({ ...se, commencementDate: "2025-07-19" })).statusCode).toBe(201);
    });
  });
});
