/** Business Details 2.0: quarterly period type, accounting type and periods of account. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { getEndpoint } from "../../src/mtd";
import { call, clockAt, connect, FP, NINO, paths, sandbox, SE, UKP, type Clock, type Response } from "./helpers";

const FIXTURES = join(__dirname, "../fixtures/hmrc/requests");
const example = (id: string, index = 0): Record<string, unknown> => (JSON.parse(readFileSync(join(FIXTURES, `${id}.json`), "utf8")) as Array<{ body: Record<string, unknown> }>)[index]!.body;

const QRT = "business-details.quarterly-period-type";
const ACC_GET = "business-details.accounting-type.retrieve";
const ACC_PUT = "business-details.accounting-type.update";
const POA_GET = "business-details.periods-of-account.retrieve";
const POA_PUT = "business-details.periods-of-account.update";

function url(id: string, params: Record<string, string>): string {
  return getEndpoint(id).path.replace(/\{(\w+)\}/g, (_m, n: string) => ({ nino: NINO, ...params })[n]!);
}

describe("sandbox: Business Details 2.0 per-year settings", () => {
  let app: FastifyInstance;
  let token: string;
  let clock: Clock;
  const open = async (now = "2025-07-20T10:00:00Z") => {
    clock = clockAt(now);
    app = sandbox(clock);
    token = await connect(app);
  };
  afterEach(() => app.close());

  const send = (id: string, params: Record<string, string>, body?: unknown, scenario?: string): Promise<Response> => {
    const e = getEndpoint(id);
    return call(app, e.method, url(id, params), { token, version: e.version, ...(body !== undefined ? { body } : {}), ...(scenario ? { scenario } : {}) });
  };
  const error = (res: Response) => ({ status: res.statusCode, ...res.json() });
  const createBusiness = async (body: Record<string, unknown>): Promise<string> => {
    const res = await call(app, "POST", paths.testBusiness(), { token, version: "1.0", body });
    expect(res.statusCode).toBe(201);
    return res.json().businessId as string;
  };
  const SE_BUSINESS = { typeOfBusiness: "self-employment", tradingName: "Ace Joinery", businessAddressLineOne: "1 High St", businessAddressCountryCode: "GB", businessAddressPostcode: "M1 1AG" };

  describe("quarterly period type", () => {
    it("takes HMRC's example and calendar quarters for the current year; retrieve, obligations and the cumulative dates follow it", async () => {
      await open();
      expect(example(QRT)).toEqual({ quarterlyPeriodType: "standard" });
      expect((await send(QRT, { businessId: UKP, taxYear: "2025-26" }, example(QRT))).statusCode).toBe(204);
      const put = await send(QRT, { businessId: UKP, taxYear: "2025-26" }, { quarterlyPeriodType: "calendar" });
      expect({ status: put.statusCode, body: put.body }).toEqual({ status: 204, body: "" });

      const details = await call(app, "GET", paths.details(UKP), { token, version: "2.0" });
      expect(details.json().quarterlyTypeChoice).toEqual({ quarterlyPeriodType: "calendar", taxYearOfChoice: "2025-26" });

      const obligations = (await call(app, "GET", paths.obligations(`typeOfBusiness=uk-property&businessId=${UKP}`), { token, version: "3.0" })).json();
      const ends = obligations.obligations[0].obligationDetails.map((d: { periodStartDate: string; periodEndDate: string }) => `${d.periodStartDate}..${d.periodEndDate}`);
      expect(ends).toContain("2025-04-01..2025-09-30");
      expect(ends.filter((e: string) => e.startsWith("2025-04-06"))).toEqual([]);

      const standard = await call(app, "PUT", paths.ukCumulative(), { token, version: "6.0", body: { fromDate: "2025-04-06", toDate: "2025-07-05", ukProperty: { income: { periodAmount: 100 } } } });
      expect(standard.json().code).toBe("RULE_START_DATE_NOT_ALIGNED_WITH_REPORTING_TYPE");
      const calendar = await call(app, "PUT", paths.ukCumulative(), { token, version: "6.0", body: { fromDate: "2025-04-01", toDate: "2025-06-30", ukProperty: { income: { periodAmount: 100 } } } });
      expect(calendar.statusCode).toBe(204);
    });

    it("a choice applies from its year on; earlier years keep theirs (a Test Support choice too)", async () => {
      await open("2026-07-20T10:00:00Z");
      expect((await call(app, "DELETE", paths.testBusinessDelete(FP), { token, version: "1.0" })).statusCode).toBe(204);
      const id = await createBusiness({ typeOfBusiness: "foreign-property", quarterlyTypeChoice: { quarterlyPeriodType: "calendar", taxYearOfChoice: "2025-26" } });
      expect((await send(QRT, { businessId: id, taxYear: "2026-27" }, { quarterlyPeriodType: "standard" })).statusCode).toBe(204);
      expect((await send(QRT, { businessId: UKP, taxYear: "2026-27" }, { quarterlyPeriodType: "calendar" })).statusCode).toBe(204);
      const starts = async (businessId: string, typeOfBusiness: string) => {
        const res = await call(app, "GET", paths.obligations(`typeOfBusiness=${typeOfBusiness}&businessId=${businessId}&fromDate=2025-07-01&toDate=2026-06-30`), { token, version: "3.0" });
        const details = res.json().obligations[0].obligationDetails as Array<{ periodStartDate: string }>;
        return [...new Set(details.map((d) => d.periodStartDate))].sort();
      };
      expect(await starts(id, "foreign-property")).toEqual(["2025-04-01", "2026-04-06"]);
      expect(await starts(UKP, "uk-property")).toEqual(["2025-04-06", "2026-04-01"]);
    });

    it("cannot change the basis once the year has a cumulative update (RULE_BUSINESS_ID_STATE_CONFLICT); restating it is fine", async () => {
      await open();
      const q1 = await call(app, "PUT", paths.ukCumulative(), { token, version: "6.0", body: { fromDate: "2025-04-06", toDate: "2025-07-05", ukProperty: { income: { periodAmount: 100 } } } });
      expect(q1.statusCode).toBe(204);
      expect(error(await send(QRT, { businessId: UKP, taxYear: "2025-26" }, { quarterlyPeriodType: "calendar" }))).toEqual({
        status: 400,
        code: "RULE_BUSINESS_ID_STATE_CONFLICT",
        message: "The request conflicts with the current state of the business ID",
      });
      expect((await send(QRT, { businessId: UKP, taxYear: "2025-26" }, { quarterlyPeriodType: "standard" })).statusCode).toBe(204);
    });

    it("refuses any year but the clock's (422), an unknown business (404), a property-unspecified one, and bad bodies", async () => {
      await open();
      expect(error(await send(QRT, { businessId: UKP, taxYear: "2026-27" }, { quarterlyPeriodType: "calendar" }))).toMatchObject({ status: 422, code: "RULE_REQUEST_CANNOT_BE_FULFILLED" });
      expect(error(await send(QRT, { businessId: "XPIS99999999999", taxYear: "2025-26" }, { quarterlyPeriodType: "calendar" }))).toEqual({
        status: 404,
        code: "RULE_BUSINESS_ID_NOT_FOUND",
        message: "The business ID provided is not found",
      });
      const unspecified = await createBusiness({ typeOfBusiness: "property-unspecified" });
      expect(error(await send(QRT, { businessId: unspecified, taxYear: "2025-26" }, { quarterlyPeriodType: "calendar" }))).toEqual({
        status: 422,
        code: "RULE_REQUEST_CANNOT_BE_FULFILLED",
        message: "Request cannot proceed for this income source type",
      });
      expect(error(await send(QRT, { businessId: UKP, taxYear: "2025-26" }, { quarterlyPeriodType: "weekly" }))).toMatchObject({ status: 400, code: "RULE_INCORRECT_OR_EMPTY_BODY_SUBMITTED", paths: ["/quarterlyPeriodType"] });
      expect(error(await send(QRT, { businessId: UKP, taxYear: "2025-26" }, {}))).toMatchObject({ status: 400, code: "RULE_INCORRECT_OR_EMPTY_BODY_SUBMITTED" });
      expect(error(await send(QRT, { businessId: UKP, taxYear: "2025-27" }, { quarterlyPeriodType: "calendar" }))).toMatchObject({ status: 400, code: "RULE_TAX_YEAR_RANGE_INVALID" });
      expect((await call(app, "PUT", url(QRT, { businessId: UKP, taxYear: "2025-26" }), { token, version: "1.0", body: { quarterlyPeriodType: "calendar" } })).statusCode).toBe(406);
    });

    it("refuses a change between 1 and 5 April for a business that commenced earlier in that window (RULE_QUARTERLY_PERIOD_UPDATING)", async () => {
      await open("2025-04-03T10:00:00Z");
      const id = await createBusiness({ ...SE_BUSINESS, commencementDate: "2025-04-02" });
      expect(error(await send(QRT, { businessId: id, taxYear: "2024-25" }, { quarterlyPeriodType: "calendar" }))).toMatchObject({ status: 400, code: "RULE_QUARTERLY_PERIOD_UPDATING" });
      // The default business commenced in 2018: no restriction.
      expect((await send(QRT, { businessId: SE, taxYear: "2024-25" }, { quarterlyPeriodType: "calendar" })).statusCode).toBe(204);
    });

    it.each([
      ["BUSINESS_ID_NOT_FOUND", 404, "RULE_BUSINESS_ID_NOT_FOUND"],
      ["BUSINESS_ID_STATE_CONFLICT", 400, "RULE_BUSINESS_ID_STATE_CONFLICT"],
      ["QUARTERLY_PERIOD_UPDATING", 400, "RULE_QUARTERLY_PERIOD_UPDATING"],
      ["NOPE", 400, "RULE_INCORRECT_GOV_TEST_SCENARIO"],
    ])("Gov-Test-Scenario %s → %i %s", async (scenario, status, code) => {
      await open();
      expect(error(await send(QRT, { businessId: UKP, taxYear: "2025-26" }, { quarterlyPeriodType: "calendar" }, scenario))).toMatchObject({ status, code });
    });
  });

  describe("accounting type", () => {
    it("reads the business's own type, updates one year with HMRC's example and leaves the others", async () => {
      await open();
      expect((await send(ACC_GET, { businessId: SE, taxYear: "2025-26" })).json()).toEqual({ accountingType: "CASH" });
      expect(example(ACC_PUT)).toEqual({ accountingType: "ACCRUAL" });
      expect((await send(ACC_PUT, { businessId: SE, taxYear: "2025-26" }, example(ACC_PUT))).statusCode).toBe(204);
      expect((await send(ACC_GET, { businessId: SE, taxYear: "2025-26" })).json()).toEqual({ accountingType: "ACCRUAL" });
      expect((await send(ACC_GET, { businessId: SE, taxYear: "2026-27" })).json()).toEqual({ accountingType: "CASH" });
      const accruals = await createBusiness({ ...SE_BUSINESS, accountingType: "ACCRUALS" });
      expect((await send(ACC_GET, { businessId: accruals, taxYear: "2024-25" })).json()).toEqual({ accountingType: "ACCRUAL" });
    });

    it("answers HMRC's errors: year before 2025-26, bad body, unknown business, scenarios", async () => {
      await open();
      expect(error(await send(ACC_PUT, { businessId: SE, taxYear: "2024-25" }, { accountingType: "CASH" }))).toMatchObject({ status: 400, code: "RULE_TAX_YEAR_NOT_SUPPORTED" });
      expect(error(await send(ACC_PUT, { businessId: SE, taxYear: "2025-26" }, { accountingType: "ACCRUALS" }))).toMatchObject({ status: 400, code: "RULE_INCORRECT_OR_EMPTY_BODY_SUBMITTED", paths: ["/accountingType"] });
      expect(error(await send(ACC_PUT, { businessId: "XBIS99999999999", taxYear: "2025-26" }, { accountingType: "CASH" }))).toMatchObject({ status: 404, code: "MATCHING_RESOURCE_NOT_FOUND" });
      expect(error(await send(ACC_GET, { businessId: "XBIS99999999999", taxYear: "2025-26" }))).toMatchObject({ status: 404, code: "MATCHING_RESOURCE_NOT_FOUND" });
      expect(error(await send(ACC_GET, { businessId: SE, taxYear: "2025-26" }, undefined, "NOT_FOUND"))).toMatchObject({ status: 404, code: "MATCHING_RESOURCE_NOT_FOUND" });
      expect(error(await send(ACC_PUT, { businessId: SE, taxYear: "2025-26" }, { accountingType: "CASH" }, "OUTSIDE_AMENDMENT_WINDOW"))).toMatchObject({
        status: 400,
        code: "RULE_OUTSIDE_AMENDMENT_WINDOW",
      });
    });
  });

  describe("periods of account", () => {
    it("stores HMRC's examples and reads them back with submittedOn", async () => {
      await open("2026-05-01T10:00:00Z");
      expect(error(await send(POA_GET, { businessId: SE, taxYear: "2025-26" }))).toMatchObject({ status: 404, code: "MATCHING_RESOURCE_NOT_FOUND" });
      for (const index of [0, 1]) {
        const body = example(POA_PUT, index);
        expect((await send(POA_PUT, { businessId: SE, taxYear: "2025-26" }, body)).statusCode).toBe(204);
        expect((await send(POA_GET, { businessId: SE, taxYear: "2025-26" })).json()).toEqual({ submittedOn: "2026-05-01T10:00:00.000Z", ...body });
      }
      expect((await send(POA_GET, { businessId: SE, taxYear: "2025-26" }, undefined, "NO_PERIODS_OF_ACCOUNT")).json()).toEqual({ submittedOn: "2025-08-24T14:15:22.802Z", periodsOfAccount: false });
    });

    const dates = (...periods: Array<[string, string]>) => ({ periodsOfAccount: true, periodsOfAccountDates: periods.map(([startDate, endDate]) => ({ startDate, endDate })) });

    it.each([
      ["true without dates", { periodsOfAccount: true }, { code: "RULE_PERIODS_OF_ACCOUNT" }],
      ["false with dates", { ...dates(["2025-04-06", "2026-04-05"]), periodsOfAccount: false }, { code: "RULE_PERIODS_OF_ACCOUNT" }],
      ["end before start", dates(["2025-10-01", "2025-09-30"]), { code: "RULE_END_DATE_BEFORE_START_DATE", paths: ["/periodsOfAccountDates/0"] }],
      ["start after the year", dates(["2026-04-06", "2026-04-05"]), { code: "INVALID_REQUEST" }],
      ["end after the year", dates(["2025-04-06", "2026-04-30"]), { code: "RULE_END_DATE", paths: ["/periodsOfAccountDates/0/endDate"] }],
      ["overlapping", dates(["2025-04-06", "2025-10-05"], ["2025-10-05", "2026-04-05"]), { code: "RULE_PERIODS_OVERLAP", paths: ["/periodsOfAccountDates/1"] }],
      ["a malformed date", dates(["2025-4-6", "2026-04-05"]), { code: "FORMAT_START_DATE", paths: ["/periodsOfAccountDates/0/startDate"] }],
      ["an unknown field", { periodsOfAccount: false, extra: 1 }, { code: "RULE_INCORRECT_OR_EMPTY_BODY_SUBMITTED", paths: ["/extra"] }],
    ])("%s → HMRC's error", async (_what, body, expected) => {
      await open("2026-05-01T10:00:00Z");
      const res = await send(POA_PUT, { businessId: SE, taxYear: "2025-26" }, body);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject(expected);
    });

    it("reports several broken rules together", async () => {
      await open("2026-05-01T10:00:00Z");
      const res = await send(POA_PUT, { businessId: SE, taxYear: "2025-26" }, dates(["2026-04-06", "2026-04-05"]));
      expect(res.json().errors.map((e: { code: string }) => e.code)).toEqual(["RULE_END_DATE_BEFORE_START_DATE", "RULE_START_DATE"]);
    });

    it("is for self-employment only, refuses periods ending after the cessation date, and years before 2025-26", async () => {
      await open("2026-05-01T10:00:00Z");
      expect(error(await send(POA_PUT, { businessId: UKP, taxYear: "2025-26" }, example(POA_PUT, 1)))).toMatchObject({ status: 404, code: "MATCHING_RESOURCE_NOT_FOUND" });
      const ceased = await createBusiness({ ...SE_BUSINESS, commencementDate: "2024-01-01", cessationDate: "2025-12-31" });
      expect(error(await send(POA_PUT, { businessId: ceased, taxYear: "2025-26" }, dates(["2025-04-06", "2026-04-05"])))).toEqual({
        status: 400,
        code: "RULE_CESSATION_DATE",
        message: "One or more of the supplied periods of account end dates exceeds the business cessation date",
      });
      expect((await send(POA_PUT, { businessId: ceased, taxYear: "2025-26" }, dates(["2025-04-06", "2025-12-31"]))).statusCode).toBe(204);
      expect(error(await send(POA_PUT, { businessId: SE, taxYear: "2024-25" }, { periodsOfAccount: false }))).toMatchObject({ status: 400, code: "RULE_TAX_YEAR_NOT_SUPPORTED" });
      expect(error(await send(POA_PUT, { businessId: SE, taxYear: "2025-26" }, { periodsOfAccount: false }, "CESSATION_DATE"))).toMatchObject({ status: 400, code: "RULE_CESSATION_DATE" });
    });
  });

  it("a final declaration locks the accounting type and periods of account for the year (RULE_OUTSIDE_AMENDMENT_WINDOW)", async () => {
    await open("2026-05-01T10:00:00Z");
    const ok = async (id: string, params: Record<string, string>, body?: unknown) => {
      const res = await send(id, params, body);
      expect({ id, status: res.statusCode < 300 ? "ok" : res.body }).toEqual({ id, status: "ok" });
      return res;
    };
    await ok("property.uk.cumulative.amend", { businessId: UKP, taxYear: "2025-26" }, { fromDate: "2025-04-06", toDate: "2026-04-05", ukProperty: { income: { periodAmount: 20_000 } } });
    clock.advanceSeconds(60);
    const calculationId = (await ok("calculations.trigger", { taxYear: "2025-26", calculationType: "intent-to-finalise" })).json().calculationId as string;
    await ok("calculations.submit", { taxYear: "2025-26", calculationId, calculationType: "final-declaration" });

    expect((await send(ACC_PUT, { businessId: SE, taxYear: "2025-26" }, { accountingType: "ACCRUAL" })).json().code).toBe("RULE_OUTSIDE_AMENDMENT_WINDOW");
    expect((await send(POA_PUT, { businessId: SE, taxYear: "2025-26" }, { periodsOfAccount: false })).json().code).toBe("RULE_OUTSIDE_AMENDMENT_WINDOW");
    expect((await send(ACC_PUT, { businessId: SE, taxYear: "2026-27" }, { accountingType: "ACCRUAL" })).statusCode).toBe(204);
  });
});
